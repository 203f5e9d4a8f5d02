import { DataSource } from 'typeorm';
import type { TestApp } from '../setup/test-app';

export interface OutboxRow {
  id: string;
  toAddress: string;
  template: string;
  subject: string;
  bodyText: string;
  status: string;
  userId: string | null;
}

/**
 * The outbox messages of one template sent to `to`, oldest first. Emails are written in the
 * transaction of the change that causes them, so they are readable as soon as the request returns.
 */
export async function outbox(t: TestApp, to: string, template: string): Promise<OutboxRow[]> {
  return t.app.get(DataSource).query(
    `SELECT id, to_address::text AS "toAddress", template, subject, body_text AS "bodyText", status, user_id AS "userId"
       FROM email_outbox WHERE to_address = $1 AND template = $2 ORDER BY created_at, id`,
    [to, template],
  );
}

/** The token of the `${PUBLIC_URL}/<page>?token=…` link in an email body, checking the link's origin. */
export function tokenFromLink(body: string, publicUrl: string, page: 'reset-password' | 'verify-email'): string {
  const escaped = `${publicUrl.replace(/\/+$/, '')}/${page}`.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const match = new RegExp(`${escaped}\\?token=([A-Za-z0-9_%-]+)`).exec(body);
  if (!match?.[1]) throw new Error(`no ${page} link in: ${body}`);
  return decodeURIComponent(match[1]);
}

/** The newest token emailed to `to` with this template. */
export async function lastEmailedToken(t: TestApp, to: string, template: 'password-reset' | 'email-verification'): Promise<string> {
  const rows = await outbox(t, to, template);
  const last = rows[rows.length - 1];
  if (!last) throw new Error(`no ${template} email to ${to}`);
  return tokenFromLink(last.bodyText, t.config.PUBLIC_URL, template === 'password-reset' ? 'reset-password' : 'verify-email');
}
