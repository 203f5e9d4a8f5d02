import { ROLES, type Role } from '@lm/domain';
import { createHmac, timingSafeEqual } from 'node:crypto';

/** What a media link grants: one recording, to the user it was issued to, until `exp`. */
export interface MediaLinkClaims {
  /** Recording id. */
  rid: string;
  /** User it was issued to (the audit entries of its use name them). */
  uid: string;
  /** Their role when it was issued. */
  role: Role;
  /** Expiry, unix seconds. */
  exp: number;
}

/** recording id (16) + user id (16) + role (1) + expiry (4), big-endian. */
const PAYLOAD_BYTES = 37;
/** HMAC-SHA256 truncated to 128 bits (RFC 2104 §5 allows truncation to at least half). */
const MAC_BYTES = 16;
const TOKEN = /^([A-Za-z0-9_-]{50})\.([A-Za-z0-9_-]{22})$/;

/**
 * A media link token: `<payload>.<mac>`, both base64url, where the MAC is a truncated
 * HMAC-SHA256 of the payload with a key used for nothing else. A `<video>` element cannot send
 * a Bearer header, so the SPA asks for one of these (authenticated) and hands the URL to the
 * player; the token names the recording, the user and a short expiry, and needs no table. The
 * payload is binary so the token stays short enough for one path segment (73 characters).
 */
export function signMediaLink(key: Buffer, claims: MediaLinkClaims): string {
  const payload = Buffer.alloc(PAYLOAD_BYTES);
  Buffer.from(claims.rid.replace(/-/g, ''), 'hex').copy(payload, 0);
  Buffer.from(claims.uid.replace(/-/g, ''), 'hex').copy(payload, 16);
  payload.writeUInt8(ROLES.indexOf(claims.role), 32);
  payload.writeUInt32BE(claims.exp, 33);
  const encoded = payload.toString('base64url');
  return `${encoded}.${mac(key, encoded).toString('base64url')}`;
}

/** The claims of a token we signed, or 'invalid'; expiry is the caller's to check. */
export function readMediaLink(key: Buffer, token: string): MediaLinkClaims | 'invalid' {
  const m = TOKEN.exec(token);
  if (!m) return 'invalid';
  const given = Buffer.from(m[2]!, 'base64url');
  const expected = mac(key, m[1]!);
  if (given.length !== MAC_BYTES || !timingSafeEqual(given, expected)) return 'invalid';
  const payload = Buffer.from(m[1]!, 'base64url');
  if (payload.length !== PAYLOAD_BYTES) return 'invalid';
  const role = ROLES[payload.readUInt8(32)];
  if (!role) return 'invalid';
  return { rid: uuid(payload.subarray(0, 16)), uid: uuid(payload.subarray(16, 32)), role, exp: payload.readUInt32BE(33) };
}

/** The media-link key derived from a master secret, so a link's MAC can never pass as anything else. */
export function mediaLinkKey(masterSecret: string): Buffer {
  return createHmac('sha256', masterSecret).update('lm:recording-media-link:v1').digest();
}

function mac(key: Buffer, payload: string): Buffer {
  return createHmac('sha256', key).update(payload).digest().subarray(0, MAC_BYTES);
}

function uuid(bytes: Buffer): string {
  const h = bytes.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
