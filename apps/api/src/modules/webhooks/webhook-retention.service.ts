import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { Clock } from '../../common/time/clock';
import { AppConfig } from '../../config/app-config';
import { JobsService } from '../jobs';
import { WebhooksRepository } from './webhooks.repository';

/** Daily cron job that prunes old webhook events and deliveries. */
export const WEBHOOK_RETENTION_QUEUE = 'webhooks.retention';
/** Rows deleted per statement, so one run never holds a long transaction. */
const PRUNE_BATCH = 1_000;
/** Manual sends are only counted over the last minute; a day of them is kept for support. */
const MANUAL_SENDS_KEPT_MS = 24 * 3_600_000;

export interface PruneResult {
  deliveries: number;
  events: number;
  manualSends: number;
}

/**
 * Keeps the webhook tables to WEBHOOK_RETENTION_DAYS (default 30): finished deliveries (with
 * their response excerpts and attempt logs) created before then, the events none of whose
 * deliveries remain, and old manual-send records. A PENDING delivery is never pruned, nor its
 * event: it still has to be attempted (it ends within the 3-day retry window anyway).
 */
@Injectable()
export class WebhookRetentionService implements OnModuleInit {
  private readonly logger = new Logger(WebhookRetentionService.name);

  constructor(
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly repo: WebhooksRepository,
    private readonly jobs: JobsService,
  ) {}

  onModuleInit(): void {
    this.jobs.register({ name: WEBHOOK_RETENTION_QUEUE, retryLimit: 0 }, async () => void (await this.prune()), {
      cron: { expression: '29 3 * * *' },
    });
  }

  async prune(): Promise<PruneResult> {
    const now = this.clock.now();
    const cutoff = new Date(now.getTime() - this.config.WEBHOOK_RETENTION_DAYS * 24 * 3_600_000);
    const result: PruneResult = { deliveries: 0, events: 0, manualSends: 0 };
    const drain = async (step: () => Promise<number>) => {
      let total = 0;
      for (let n = await step(); n > 0; n = await step()) total += n;
      return total;
    };
    result.deliveries = await drain(() => this.repo.pruneDeliveries(cutoff, PRUNE_BATCH));
    result.events = await drain(() => this.repo.pruneEvents(cutoff, PRUNE_BATCH));
    result.manualSends = await drain(() =>
      this.repo.pruneManualSends(new Date(now.getTime() - MANUAL_SENDS_KEPT_MS), PRUNE_BATCH),
    );
    if (result.deliveries || result.events || result.manualSends)
      this.logger.log(
        `Pruned webhook data older than ${cutoff.toISOString()}: ${result.deliveries} deliveries, ${result.events} events, ${result.manualSends} manual sends`,
      );
    return result;
  }
}
