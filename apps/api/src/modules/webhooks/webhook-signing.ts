import { createHmac, randomBytes } from 'node:crypto';

/** A new endpoint secret: `whsec_` and 32 random bytes, base64url. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}

/** A new event id: `evt_` and 18 random bytes, base64url (24 characters). */
export function newEventId(): string {
  return `evt_${randomBytes(18).toString('base64url')}`;
}

/**
 * The `LexMarket-Signature` header of `body` sent at `at`: `t=<unix seconds>` and one
 * `v1=<hex HMAC-SHA256(secret, t + "." + body)>` per secret (the current one first; during a
 * rotation's overlap also the previous one). The secret string as a whole is the HMAC key.
 */
export function signatureHeader(body: string, at: Date, secrets: readonly string[]): string {
  const t = Math.floor(at.getTime() / 1000);
  const v1 = secrets.map((secret) => `v1=${createHmac('sha256', secret).update(`${t}.${body}`, 'utf8').digest('hex')}`);
  return [`t=${t}`, ...v1].join(',');
}
