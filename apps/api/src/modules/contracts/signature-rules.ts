import { ContractConsentRequired, ContractSignatureInvalid } from './contracts.errors';
import type { SignatureDrawing } from './render/contract-document';

export const MAX_TYPED_NAME = 200;
/** A drawing pad is at most this many units wide or high. */
export const MAX_DRAWING_SIZE = 4000;
export const MAX_STROKES = 100;
/** Points over all strokes (also bounded by the JSON body limits: 10,000 members). */
export const MAX_POINTS = 3000;

// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\u0000-\u001F\u007F-\u009F]/;

/**
 * What a signature request must carry: explicit consent to sign electronically
 * (CONTRACT_CONSENT_REQUIRED otherwise), a typed full name and optionally a drawing
 * (CONTRACT_SIGNATURE_INVALID when either is unusable). Returns them as stored.
 */
export function checkSignature(input: { consent: boolean; typedName: string; drawing?: SignatureDrawing | null }): {
  typedName: string;
  drawing: SignatureDrawing | null;
} {
  if (input.consent !== true) throw new ContractConsentRequired();
  const typedName = input.typedName.normalize('NFC').trim().replace(/\s+/g, ' ');
  if (!typedName || [...typedName].length > MAX_TYPED_NAME || CONTROL.test(typedName)) {
    throw new ContractSignatureInvalid(`Type your full name (at most ${MAX_TYPED_NAME} characters) to sign`);
  }
  return { typedName, drawing: input.drawing ? checkDrawing(input.drawing) : null };
}

function checkDrawing(d: SignatureDrawing): SignatureDrawing {
  const invalid = (why: string) => new ContractSignatureInvalid(`The drawn signature is invalid: ${why}`);
  const size = (n: unknown) => typeof n === 'number' && Number.isFinite(n) && n > 0 && n <= MAX_DRAWING_SIZE;
  if (!size(d.width) || !size(d.height)) throw invalid(`width and height must be between 0 and ${MAX_DRAWING_SIZE}`);
  if (!Array.isArray(d.strokes) || d.strokes.length === 0 || d.strokes.length > MAX_STROKES) {
    throw invalid(`it needs 1 to ${MAX_STROKES} strokes`);
  }
  let points = 0;
  const strokes = d.strokes.map((stroke) => {
    if (!Array.isArray(stroke) || stroke.length === 0) throw invalid('every stroke needs at least one point');
    return stroke.map((point) => {
      if (!Array.isArray(point) || point.length !== 2) throw invalid('every point is [x, y]');
      const [x, y] = point as unknown[];
      if (typeof x !== 'number' || typeof y !== 'number' || !Number.isFinite(x) || !Number.isFinite(y))
        throw invalid('coordinates must be numbers');
      if (x < 0 || y < 0 || x > d.width || y > d.height)
        throw invalid('every point must lie inside the pad (0..width, 0..height)');
      if (++points > MAX_POINTS) throw invalid(`it has more than ${MAX_POINTS} points`);
      // Two decimals are far below a pixel: a compact, stable record.
      return [Math.round(x * 100) / 100, Math.round(y * 100) / 100] as [number, number];
    });
  });
  if (strokes.length === 0) throw invalid('it is empty');
  return { width: d.width, height: d.height, strokes };
}
