import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { WEBHOOK_EVENT_ID_HEADER, WEBHOOK_EVENT_TYPE_HEADER, WEBHOOK_SIGNATURE_HEADER } from '@lm/domain';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { DomainError } from '../../common/errors/domain-error';
import { Clock } from '../../common/time/clock';
import { AppConfig } from '../../config/app-config';
import { AuditService } from '../audit';
import { JobsService } from '../jobs';
import { NotificationsService } from '../notifications';
import { WEBHOOK_DELIVER_QUEUE } from './webhook-events.service';
import { postPinned, type PostOutcome } from './webhook-http';
import { signatureHeader } from './webhook-signing';
import { parseWebhookUrl, resolveTarget, urlForRecord, WebhookResolver } from './ssrf-guard';
import { WebhookEndpointDisabled } from './webhooks.errors';
import { WebhooksRepository, type DeliveryForAttempt, type DeliveryStatus } from './webhooks.repository';

/** Cron sweep of deliveries whose retry is due (by the business clock). */
export const WEBHOOK_RETRY_SWEEP_QUEUE = 'webhooks.retry-sweep';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/** How long deliveries are retried after their first attempt, and how long an endpoint may fail before it is disabled. */
export const WEBHOOK_RETRY_WINDOW_MS = 3 * 24 * HOUR;
/**
 * Wait after the n-th failed attempt (n from 1); past the list, the last step repeats. The attempt
 * that would fall after the 3-day window is made at its end instead, then the delivery FAILS.
 */
export const WEBHOOK_BACKOFF_MS = [1 * MINUTE, 5 * MINUTE, 30 * MINUTE, 2 * HOUR, 5 * HOUR, 10 * HOUR, 12 * HOUR] as const;
const SWEEP_BATCH = 100;
/** Deliveries one worker sends at once. */
const WORKER_CONCURRENCY = 8;
/** Of those, to one endpoint at most: a receiver that never answers holds at most these lanes. */
export const PER_ENDPOINT_IN_FLIGHT = 4;
/** Automatic attempts of an endpoint failing in a row that open its circuit. */
export const CIRCUIT_FAILURES = 5;
/** How long an open circuit postpones the endpoint's due deliveries (then a few are tried again). */
export const CIRCUIT_OPEN_MS = 5 * MINUTE;

export type AttemptResult = 'delivered' | 'retrying' | 'failed' | 'skipped';

/**
 * Attempts deliveries: the `webhooks.deliver` job right after the emitting transaction commits,
 * then retries from `next_attempt_at` (business clock) through a sweep every minute. Each
 * attempt holds its delivery row locked (SKIP LOCKED), so two workers never send the same
 * delivery at once; a 2xx marks it DELIVERED in the same transaction. A crash between the
 * receiver's 2xx and the commit sends it again: delivery is at-least-once, and receivers
 * de-duplicate by event id.
 */
@Injectable()
export class WebhookDeliveryService implements OnModuleInit {
  private readonly logger = new Logger(WebhookDeliveryService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly repo: WebhooksRepository,
    private readonly resolver: WebhookResolver,
    private readonly jobs: JobsService,
    private readonly notifications: NotificationsService,
    private readonly audit: AuditService,
  ) {}

  onModuleInit(): void {
    this.jobs.register<{ deliveryId: string }>(
      { name: WEBHOOK_DELIVER_QUEUE, retryLimit: 0 },
      // A batch is sent WORKER_CONCURRENCY at a time (no connection is held while sending), so a
      // burst of events is not paced by the polling interval.
      // At most PER_ENDPOINT_IN_FLIGHT of them to one endpoint, so a slow receiver's burst does not
      // hold every lane while other endpoints' deliveries wait.
      async (jobs) => {
        const endpoints = await this.repo.endpointsOf(jobs.map((j) => j.data.deliveryId));
        await inFairLanes(
          jobs,
          (job) => endpoints.get(job.data.deliveryId) ?? job.data.deliveryId,
          WORKER_CONCURRENCY,
          PER_ENDPOINT_IN_FLIGHT,
          (job) => this.attempt(job.data.deliveryId),
        );
      },
      { work: { pollingIntervalSeconds: 0.5, batchSize: 100 }, workers: 2 },
    );
    this.jobs.register({ name: WEBHOOK_RETRY_SWEEP_QUEUE, retryLimit: 0 }, async () => void (await this.sweepDue()), {
      cron: { expression: '* * * * *' },
    });
  }

  /** Attempts every delivery due now (each in its own transaction); how many were attempted. */
  async sweepDue(): Promise<number> {
    let attempted = 0;
    // Shared out between endpoints, in lanes like the worker: one receiver that never answers (or
    // one endpoint's backlog) must not hold up every other endpoint's retries.
    const due = await this.repo.due(this.clock.now(), SWEEP_BATCH);
    await inFairLanes(due, (d) => d.endpointId, WORKER_CONCURRENCY, PER_ENDPOINT_IN_FLIGHT, async ({ id }) => {
      try {
        if ((await this.attempt(id)) !== 'skipped') attempted++;
      } catch (e) {
        this.logger.error(`Webhook delivery ${id} failed unexpectedly: ${e instanceof Error ? e.message : String(e)}`);
      }
    });
    return attempted;
  }

  /**
   * One attempt of a delivery. Automatic attempts run only for a PENDING delivery that is due and
   * whose endpoint is ACTIVE; a `manual` one (replay) runs whatever the delivery's state, and
   * changes it only when it succeeds, but also only to an ACTIVE endpoint (WebhookEndpointDisabled
   * otherwise, nothing sent). 'skipped': nothing was sent.
   */
  async attempt(deliveryId: string, opts: { manual?: boolean } = {}): Promise<AttemptResult> {
    const manual = opts.manual ?? false;
    // 1. Claim it (row lock, eligibility, a lease past the longest send), so no other worker or
    //    sweep takes it while this one sends; the lock is not held during the HTTP call, which
    //    would tie a database connection to a slow receiver for up to the total timeout.
    const claimed = await this.dataSource.transaction(async (m) => {
      const d = await this.repo.lockForAttempt(m, deliveryId);
      if (!d) return null;
      const now = this.clock.now();
      if (!manual) {
        if (d.status !== 'PENDING' || (d.nextAttemptAt && d.nextAttemptAt.getTime() > now.getTime())) return null;
        if (d.endpoint.status !== 'ACTIVE') {
          await this.repo.failWithoutAttempt(m, d.id, 'endpoint disabled');
          return null;
        }
        // The endpoint failed CIRCUIT_FAILURES times in a row: wait with the others instead of trying each one.
        if (d.endpoint.circuitOpenUntil && d.endpoint.circuitOpenUntil.getTime() > now.getTime()) {
          await this.repo.postpone(m, d.id, d.endpoint.circuitOpenUntil);
          return null;
        }
      }
      // A replay goes only to an ACTIVE endpoint, like a test event: checked again here, in case
      // the endpoint was disabled (by its owner, a password reset) since the request was accepted.
      if (manual && d.endpoint.status !== 'ACTIVE') throw new WebhookEndpointDisabled();
      // A suspended owner receives nothing, replays included (their API keys are refused too).
      if (d.ownerStatus !== 'ACTIVE') {
        if (d.status === 'PENDING') await this.repo.failWithoutAttempt(m, d.id, 'owner suspended');
        return null;
      }
      // A replay takes no lease: it leaves the schedule of the automatic attempts as it was.
      const lease = !manual && d.status === 'PENDING' ? new Date(now.getTime() + this.leaseMs()) : null;
      if (lease) await this.repo.lease(m, d.id, lease);
      return { d, now, lease };
    });
    if (!claimed) return 'skipped';
    const { d, now, lease } = claimed;
    // 2. Send, outside any transaction. A crash from here on leaves the lease to run out: the
    //    sweep then attempts again (at least once, never lost).
    const outcome = await this.send(d, now);
    // 3. Record what happened, against the delivery as it is now: a replay or another attempt may
    //    have finished meanwhile (a lease that ran out). A failure never undoes a delivery, and only
    //    the attempt that still holds its lease moves the retry schedule on.
    return this.dataSource.transaction(async (m) => {
      const ok = outcome.statusCode !== null && outcome.statusCode >= 200 && outcome.statusCode < 300;
      const current = (await this.repo.lockState(m, d.id)) ?? { status: d.status, nextAttemptAt: d.nextAttemptAt };
      const holdsLease =
        !manual && lease !== null && current.status === 'PENDING' && current.nextAttemptAt?.getTime() === lease.getTime();
      let status: DeliveryStatus;
      let next: Date | null;
      if (ok) {
        status = 'DELIVERED';
        next = null;
        await this.repo.clearFailing(m, d.endpointId);
      } else if (!holdsLease) {
        // A replay, or an attempt overtaken by another: logged, the delivery's state left as it is.
        status = current.status;
        next = current.status === 'PENDING' ? current.nextAttemptAt : null;
        await this.repo.recordAttempt(m, d.id, { status, nextAttemptAt: next, at: now, manual, ...outcome });
        return current.status === 'DELIVERED' ? 'delivered' : current.status === 'FAILED' ? 'failed' : 'retrying';
      } else {
        const deadline = (d.firstAttemptAt ?? now).getTime() + WEBHOOK_RETRY_WINDOW_MS;
        if (now.getTime() >= deadline) {
          status = 'FAILED';
          next = null;
        } else {
          const wait = WEBHOOK_BACKOFF_MS[Math.min(d.attempts, WEBHOOK_BACKOFF_MS.length - 1)]!;
          status = 'PENDING';
          next = new Date(Math.min(now.getTime() + wait, deadline));
        }
      }
      await this.repo.recordAttempt(m, d.id, { status, nextAttemptAt: next, at: now, manual, ...outcome });
      if (!ok && !manual) await this.afterFailure(m, d, now);
      return ok ? 'delivered' : status === 'FAILED' ? 'failed' : 'retrying';
    });
  }

  /** How long a claimed delivery is left alone: longer than any send can take. */
  private leaseMs(): number {
    return this.config.WEBHOOK_TIMEOUT_MS + 60_000;
  }

  /** Sends the delivery's event to its endpoint: SSRF check on a fresh resolution, then POST to the checked address. */
  private async send(
    d: DeliveryForAttempt,
    now: Date,
  ): Promise<Pick<PostOutcome, 'statusCode' | 'error' | 'durationMs' | 'responseExcerpt'> & { signature: string | null }> {
    let target;
    let url: URL;
    try {
      url = parseWebhookUrl(d.endpoint.url, this.config.webhooksRequireHttps);
      target = await resolveTarget(url, this.resolver, this.config.webhooksAllowPrivateUrls);
    } catch (e) {
      if (!(e instanceof DomainError)) throw e;
      // Refused before any connection (e.g. the name now resolves to a private address: DNS rebinding;
      // an http:// endpoint registered before the server ran in production).
      return { statusCode: null, error: e.code, durationMs: 0, responseExcerpt: null, signature: null };
    }
    const secrets = [d.endpoint.secret];
    if (
      d.endpoint.previousSecret &&
      d.endpoint.previousSecretExpiresAt &&
      d.endpoint.previousSecretExpiresAt.getTime() > now.getTime()
    ) {
      secrets.push(d.endpoint.previousSecret);
    }
    // Kept with the attempt, so the owner can compare it with what their receiver computed.
    const signature = signatureHeader(d.body, now, secrets);
    const outcome = await postPinned({
      url,
      address: target,
      body: d.body,
      headers: {
        'Content-Type': 'application/json',
        'User-Agent': 'LexMarket-Webhooks/1',
        [WEBHOOK_SIGNATURE_HEADER]: signature,
        [WEBHOOK_EVENT_ID_HEADER]: d.eventId,
        [WEBHOOK_EVENT_TYPE_HEADER]: d.eventType,
      },
      connectTimeoutMs: this.config.WEBHOOK_CONNECT_TIMEOUT_MS,
      totalTimeoutMs: this.config.WEBHOOK_TIMEOUT_MS,
    });
    return { ...outcome, signature };
  }

  /** The endpoint is failing since its first failure after the last success; after 3 days of that it is disabled and its owner emailed. */
  private async afterFailure(m: EntityManager, d: DeliveryForAttempt, now: Date): Promise<void> {
    const failing = await this.repo.markFailing(m, d.endpointId, now, {
      after: CIRCUIT_FAILURES,
      openUntil: new Date(now.getTime() + CIRCUIT_OPEN_MS),
    });
    if (!failing || failing.status !== 'ACTIVE') return;
    if (now.getTime() - new Date(failing.failingSince).getTime() < WEBHOOK_RETRY_WINDOW_MS) return;
    if (!(await this.repo.disable(m, d.endpointId, now, 'failing'))) return;
    const failingSince = new Date(failing.failingSince).toISOString();
    await this.notifications.notify(m, {
      userId: d.endpoint.ownerId,
      kind: 'webhook.endpoint_disabled',
      params: { endpointId: d.endpointId, url: urlForRecord(d.endpoint.url), failingSince },
      dedupeKey: `webhook-disabled:${d.endpointId}:${now.toISOString()}`,
    });
    // audit: webhook_endpoint.disabled
    await this.audit.record(m, {
      actorId: null,
      actorRole: null,
      action: 'webhook_endpoint.disabled',
      subjectType: 'webhook_endpoint',
      subjectId: d.endpointId,
      payload: { ownerId: d.endpoint.ownerId, reason: 'failing', failingSince },
    });
  }
}

/**
 * Runs `work` over `items` in order, at most `lanes` at a time and at most `perKey` of one key
 * (an endpoint) at a time: an item whose key is at its limit waits while later items of other
 * keys go ahead. Every item is worked on; the first error is thrown once all are done.
 */
export async function inFairLanes<T>(
  items: readonly T[],
  keyOf: (item: T) => string,
  lanes: number,
  perKey: number,
  work: (item: T) => Promise<unknown>,
): Promise<void> {
  const waiting = [...items];
  const inFlight = new Map<string, number>();
  const running = new Set<Promise<void>>();
  let failure: { error: unknown } | null = null;
  while (waiting.length > 0 || running.size > 0) {
    for (let i = 0; i < waiting.length && running.size < lanes; ) {
      const key = keyOf(waiting[i]!);
      if ((inFlight.get(key) ?? 0) >= perKey) {
        i++;
        continue;
      }
      const item = waiting.splice(i, 1)[0]!;
      inFlight.set(key, (inFlight.get(key) ?? 0) + 1);
      const run: Promise<void> = work(item)
        .then(
          () => undefined,
          (error: unknown) => {
            failure ??= { error };
          },
        )
        .finally(() => {
          inFlight.set(key, inFlight.get(key)! - 1);
          running.delete(run);
        });
      running.add(run);
    }
    if (running.size === 0) break;
    await Promise.race(running);
  }
  if (failure) throw (failure as { error: unknown }).error;
}
