import { canonicalJson } from '../../common/json/canonical-json';
import { createHash } from 'node:crypto';

/**
 * The hash chain of `audit_events`, as pure functions (no I/O) so the writer, the verifier
 * and any external auditor compute exactly the same bytes.
 *
 *   hash(n) = lowercase hex of SHA-256( bytes(prev_hash(n)) ‖ UTF-8(JCS(entry(n))) )
 *
 * - `bytes(prev_hash)` is the 32 raw bytes of the previous entry's hash (hex-decoded);
 *   the first entry's prev_hash is GENESIS_HASH (64 zeros).
 * - `JCS` is the JSON Canonicalization Scheme (RFC 8785): object keys sorted by UTF-16 code
 *   units, no whitespace, strings and numbers serialised as ECMAScript JSON.stringify does.
 * - `entry(n)` is the object below with exactly these keys (absent values are `null`):
 *   `{ v: 1, seq, occurredAt, actorId, actorRole, action, subjectType, subjectId, payload, requestId }`
 *   where `seq` is a JSON number, `occurredAt` is the stored timestamptz rendered in UTC with
 *   microseconds (`2025-11-26T09:15:02.123456Z`, PostgreSQL's full precision, so a change of
 *   one microsecond is detected), `actorId` is the lowercase UUID, and `payload` is the JSON
 *   object exactly as jsonb returns it.
 */
export const GENESIS_HASH = '0'.repeat(64);
export const CHAIN_VERSION = 1;

/** Every stored field of an audit entry except prev_hash and hash. */
export interface AuditChainFields {
  seq: number;
  occurredAt: string;
  actorId: string | null;
  actorRole: string | null;
  action: string;
  subjectType: string;
  subjectId: string | null;
  payload: Record<string, unknown>;
  requestId: string | null;
}

/** The canonical bytes of an entry (everything but prev_hash and hash). */
export function canonicalEntryBytes(fields: AuditChainFields): Buffer {
  const entry = {
    v: CHAIN_VERSION,
    seq: fields.seq,
    occurredAt: fields.occurredAt,
    actorId: fields.actorId,
    actorRole: fields.actorRole,
    action: fields.action,
    subjectType: fields.subjectType,
    subjectId: fields.subjectId,
    payload: fields.payload,
    requestId: fields.requestId,
  };
  return Buffer.from(canonicalJson(entry), 'utf8');
}

const HEX_HASH = /^[0-9a-f]{64}$/;

export function isHexHash(value: string): boolean {
  return HEX_HASH.test(value);
}

/** `hash` of an entry given its predecessor's hash. */
export function chainHash(prevHash: string, fields: AuditChainFields): string {
  if (!isHexHash(prevHash)) throw new TypeError('chainHash: prevHash must be 64 lowercase hex characters');
  return createHash('sha256').update(Buffer.from(prevHash, 'hex')).update(canonicalEntryBytes(fields)).digest('hex');
}

/** Keys whose values never belong in the audit trail; their values are replaced by REDACTED. */
const SECRET_KEY =
  /pass(word|wd|phrase)|secret|token|api[-_]?key|authorization|cookie|private[-_]?key|otp|cvc|cvv|card[-_]?number/i;
export const REDACTED = '[redacted]';
export const MAX_PAYLOAD_BYTES = 16 * 1024;

/**
 * What is stored (and hashed) for a caller's payload: its JSON form (so Dates become ISO
 * strings and undefined disappears, exactly as jsonb will hold it) with secret-looking keys
 * redacted at any depth. Callers must still never pass secrets: this is a safety net.
 */
export function sanitizePayload(payload: Record<string, unknown> | undefined): Record<string, unknown> {
  if (payload === undefined) return {};
  const json = JSON.stringify(payload, (key, value: unknown) => (key !== '' && SECRET_KEY.test(key) ? REDACTED : value));
  if (json === undefined) return {};
  if (Buffer.byteLength(json, 'utf8') > MAX_PAYLOAD_BYTES) {
    throw new RangeError(`Audit payload exceeds ${MAX_PAYLOAD_BYTES} bytes; record identifiers, not documents`);
  }
  const parsed: unknown = JSON.parse(json);
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new TypeError('Audit payload must be a JSON object');
  }
  return parsed as Record<string, unknown>;
}
