import { Box, Button, Group, Stack, Text } from '@mantine/core';
import SignaturePad from 'signature_pad';
import { useEffect, useId, useRef, useState } from 'react';
import type { SignatureDrawing } from '../contracts.types';
import { toSignatureDrawing } from '../signature-drawing';

const HEIGHT = 160;

/**
 * An optional drawn signature (mouse, finger or pen) on a canvas, through signature_pad: it
 * smooths strokes and handles pointer, mouse and touch input alike. Every finished stroke
 * reports the drawing as the API takes it (`{ width, height, strokes }` in CSS pixels of the
 * box), or null when it is empty. The typed name remains the signature for keyboard users.
 */
export function SignaturePadField({
  onChange,
  disabled = false,
}: {
  onChange: (drawing: SignatureDrawing | null) => void;
  disabled?: boolean;
}) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const padRef = useRef<SignaturePad | null>(null);
  const onChangeRef = useRef(onChange);
  const [empty, setEmpty] = useState(true);
  const helpId = useId();

  useEffect(() => {
    onChangeRef.current = onChange;
  }, [onChange]);

  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas) return;
    const pad = new SignaturePad(canvas, { penColor: '#1a1b4b', minWidth: 0.8, maxWidth: 2.4, backgroundColor: 'rgba(0,0,0,0)' });
    padRef.current = pad;

    const report = () => {
      const drawing = toSignatureDrawing(pad.toData(), canvas.offsetWidth, canvas.offsetHeight);
      setEmpty(drawing === null);
      onChangeRef.current(drawing);
    };
    // A sharp line on high-density screens: the bitmap has the screen's pixels, drawing stays in CSS pixels.
    const fit = () => {
      const ratio = Math.max(window.devicePixelRatio || 1, 1);
      const data = pad.toData();
      canvas.width = canvas.offsetWidth * ratio;
      canvas.height = canvas.offsetHeight * ratio;
      canvas.getContext('2d')?.scale(ratio, ratio);
      pad.clear();
      if (data.length) {
        pad.fromData(data);
        report();
      }
    };
    fit();
    pad.addEventListener('endStroke', report);
    const observer = new ResizeObserver(() => {
      if (canvas.width !== canvas.offsetWidth * Math.max(window.devicePixelRatio || 1, 1)) fit();
    });
    observer.observe(canvas);
    return () => {
      observer.disconnect();
      pad.removeEventListener('endStroke', report);
      pad.off();
      padRef.current = null;
    };
  }, []);

  useEffect(() => {
    const pad = padRef.current;
    if (!pad) return;
    if (disabled) pad.off();
    else pad.on();
  }, [disabled]);

  const clear = () => {
    padRef.current?.clear();
    setEmpty(true);
    onChangeRef.current(null);
  };

  return (
    <Stack gap={6}>
      <Text size="sm" fw={500} id={`${helpId}-label`}>
        Draw your signature (optional)
      </Text>
      <Box
        style={{
          border: '1px solid var(--mantine-color-gray-5)',
          borderRadius: 8,
          background: 'var(--mantine-color-gray-0)',
          position: 'relative',
        }}
      >
        <canvas
          ref={canvasRef}
          role="img"
          aria-labelledby={`${helpId}-label`}
          aria-describedby={helpId}
          data-testid="signature-pad"
          style={{
            display: 'block',
            width: '100%',
            height: HEIGHT,
            touchAction: 'none',
            cursor: disabled ? 'default' : 'crosshair',
          }}
        />
        {empty && (
          <Text size="sm" c="gray.7" style={{ position: 'absolute', left: 12, bottom: 8, pointerEvents: 'none' }} aria-hidden>
            Sign here
          </Text>
        )}
      </Box>
      <Group justify="space-between" gap="xs" wrap="nowrap">
        <Text size="xs" c="gray.7" id={helpId}>
          {empty ? 'Nothing drawn. Your typed name alone is a valid signature.' : 'Drawn signature added.'}
        </Text>
        <Button size="compact-sm" variant="subtle" onClick={clear} disabled={empty || disabled}>
          Clear drawing
        </Button>
      </Group>
    </Stack>
  );
}
