import { Logger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const WEBHOOK_SECRET_FILE = 'stripe-webhook-secret';

/**
 * The signing secret of POST /api/webhooks/stripe: STRIPE_WEBHOOK_SECRET when configured,
 * otherwise a random `whsec_…` generated once into `<dataDir>/stripe-webhook-secret` (mode
 * 0600) and reused after restarts. The local sandbox signs its events with it, so the webhook
 * verifies sandbox events exactly as it verifies Stripe's.
 */
export function resolveWebhookSecret(
  configured: string | undefined,
  dataDir: string,
  logger = new Logger('StripeWebhookSecret'),
): string {
  if (configured) return configured;
  const file = join(dataDir, WEBHOOK_SECRET_FILE);
  const existing = readSecret(file);
  if (existing) return existing;
  mkdirSync(dataDir, { recursive: true });
  try {
    writeFileSync(file, `whsec_${randomBytes(24).toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
    logger.log(`STRIPE_WEBHOOK_SECRET is not set: generated a webhook signing secret in ${file}`);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  }
  chmodSync(file, 0o600);
  const created = readSecret(file);
  if (!created) throw new Error(`${file} does not hold a whsec_ secret; delete it to generate a new one`);
  return created;
}

function readSecret(file: string): string | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8').trim();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  return /^whsec_[A-Za-z0-9_+/=]{16,}$/.test(text) ? text : undefined;
}
