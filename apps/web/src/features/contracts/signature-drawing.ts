import type { SignatureDrawing } from './contracts.types';

/** A point of a drawn stroke as signature_pad records it (CSS pixels from the canvas's top left). */
export interface PadPoint {
  x: number;
  y: number;
}

/** The API's limits on a drawing (signature-rules.ts): strokes, and points over all strokes. */
export const MAX_STROKES = 100;
export const MAX_POINTS = 3000;

const round1 = (n: number) => Math.round(n * 10) / 10;
const clamp = (n: number, max: number) => Math.min(Math.max(n, 0), max);

/**
 * signature_pad's point groups as the API's drawing: `{ width, height, strokes }` with every
 * point inside the box, rounded to a tenth of a pixel, repeated points dropped. Points beyond
 * the box (a stroke that left the canvas) are clamped to its edge. Past the API's limits, strokes
 * after the first MAX_STROKES are dropped and a drawing with too many points keeps every n-th
 * point of each stroke (and its ends), so the shape stays. Null when nothing was drawn.
 */
export function toSignatureDrawing(
  groups: readonly { points: readonly PadPoint[] }[],
  width: number,
  height: number,
): SignatureDrawing | null {
  const w = Math.round(width);
  const h = Math.round(height);
  if (!(w > 0 && h > 0)) return null;
  let strokes: [number, number][][] = [];
  for (const group of groups) {
    if (strokes.length >= MAX_STROKES) break;
    const stroke: [number, number][] = [];
    for (const p of group.points) {
      if (!Number.isFinite(p.x) || !Number.isFinite(p.y)) continue;
      const point: [number, number] = [round1(clamp(p.x, w)), round1(clamp(p.y, h))];
      const last = stroke.at(-1);
      if (last && last[0] === point[0] && last[1] === point[1]) continue;
      stroke.push(point);
    }
    if (stroke.length > 0) strokes.push(stroke);
  }
  const total = strokes.reduce((n, s) => n + s.length, 0);
  if (total > MAX_POINTS) {
    // Each stroke keeps its two ends; every `step`-th point between them stays.
    const step = Math.ceil(total / (MAX_POINTS - 2 * strokes.length));
    strokes = strokes.map((s) => (s.length <= 2 ? s : s.filter((_, i) => i === 0 || i === s.length - 1 || i % step === 0)));
  }
  return strokes.length > 0 ? { width: w, height: h, strokes } : null;
}

/** An SVG path (`M x y L x y …`) of a drawing's strokes, to show a drawn signature again. */
export function drawingPath(drawing: SignatureDrawing): string {
  return drawing.strokes
    .map((stroke) => {
      const [first, ...rest] = stroke;
      if (!first) return '';
      // A single point (a dot) gets a tiny segment so it has a visible round cap.
      const tail = rest.length ? rest : [[first[0] + 0.1, first[1]] as [number, number]];
      return `M${first[0]} ${first[1]}` + tail.map(([x, y]) => ` L${x} ${y}`).join('');
    })
    .filter(Boolean)
    .join(' ');
}
