import { useEffect, useRef, type CSSProperties } from 'react';

/** A <video> showing a MediaStream (srcObject cannot be set as a React prop). */
export function StreamVideo({
  stream,
  muted = false,
  mirrored = false,
  label,
  style,
  testId,
}: {
  stream: MediaStream | null;
  muted?: boolean;
  mirrored?: boolean;
  label: string;
  style?: CSSProperties;
  testId?: string;
}) {
  const ref = useRef<HTMLVideoElement>(null);
  useEffect(() => {
    const video = ref.current;
    if (!video) return;
    if (video.srcObject !== stream) video.srcObject = stream;
    // Autoplay may be refused until the user interacts; the controls (or the next render) start it.
    if (stream) void Promise.resolve(video.play()).catch(() => undefined);
  }, [stream]);
  return (
    <video
      ref={ref}
      autoPlay
      playsInline
      muted={muted}
      aria-label={label}
      data-testid={testId}
      style={{
        width: '100%',
        height: '100%',
        objectFit: 'cover',
        background: '#1a1b1e',
        borderRadius: 8,
        transform: mirrored ? 'scaleX(-1)' : undefined,
        ...style,
      }}
    />
  );
}
