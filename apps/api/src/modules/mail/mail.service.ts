import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { Clock } from '../../common/time/clock';
import { InjectDataSource } from '@nestjs/typeorm';
import type PgBoss from 'pg-boss';
import { DataSource, EntityManager } from 'typeorm';
import { JobsService } from '../jobs';
import { EmailMessage } from './email-message.entity';
import { MailTransport } from './mail-transport';

export const MAIL_SEND_QUEUE = 'mail.send';
/** Attempts before a message is marked FAILED (pg-boss retries with exponential backoff). */
export const MAIL_MAX_ATTEMPTS = 5;

export interface EnqueueEmail {
  to: string;
  /** Stable name of the message kind, e.g. 'password-reset'; for filtering and audits. */
  template: string;
  subject: string;
  text: string;
  /** An HTML alternative of `text` (every user-supplied value in it escaped by the caller). */
  html?: string | null;
  userId?: string | null;
}

/**
 * The outbox. `enqueue` writes the message and its send job in the caller's transaction, so an
 * email exists if and only if the change that causes it commits, and none is lost on a crash.
 */
@Injectable()
export class MailService implements OnModuleInit {
  private readonly logger = new Logger(MailService.name);

  constructor(
    private readonly jobs: JobsService,
    private readonly transport: MailTransport,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.jobs.register<{ id: string }>(
      { name: MAIL_SEND_QUEUE, retryLimit: MAIL_MAX_ATTEMPTS - 1, retryDelay: 30, retryBackoff: true },
      (jobs) => this.deliverBatch(jobs),
      // Up to 20 messages per poll: a burst (a seeded demo, a busy hour) drains in seconds, not one per second.
      { work: { pollingIntervalSeconds: 1, batchSize: 20 } },
    );
  }

  async enqueue(manager: EntityManager, email: EnqueueEmail): Promise<EmailMessage> {
    const message = await manager.getRepository(EmailMessage).save(
      manager.getRepository(EmailMessage).create({
        toAddress: email.to,
        template: email.template,
        subject: email.subject,
        bodyText: email.text,
        bodyHtml: email.html ?? null,
        status: 'PENDING',
        attempts: 0,
        userId: email.userId ?? null,
      }),
    );
    await this.jobs.send(MAIL_SEND_QUEUE, { id: message.id }, { manager });
    return message;
  }

  /**
   * Delivers each message of the batch; one failure does not hold back the others. pg-boss
   * retries a failed batch as a whole, which is harmless: `deliver` does nothing for a message
   * that is no longer PENDING.
   */
  private async deliverBatch(jobs: PgBoss.Job<{ id: string }>[]): Promise<void> {
    let failure: unknown;
    for (const job of jobs) {
      try {
        await this.deliver(job.data.id);
      } catch (e) {
        failure ??= e;
      }
    }
    if (failure !== undefined) throw failure;
  }

  /** Sends (or captures) one message; throws on SMTP failure so pg-boss retries it. */
  async deliver(id: string): Promise<void> {
    const outcome = await this.dataSource.transaction(async (manager): Promise<'done' | 'retry'> => {
      const repo = manager.getRepository(EmailMessage);
      // Row lock: a duplicate job delivery waits, then sees the final status and does nothing.
      const message = await repo.findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!message || message.status !== 'PENDING') return 'done';
      if (!this.transport.enabled) {
        await repo.update(id, { status: 'CAPTURED', attempts: message.attempts + 1, sentAt: this.clock.now() });
        return 'done';
      }
      try {
        await this.transport.send({ to: message.toAddress, subject: message.subject, text: message.bodyText, html: message.bodyHtml });
        await repo.update(id, { status: 'SENT', attempts: message.attempts + 1, sentAt: this.clock.now(), lastError: null });
        return 'done';
      } catch (e) {
        const attempts = message.attempts + 1;
        const lastError = (e instanceof Error ? e.message : String(e)).slice(0, 500);
        await repo.update(id, { attempts, lastError, status: attempts >= MAIL_MAX_ATTEMPTS ? 'FAILED' : 'PENDING' });
        this.logger.warn(`Email ${id} (${message.template}) attempt ${attempts} failed: ${lastError}`);
        return attempts < MAIL_MAX_ATTEMPTS ? 'retry' : 'done';
      }
    });
    // Thrown after the commit, so the recorded attempt survives and pg-boss retries the job.
    if (outcome === 'retry') throw new EmailDeliveryDeferred(id);
  }

  /** Admin view of the outbox, newest first. */
  async list(filter: { status?: EmailMessage['status']; to?: string; page: number; pageSize: number }) {
    const qb = this.dataSource.getRepository(EmailMessage).createQueryBuilder('m');
    if (filter.status) qb.andWhere('m.status = :status', { status: filter.status });
    if (filter.to) qb.andWhere('m.to_address = :to', { to: filter.to });
    qb.orderBy('m.created_at', 'DESC').addOrderBy('m.id', 'DESC');
    qb.skip((filter.page - 1) * filter.pageSize).take(filter.pageSize);
    const [items, total] = await qb.getManyAndCount();
    return { items, total };
  }
}

/** Thrown after a failed attempt is recorded, so the job is retried later. */
class EmailDeliveryDeferred extends Error {
  constructor(id: string) {
    super(`Email ${id} will be retried`);
  }
}
