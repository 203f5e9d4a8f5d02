import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomBytes } from 'node:crypto';
import { pipeline, Readable, Transform, type TransformCallback } from 'node:stream';
import { DataSource } from 'typeorm';
import type { AuthUser } from '../../common/auth/auth-user';
import { Clock } from '../../common/time/clock';
import { JobsService } from '../jobs';
import { BlobStore } from '../storage';
import { ConversationsService } from './conversations.service';
import {
  AttachmentExists,
  AttachmentInvalid,
  AttachmentNotFound,
  AttachmentPendingLimit,
  AttachmentTooLarge,
} from './messaging.errors';
import { ATTACHMENT_MAX_BYTES, ATTACHMENT_MIN_BYTES } from './messaging-rules';
import { MessagesRepository, type AttachmentRow } from './messages.repository';

/** Uploads one user may have that no message carries yet (an abandoned composer leaves some; the cleanup removes them). */
export const MAX_PENDING_ATTACHMENTS = 50;
/** An upload no message carries after this long is removed (row and blob). */
export const UNSENT_ATTACHMENT_TTL_MS = 24 * 60 * 60_000;
export const ATTACHMENTS_CLEANUP_QUEUE = 'messaging.attachments-cleanup';
const CLEANUP_BATCH = 200;

/**
 * Encrypted attachments. The browser encrypts a file with a fresh key (which only the message
 * that carries the attachment contains, encrypted) and uploads the ciphertext here under an id
 * it chose; the server streams it into the blob store under a key of its own, never buffering
 * it, and refuses it past 25 MiB + the GCM tag while it streams. A participant downloads it as
 * stored; the counterpart only once a message carries it.
 */
@Injectable()
export class AttachmentsService implements OnModuleInit {
  private readonly logger = new Logger(AttachmentsService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly conversations: ConversationsService,
    private readonly messages: MessagesRepository,
    private readonly blobs: BlobStore,
    private readonly jobs: JobsService,
  ) {}

  onModuleInit(): void {
    this.jobs.register({ name: ATTACHMENTS_CLEANUP_QUEUE, retryLimit: 0 }, async () => void (await this.cleanup()), {
      cron: { expression: '41 * * * *' },
    });
  }

  async upload(actor: AuthUser, conversationId: string, attachmentId: string, body: Readable): Promise<AttachmentRow> {
    const id = attachmentId.toLowerCase();
    let blobKey: string | null = null;
    try {
      const m = this.dataSource.manager;
      const c = await this.conversations.require(m, actor, conversationId);
      // Checked before the bytes are read (and again on insert): no 25 MiB for nothing.
      if (await this.messages.attachment(m, id)) throw new AttachmentExists();
      if ((await this.messages.pendingCount(m, actor.id)) >= MAX_PENDING_ATTACHMENTS)
        throw new AttachmentPendingLimit(undefined, { max: MAX_PENDING_ATTACHMENTS });

      blobKey = `messaging/${c.id}/${id}.${randomBytes(8).toString('hex')}`;
      // pipeline: an error of the request body (too large, aborted) fails the limited stream, and so the put.
      const limited = sizeLimit(ATTACHMENT_MAX_BYTES);
      pipeline(body, limited, () => undefined);
      const stored = await this.blobs.put(blobKey, limited, { contentType: 'application/octet-stream' }).catch((e: unknown) => {
        throw isTooLarge(e) ? new AttachmentTooLarge() : e;
      });
      if (stored.size < ATTACHMENT_MIN_BYTES)
        throw new AttachmentInvalid('An encrypted attachment is at least 16 bytes (its authentication tag)');
      const key = blobKey;
      // Checked again where it counts: uploads that passed the first check together are serialised
      // here, so no more than the limit is ever kept pending.
      const row = await this.dataSource.transaction(async (tx) => {
        await this.messages.lockUploader(tx, actor.id);
        if ((await this.messages.pendingCount(tx, actor.id)) >= MAX_PENDING_ATTACHMENTS)
          throw new AttachmentPendingLimit(undefined, { max: MAX_PENDING_ATTACHMENTS });
        return this.messages.insertAttachment(tx, {
          id,
          conversationId: c.id,
          uploaderId: actor.id,
          blobKey: key,
          size: stored.size,
          createdAt: this.clock.now(),
        });
      });
      if (!row) throw new AttachmentExists();
      blobKey = null; // kept: the row refers to it
      return row;
    } finally {
      if (blobKey) await this.blobs.delete(blobKey).catch(() => undefined);
      // Whatever was refused before or while reading it, the rest of the body is not wanted.
      if (!body.readableEnded) body.resume();
    }
  }

  /** The ciphertext of an attachment: the uploader's at any time, the other participant's once a message carries it. */
  async download(actor: AuthUser, conversationId: string, attachmentId: string): Promise<{ stream: Readable; size: number }> {
    const m = this.dataSource.manager;
    const c = await this.conversations.require(m, actor, conversationId);
    const a = await this.messages.attachment(m, attachmentId.toLowerCase());
    if (!a || a.conversationId !== c.id || (a.messageId === null && a.uploaderId !== actor.id)) throw new AttachmentNotFound();
    const content = await this.blobs.get(a.blobKey);
    return { stream: content.stream, size: content.size };
  }

  /** Removes uploads that no message carried within a day (row, then blob); how many. Run hourly by pg-boss. */
  async cleanup(): Promise<number> {
    const stale = await this.messages.staleUnlinked(new Date(this.clock.nowMs() - UNSENT_ATTACHMENT_TTL_MS), CLEANUP_BATCH);
    let removed = 0;
    for (const a of stale) {
      try {
        const deleted = await this.dataSource.transaction((m) => this.messages.deleteUnlinked(m, a.id));
        if (!deleted) continue;
        await this.blobs.delete(a.blobKey);
        removed++;
      } catch (e) {
        this.logger.warn(`Removing unsent attachment ${a.id} failed: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    if (removed > 0) this.logger.log(`Removed ${removed} attachments uploaded but never sent`);
    return removed;
  }
}

class TooLarge extends Error {}

/** Passes at most `limit` bytes, then fails: the service's own limit holds whatever the route's parser let through. */
function sizeLimit(limit: number): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
      seen += chunk.length;
      callback(seen > limit ? new TooLarge() : null, seen > limit ? undefined : chunk);
    },
  });
}

function isTooLarge(e: unknown): boolean {
  return e instanceof TooLarge || e instanceof AttachmentTooLarge || (e as { statusCode?: unknown } | null)?.statusCode === 413;
}
