import { E2eeError } from './errors';

/**
 * Byte helpers. `Bytes` is a Uint8Array over a plain ArrayBuffer: what WebCrypto's BufferSource
 * accepts under TypeScript's typed-array generics.
 */
export type Bytes = Uint8Array<ArrayBuffer>;

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

export const utf8 = (s: string): Bytes => encoder.encode(s) as Bytes;

export function fromUtf8(b: Uint8Array): string {
  try {
    return decoder.decode(b);
  } catch {
    throw new E2eeError('MALFORMED', 'Text is not valid UTF-8');
  }
}

/** A copy of `b` over its own ArrayBuffer (also turns a Node Buffer or a view of a larger buffer into exact bytes). */
export function bytes(b: Uint8Array | ArrayBuffer): Bytes {
  return b instanceof ArrayBuffer ? new Uint8Array(b.slice(0)) : (new Uint8Array(b) as Bytes);
}

export function concat(...parts: Uint8Array[]): Bytes {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

export function randomBytes(n: number): Bytes {
  const out = new Uint8Array(n);
  // getRandomValues fills at most 65536 bytes per call.
  for (let at = 0; at < n; at += 65536) globalThis.crypto.getRandomValues(out.subarray(at, Math.min(n, at + 65536)));
  return out;
}

const B64URL = /^[A-Za-z0-9_-]*$/;

/** base64url without padding (RFC 4648 §5), the encoding of every binary value on the wire. */
export function toB64(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i += 0x8000) s += String.fromCharCode(...b.subarray(i, i + 0x8000));
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** Strict base64url decoding; `expectedLength` (bytes) is checked when given. */
export function fromB64(s: string, expectedLength?: number): Bytes {
  if (typeof s !== 'string' || !B64URL.test(s) || s.length % 4 === 1)
    throw new E2eeError('MALFORMED', 'A value is not base64url');
  const bin = atob(s.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (s.length % 4)) % 4));
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  // Only the canonical encoding is accepted, so one value has one wire form (signatures cover strings).
  if (toB64(out) !== s) throw new E2eeError('MALFORMED', 'A value is not canonical base64url');
  if (expectedLength !== undefined && out.length !== expectedLength)
    throw new E2eeError('MALFORMED', `A value has ${out.length} bytes instead of ${expectedLength}`);
  return out;
}

export function toHex(b: Uint8Array): string {
  let s = '';
  for (const x of b) s += x.toString(16).padStart(2, '0');
  return s;
}

export function fromHex(s: string): Bytes {
  if (!/^(?:[0-9a-fA-F]{2})*$/.test(s)) throw new E2eeError('MALFORMED', 'A value is not hex');
  const out = new Uint8Array(s.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(s.slice(2 * i, 2 * i + 2), 16);
  return out;
}

export async function sha256(data: Uint8Array): Promise<Bytes> {
  return new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', bytesView(data)));
}

/** `data` as a BufferSource without copying when it already is one. */
export function bytesView(data: Uint8Array): Bytes {
  return data.buffer instanceof ArrayBuffer ? (data as Bytes) : bytes(data);
}
