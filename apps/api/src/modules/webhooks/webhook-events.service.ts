import { Injectable } from '@nestjs/common';
import type { WebhookDeliveredType, WebhookEventType } from '@lm/domain';
import type { EntityManager } from 'typeorm';
import { Clock } from '../../common/time/clock';
import { JobsService } from '../jobs';
import { newEventId } from './webhook-signing';
import { WebhooksRepository } from './webhooks.repository';

/** pg-boss queue of single delivery attempts (`{ deliveryId }`). */
export const WEBHOOK_DELIVER_QUEUE = 'webhooks.deliver';

/** One change, as the emitting module shapes it for each user allowed to hear of it. */
export interface WebhookEmit {
  type: WebhookEventType;
  occurredAt: Date;
  /** Per recipient user, `data` already filtered to what that user may see. */
  recipients: { userId: string; data: Record<string, unknown> }[];
}

/**
 * The outbox of outbound webhooks. `emit` runs inside the transaction of the change that causes
 * the event: for each recipient with an ACTIVE endpoint subscribed to the type, one
 * `webhook_events` row (its `evt_…` id and the exact JSON body every attempt will sign and
 * send) and one `webhook_deliveries` row per such endpoint, each with its delivery job sent in
 * that same transaction. A rollback leaves no event, no delivery and no job.
 */
@Injectable()
export class WebhookEvents {
  constructor(
    private readonly clock: Clock,
    private readonly repo: WebhooksRepository,
    private readonly jobs: JobsService,
  ) {}

  async emit(m: EntityManager, e: WebhookEmit): Promise<void> {
    for (const recipient of e.recipients) {
      const endpoints = await this.repo.subscribedEndpoints(m, recipient.userId, e.type);
      if (endpoints.length === 0) continue;
      await this.record(
        m,
        { type: e.type, occurredAt: e.occurredAt, userId: recipient.userId, data: recipient.data },
        endpoints.map((x) => x.id),
      );
    }
  }

  /** Writes one event for `userId` and queues its delivery to each of `endpointIds` (the test event uses it directly). */
  async record(
    m: EntityManager,
    e: { type: WebhookDeliveredType; occurredAt: Date; userId: string; data: Record<string, unknown> },
    endpointIds: string[],
  ): Promise<{ eventId: string; deliveryIds: string[] }> {
    const now = this.clock.now();
    const eventId = newEventId();
    const body = JSON.stringify({ id: eventId, type: e.type, created: e.occurredAt.toISOString(), data: e.data });
    await this.repo.insertEvent(m, { id: eventId, userId: e.userId, type: e.type, occurredAt: e.occurredAt, body, now });
    const deliveryIds: string[] = [];
    for (const endpointId of endpointIds) {
      const deliveryId = await this.repo.insertDelivery(m, { eventId, endpointId, now });
      await this.jobs.send(WEBHOOK_DELIVER_QUEUE, { deliveryId }, { manager: m });
      deliveryIds.push(deliveryId);
    }
    return { eventId, deliveryIds };
  }
}
