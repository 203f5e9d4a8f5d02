/**
 * The messaging scenarios' work by hand, for the baseline server (messaging-scenarios.ts):
 * ConversationsController → MessagesService / ConversationsService → the repositories, as plain
 * SQL through pg. The caller is the bearer token's subject (decoded, not verified, as in the other
 * baseline routes), looked up once like the app's authenticator (status ACTIVE). The pure rules
 * (padded sizes, who an epoch must be sealed to, cursors) are the app's own messaging-rules.ts.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Pool, PoolClient } from 'pg';
import { renderMessage } from '../src/modules/notifications/templates';
import {
  decodeCursor,
  encodeCursor,
  expectedRecipients,
  isPaddedSize,
  MESSAGE_CIPHERTEXT_SIZES,
  needsRekey,
  type ParticipantKeys,
} from '../src/modules/messaging/messaging-rules';
import type { MessageRow } from '../src/modules/messaging/messages.repository';

const LOWER_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const B64URL = /^[A-Za-z0-9_-]*$/;
const MAX_INT = 2_147_483_647;
const SEND_FIELDS = new Set(['id', 'epoch', 'senderDeviceId', 'nonce', 'ciphertext', 'signature', 'attachmentIds']);
const PAGE_PARAMS = new Set(['before', 'limit']);

// The repositories' column lists (conversations.repository.ts, messages.repository.ts).
const CONVERSATION = `c.id, c.client_id AS "clientId", c.lawyer_id AS "lawyerId", c.current_epoch AS "currentEpoch",
  e.recipients AS "currentRecipients"`;
const MESSAGE = `id, conversation_id AS "conversationId", sender_user_id AS "senderUserId", sender_device_id AS "senderDeviceId", epoch,
  nonce, ciphertext, signature, attachment_ids::text[] AS "attachmentIds", created_at AS "createdAt"`;

interface Conversation {
  id: string;
  clientId: string;
  lawyerId: string;
  currentEpoch: number;
  currentRecipients: string[] | null;
}

type Fail = (reply: FastifyReply, statusCode: number, code: string, message: string) => FastifyReply;

/** Canonical base64url bytes, or null (e2ee-wire.ts's fromB64). */
function fromB64(text: unknown): Buffer | null {
  if (typeof text !== 'string' || !B64URL.test(text) || text.length % 4 === 1) return null;
  const bytes = Buffer.from(text, 'base64url');
  return bytes.toString('base64url') === text ? bytes : null;
}

/** toWireMessage of conversations.response.ts. */
const toWire = (m: MessageRow) => ({
  id: m.id,
  conversationId: m.conversationId,
  senderUserId: m.senderUserId,
  senderDeviceId: m.senderDeviceId,
  epoch: m.epoch,
  nonce: m.nonce.toString('base64url'),
  ciphertext: m.ciphertext.toString('base64url'),
  signature: m.signature.toString('base64url'),
  attachmentIds: m.attachmentIds,
  createdAt: m.createdAt.toISOString(),
});

export function registerMessagingRoutes(app: FastifyInstance, pool: Pool, fail: Fail): void {
  const publicUrl = process.env.PUBLIC_URL ?? 'http://localhost:3000';

  /** The signed-in, active caller's id; otherwise the 401 already sent. */
  const caller = async (req: { headers: Record<string, string | string[] | undefined> }, reply: FastifyReply) => {
    const auth = typeof req.headers.authorization === 'string' ? req.headers.authorization : '';
    const sub = auth.startsWith('Bearer ')
      ? (JSON.parse(Buffer.from(auth.slice(7).split('.')[1] ?? '', 'base64url').toString('utf8') || '{}') as { sub?: string }).sub
      : undefined;
    const user =
      sub && UUID.test(sub)
        ? (await pool.query<{ status: string }>('SELECT status FROM users WHERE id = $1', [sub])).rows[0]
        : undefined;
    if (!sub || user?.status !== 'ACTIVE') return void fail(reply, 401, 'UNAUTHENTICATED', 'Sign in first');
    return sub;
  };

  /** ConversationsRepository.findForParticipant. */
  const conversation = async (c: Pool | PoolClient, id: string, userId: string, lock: boolean) =>
    (
      await c.query<Conversation>(
        `SELECT ${CONVERSATION} FROM conversations c LEFT JOIN conversation_epochs e ON e.conversation_id = c.id AND e.epoch = c.current_epoch
          WHERE c.id = $1 AND (c.client_id = $2 OR c.lawyer_id = $2)${lock ? ' FOR NO KEY UPDATE OF c' : ''}`,
        [id, userId],
      )
    ).rows[0];

  // GET /api/conversations/:id/messages: MessagesService.page.
  app.get<{ Params: { id: string } }>('/api/conversations/:id/messages', async (req, reply) => {
    const userId = await caller(req, reply);
    if (!userId) return reply;
    if (!UUID.test(req.params.id)) return fail(reply, 400, 'VALIDATION_FAILED', 'The request is invalid: id');
    const query = req.query as Record<string, string | string[] | undefined>;
    const bad = Object.keys(query).find((k) => !PAGE_PARAMS.has(k) || typeof query[k] !== 'string');
    if (bad) return fail(reply, 400, 'VALIDATION_FAILED', `The request is invalid: ${bad}`);
    const p = query as Record<string, string | undefined>;
    const limit = p.limit === undefined ? 50 : Number(p.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 100 || (p.before !== undefined && p.before.length > 200))
      return fail(reply, 400, 'VALIDATION_FAILED', 'The request is invalid');
    const before = p.before === undefined ? null : decodeCursor(p.before);
    if (p.before !== undefined && !before) return fail(reply, 400, 'INVALID_MESSAGING_CURSOR', 'The cursor is invalid');
    const c = await conversation(pool, req.params.id, userId, false);
    if (!c) return fail(reply, 404, 'CONVERSATION_NOT_FOUND', 'Conversation not found');
    const { rows } = before
      ? await pool.query<MessageRow>(
          `SELECT ${MESSAGE} FROM conversation_messages WHERE conversation_id = $1 AND (created_at, id) < ($2, $3)
            ORDER BY created_at DESC, id DESC LIMIT $4`,
          [c.id, before.at, before.id, limit],
        )
      : await pool.query<MessageRow>(
          `SELECT ${MESSAGE} FROM conversation_messages WHERE conversation_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2`,
          [c.id, limit],
        );
    const last = rows[rows.length - 1];
    void reply.header('cache-control', 'no-store');
    return {
      items: rows.map(toWire),
      nextCursor: rows.length === limit && last ? encodeCursor({ at: last.createdAt, id: last.id }) : null,
    };
  });

  // POST /api/conversations/:id/messages: MessagesService.send, in one transaction (no retry: the bench never sends an id twice at once).
  app.post<{ Params: { id: string }; Body: Record<string, unknown> }>('/api/conversations/:id/messages', async (req, reply) => {
    const userId = await caller(req, reply);
    if (!userId) return reply;
    const b = req.body ?? {};
    const nonce = fromB64(b.nonce);
    const ciphertext = fromB64(b.ciphertext);
    const signature = fromB64(b.signature);
    const attachmentIds = (b.attachmentIds ?? []) as string[];
    const valid =
      UUID.test(req.params.id) &&
      Object.keys(b).every((k) => SEND_FIELDS.has(k)) &&
      typeof b.id === 'string' &&
      LOWER_UUID.test(b.id) &&
      Number.isInteger(b.epoch) &&
      (b.epoch as number) >= 1 &&
      (b.epoch as number) <= MAX_INT &&
      typeof b.senderDeviceId === 'string' &&
      LOWER_UUID.test(b.senderDeviceId) &&
      nonce?.length === 12 &&
      ciphertext !== null &&
      ciphertext.length <= 2 * Math.max(...MESSAGE_CIPHERTEXT_SIZES) &&
      signature?.length === 64 &&
      Array.isArray(attachmentIds) &&
      attachmentIds.length <= 10 &&
      new Set(attachmentIds).size === attachmentIds.length &&
      attachmentIds.every((a) => typeof a === 'string' && LOWER_UUID.test(a));
    if (!valid || !nonce || !ciphertext || !signature) return fail(reply, 400, 'VALIDATION_FAILED', 'The request is invalid');
    if (!isPaddedSize(ciphertext.length, MESSAGE_CIPHERTEXT_SIZES))
      return fail(reply, 400, 'E2EE_CIPHERTEXT_SIZE', 'The ciphertext is not a padded size');
    const input = { id: b.id as string, epoch: b.epoch as number, senderDeviceId: b.senderDeviceId as string };
    const client = await pool.connect();
    let outcome: { status: number; message: MessageRow } | { error: [number, string, string] };
    try {
      await client.query('BEGIN');
      outcome = await send(client, req.params.id, userId, input, { nonce, ciphertext, signature, attachmentIds });
      await client.query('error' in outcome ? 'ROLLBACK' : 'COMMIT');
    } catch (e) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw e;
    } finally {
      client.release();
    }
    if ('error' in outcome) return fail(reply, ...outcome.error);
    void reply.status(outcome.status).header('cache-control', 'no-store');
    return toWire(outcome.message);
  });

  async function send(
    c: PoolClient,
    conversationId: string,
    userId: string,
    input: { id: string; epoch: number; senderDeviceId: string },
    bytes: { nonce: Buffer; ciphertext: Buffer; signature: Buffer; attachmentIds: string[] },
  ): Promise<{ status: number; message: MessageRow } | { error: [number, string, string] }> {
    const conv = await conversation(c, conversationId, userId, true);
    if (!conv) return { error: [404, 'CONVERSATION_NOT_FOUND', 'Conversation not found'] };
    const existing = (await c.query<MessageRow>(`SELECT ${MESSAGE} FROM conversation_messages WHERE id = $1`, [input.id]))
      .rows[0];
    if (existing) {
      const same =
        existing.conversationId === conv.id &&
        existing.senderUserId === userId &&
        existing.senderDeviceId === input.senderDeviceId &&
        existing.epoch === input.epoch &&
        existing.nonce.equals(bytes.nonce) &&
        existing.ciphertext.equals(bytes.ciphertext) &&
        existing.signature.equals(bytes.signature) &&
        existing.attachmentIds.join() === bytes.attachmentIds.join();
      return same ? { status: 200, message: existing } : { error: [409, 'MESSAGE_ID_CONFLICT', 'Another message has this id'] };
    }
    // ConversationsService.recipientState (KeysRepository.recipientKeys).
    const { rows: participants } = await c.query<ParticipantKeys & { userId: string }>(
      `SELECT u.user_id::text AS "userId",
              EXISTS (SELECT 1 FROM e2ee_identities i WHERE i.user_id = u.user_id) AS "hasIdentity",
              COALESCE((SELECT array_agg(d.id::text ORDER BY d.id) FROM e2ee_devices d WHERE d.user_id = u.user_id AND d.revoked_at IS NULL),
                       '{}'::text[]) AS "activeDeviceIds"
         FROM unnest($1::uuid[]) AS u (user_id)`,
      [[conv.clientId, conv.lawyerId]],
    );
    const owner = participants.find((p) => p.activeDeviceIds.includes(input.senderDeviceId))?.userId;
    if (owner !== userId) return { error: [400, 'E2EE_DEVICE_INVALID', 'Not an active device of the sender'] };
    if (
      input.epoch !== conv.currentEpoch ||
      needsRekey(conv.currentEpoch, conv.currentRecipients, expectedRecipients(participants))
    )
      return { error: [409, 'E2EE_EPOCH_STALE', 'Rekey first'] };
    const { rows } = await c.query<MessageRow>(
      `INSERT INTO conversation_messages (id, conversation_id, sender_user_id, sender_device_id, epoch, nonce, ciphertext, signature, attachment_ids, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::uuid[], now()) RETURNING ${MESSAGE}`,
      [
        input.id,
        conv.id,
        userId,
        input.senderDeviceId,
        input.epoch,
        bytes.nonce,
        bytes.ciphertext,
        bytes.signature,
        bytes.attachmentIds,
      ],
    );
    const message = rows[0]!;
    const now = message.createdAt;
    if (bytes.attachmentIds.length) {
      const linked = await c.query(
        `UPDATE message_attachments SET message_id = $4 WHERE id = ANY($3::uuid[]) AND conversation_id = $1 AND uploader_id = $2 AND message_id IS NULL`,
        [conv.id, userId, bytes.attachmentIds, message.id],
      );
      if (linked.rowCount !== bytes.attachmentIds.length)
        return { error: [400, 'ATTACHMENT_INVALID', 'Not an upload of this conversation'] };
    }
    await c.query(
      `UPDATE conversations SET last_message_at = GREATEST(COALESCE(last_message_at, $2::timestamptz), $2::timestamptz),
              activity_at = GREATEST(activity_at, $2::timestamptz) WHERE id = $1`,
      [conv.id, now],
    );
    await c.query(
      `INSERT INTO conversation_reads AS r (conversation_id, user_id, message_id, message_created_at, read_at) VALUES ($1, $2, $3, $4, $4)
       ON CONFLICT (conversation_id, user_id) DO UPDATE
          SET message_id = EXCLUDED.message_id, message_created_at = EXCLUDED.message_created_at, read_at = EXCLUDED.read_at
        WHERE r.message_id IS NULL OR (EXCLUDED.message_created_at, EXCLUDED.message_id) > (r.message_created_at, r.message_id)
       RETURNING 1`,
      [conv.id, userId, message.id, now],
    );
    await c.query(`SELECT pg_notify($1, $2)`, [
      'messaging_events',
      JSON.stringify({
        event: { type: 'message', data: { conversationId: conv.id, messageId: message.id } },
        to: [conv.clientId, conv.lawyerId],
      }),
    ]);
    // MessagesService.notifyRecipient: one "new message" email until the recipient reads.
    const recipientId = userId === conv.clientId ? conv.lawyerId : conv.clientId;
    const claimed = await c.query(
      `INSERT INTO conversation_reads AS r (conversation_id, user_id, notified_at) VALUES ($1, $2, $3)
       ON CONFLICT (conversation_id, user_id) DO UPDATE SET notified_at = EXCLUDED.notified_at
        WHERE r.notified_at IS NULL OR (r.read_at IS NOT NULL AND r.read_at >= r.notified_at)
       RETURNING 1`,
      [conv.id, recipientId, now],
    );
    if (claimed.rowCount === 1) await notifyRecipient(c, conv.id, userId, recipientId);
    return { status: 201, message };
  }

  /**
   * NotificationsService.notify's rows (the notification and the queued email; the pg-boss job
   * that wakes the mailer is left out). The bench's recipient never reads, so after the setup's
   * first message this never runs in the measured seconds, in the app or here.
   */
  async function notifyRecipient(c: PoolClient, conversationId: string, senderId: string, recipientId: string): Promise<void> {
    const { rows } = await c.query<{ id: string; email: string; displayName: string; timeZone: string; locale: string }>(
      `SELECT id, email::text AS email, display_name AS "displayName", time_zone AS "timeZone", locale FROM user_directory WHERE id = ANY($1::uuid[])`,
      [[senderId, recipientId]],
    );
    const recipient = rows.find((r) => r.id === recipientId);
    if (!recipient) return;
    const params = { conversationId, counterpartName: rows.find((r) => r.id === senderId)?.displayName ?? 'your counterpart' };
    const message = renderMessage(
      'message.received',
      params,
      { name: recipient.displayName, timeZone: recipient.timeZone, locale: recipient.locale },
      publicUrl,
    );
    const subject = message.subject.replace(/[\r\n]+/g, ' ');
    await c.query(
      `INSERT INTO notifications (user_id, kind, title, body, link_path, params, dedupe_key, created_at) VALUES ($1, 'message.received', $2, $3, $4, $5, NULL, now())
       ON CONFLICT (user_id, dedupe_key) DO NOTHING`,
      [recipientId, subject, message.summary, message.linkPath, JSON.stringify(params)],
    );
    await c.query(
      `INSERT INTO email_outbox (to_address, template, subject, body_text, body_html, status, attempts, user_id) VALUES ($1, 'message.received', $2, $3, $4, 'PENDING', 0, $5)`,
      [recipient.email, subject, message.text, message.html, recipientId],
    );
  }
}
