import { createHmac, timingSafeEqual } from 'node:crypto';

/** What a media link grants: one recording, to the user it was issued to, until `exp`. */
export interface MediaLinkClaims {
  /** Recording id. */
  rid: string;
  /** User it was issued to (the audit entries of its use name them). */
  uid: string;
  /** Their role when it was issued. */
  role: string;
  /** Expiry, unix seconds. */
  exp: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * A media link token: `<payload>.<mac>`, both base64url, where the MAC is HMAC-SHA256 over the
 * payload with a key used for nothing else. A `<video>` element cannot send a Bearer header, so
 * the SPA asks for one of these (authenticated) and hands the URL to the player; the token
 * names the recording, the user and a short expiry, and needs no table.
 */
export function signMediaLink(key: Buffer, claims: MediaLinkClaims): string {
  const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
  return `${payload}.${mac(key, payload)}`;
}

/** The claims of a token we signed, or 'invalid'; expiry is the caller's to check. */
export function readMediaLink(key: Buffer, token: string): MediaLinkClaims | 'invalid' {
  const m = /^([A-Za-z0-9_-]{1,400})\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!m) return 'invalid';
  const expected = Buffer.from(mac(key, m[1]!), 'base64url');
  const given = Buffer.from(m[2]!, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'invalid';
  let claims: unknown;
  try {
    claims = JSON.parse(Buffer.from(m[1]!, 'base64url').toString('utf8'));
  } catch {
    return 'invalid';
  }
  const c = claims as Partial<MediaLinkClaims>;
  if (typeof c.rid !== 'string' || !UUID.test(c.rid) || typeof c.uid !== 'string' || !UUID.test(c.uid) || typeof c.role !== 'string' || !Number.isInteger(c.exp)) {
    return 'invalid';
  }
  return { rid: c.rid, uid: c.uid, role: c.role, exp: c.exp! };
}

/** The media-link key derived from a master secret, so a link's MAC can never pass as anything else. */
export function mediaLinkKey(masterSecret: string): Buffer {
  return createHmac('sha256', masterSecret).update('lm:recording-media-link:v1').digest();
}

function mac(key: Buffer, payload: string): string {
  return createHmac('sha256', key).update(payload).digest('base64url');
}
