/**
 * Verifies the `LexMarket-Signature` header of a webhook delivery (see README "Webhooks"):
 *
 *   LexMarket-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, `${t}.${rawBody}`)>[,v1=…]
 *
 * 1. Split the header on `,` into `key=value` pairs; take the one `t` and every `v1`.
 * 2. Refuse when `t` is further than `toleranceSeconds` from now (a replayed old delivery).
 * 3. Compute HMAC-SHA256 with the endpoint's secret (the whole `whsec_…` string, UTF-8) as the key
 *    over the bytes of `t`, a `.`, and the raw request body exactly as received (before any JSON
 *    parsing).
 * 4. Accept when it equals any `v1` (during a secret rotation two are sent, one per secret);
 *    the comparison is WebCrypto's `verify`, which is constant-time.
 *
 * Works in browsers and Node 20+ (WebCrypto on `globalThis.crypto.subtle`). Never throws for a
 * malformed header: it answers false.
 */
export interface VerifyWebhookSignatureInput {
  /** The raw request body, exactly as received. */
  payload: string | Uint8Array;
  /** The value of the `LexMarket-Signature` header. */
  header: string | null | undefined;
  /** The endpoint's secret, or several (e.g. the new and the old during your own rotation). */
  secret: string | readonly string[];
  /** How far `t` may be from now, in seconds (default 300). */
  toleranceSeconds?: number;
  /** The current time (default: the system clock). */
  now?: Date;
}

const encoder = new TextEncoder();

export async function verifyWebhookSignature(input: VerifyWebhookSignatureInput): Promise<boolean> {
  const parsed = parseSignatureHeader(input.header);
  if (!parsed) return false;
  const tolerance = input.toleranceSeconds ?? 300;
  const nowSeconds = Math.floor((input.now ?? new Date()).getTime() / 1000);
  if (Math.abs(nowSeconds - parsed.t) > tolerance) return false;
  const body = typeof input.payload === 'string' ? encoder.encode(input.payload) : input.payload;
  const prefix = encoder.encode(`${parsed.t}.`);
  const signed = new Uint8Array(prefix.length + body.length);
  signed.set(prefix, 0);
  signed.set(body, prefix.length);
  const secrets = typeof input.secret === 'string' ? [input.secret] : input.secret;
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) throw new Error('verifyWebhookSignature needs WebCrypto (globalThis.crypto.subtle)');
  for (const secret of secrets) {
    if (!secret) continue;
    const key = await subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['verify']);
    for (const signature of parsed.v1) {
      if (await subtle.verify('HMAC', key, signature, signed)) return true;
    }
  }
  return false;
}

/** `t` and the `v1` signatures (as bytes) of a header, or null when it is malformed. */
function parseSignatureHeader(header: string | null | undefined): { t: number; v1: Uint8Array<ArrayBuffer>[] } | null {
  if (!header) return null;
  let t: number | null = null;
  const v1: Uint8Array<ArrayBuffer>[] = [];
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === 't') {
      if (t !== null || !/^\d{1,12}$/.test(value)) return null;
      t = Number(value);
    } else if (key === 'v1') {
      // We send at most two (during a secret rotation): a header with many is not ours, and would
      // only make the receiver compute that many HMACs.
      if (v1.length >= MAX_SIGNATURES) return null;
      const bytes = fromHex(value);
      if (bytes && bytes.length === 32) v1.push(bytes);
    }
  }
  if (t === null || v1.length === 0) return null;
  return { t, v1 };
}

/** More v1 values than this in one header: refused. */
const MAX_SIGNATURES = 4;

function fromHex(hex: string): Uint8Array<ArrayBuffer> | null {
  if (hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) return null;
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}
