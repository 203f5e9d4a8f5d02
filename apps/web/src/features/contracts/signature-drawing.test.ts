import { describe, expect, it } from 'vitest';
import { MAX_POINTS, MAX_STROKES, drawingPath, toSignatureDrawing } from './signature-drawing';

const group = (...points: [number, number][]) => ({ points: points.map(([x, y]) => ({ x, y })) });

describe('toSignatureDrawing', () => {
  it('turns signature_pad point groups into the API drawing: rounded points inside the box, one stroke per group', () => {
    const drawing = toSignatureDrawing([group([10.04, 20.06], [30.55, 40.44]), group([5, 5])], 320.4, 159.6);
    expect(drawing).toEqual({
      width: 320,
      height: 160,
      strokes: [
        [
          [10, 20.1],
          [30.6, 40.4],
        ],
        [[5, 5]],
      ],
    });
  });

  it('clamps points that left the canvas to its edge and drops repeated and non-finite points', () => {
    const drawing = toSignatureDrawing([group([-4, 10], [-4, 10], [400, 200], [Number.NaN, 3], [50, 50])], 300, 150);
    expect(drawing?.strokes).toEqual([
      [
        [0, 10],
        [300, 150],
        [50, 50],
      ],
    ]);
  });

  it('is null when nothing was drawn or the box has no size', () => {
    expect(toSignatureDrawing([], 300, 150)).toBeNull();
    expect(toSignatureDrawing([group()], 300, 150)).toBeNull();
    expect(toSignatureDrawing([group([1, 1])], 0, 150)).toBeNull();
  });

  it('keeps within the API’s limits: extra strokes dropped, a long drawing thinned out with each stroke’s ends kept', () => {
    const many = Array.from({ length: MAX_STROKES + 5 }, (_, i) => group([i, i]));
    expect(toSignatureDrawing(many, 300, 150)?.strokes).toHaveLength(MAX_STROKES);

    const long = (n: number, offset: number) =>
      group(...Array.from({ length: n }, (_, i) => [(i * 0.3 + offset) % 300, (i * 0.2) % 150] as [number, number]));
    const drawing = toSignatureDrawing([long(2500, 0), long(2500, 7)], 300, 150)!;
    const points = drawing.strokes.flat();
    expect(points.length).toBeLessThanOrEqual(MAX_POINTS);
    expect(points.length).toBeGreaterThan(MAX_POINTS / 2);
    expect(drawing.strokes[0]![0]).toEqual([0, 0]);
    expect(drawing.strokes[0]!.at(-1)).toEqual([(2499 * 0.3) % 300, (2499 * 0.2) % 150].map((n) => Math.round(n * 10) / 10));
  });
});

describe('drawingPath', () => {
  it('draws each stroke as a path and a dot as a tiny segment', () => {
    expect(
      drawingPath({
        width: 100,
        height: 50,
        strokes: [
          [
            [1, 2],
            [3, 4],
          ],
          [[5, 6]],
        ],
      }),
    ).toBe('M1 2 L3 4 M5 6 L5.1 6');
  });
});
