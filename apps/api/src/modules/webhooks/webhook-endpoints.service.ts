import { Injectable } from '@nestjs/common';
import { WEBHOOK_TEST_EVENT } from '@lm/domain';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { AuthUser } from '../../common/auth/auth-user';
import { assertRecentSignIn } from '../../common/auth/recent-sign-in';
import type { Paged } from '../../common/http/paged.response';
import { Clock } from '../../common/time/clock';
import { AppConfig } from '../../config/app-config';
import { AuditService } from '../audit';
import { NotificationsService } from '../notifications';
import type { CreateWebhookEndpointDto, UpdateWebhookEndpointDto } from './dto/webhooks.dto';
import { parseWebhookUrl, resolveTarget, urlForRecord, WebhookResolver } from './ssrf-guard';
import { WebhookDeliveryService } from './webhook-delivery.service';
import { WebhookEvents } from './webhook-events.service';
import { newWebhookSecret } from './webhook-signing';
import {
  WebhookDeliveryNotFound,
  WebhookEndpointDisabled,
  WebhookEndpointLimit,
  WebhookEndpointNotFound,
  WebhookManualSendsLimited,
  WebhookOwnerManualSendsLimited,
} from './webhooks.errors';
import { WebhooksRepository, type DeliveryRow, type EndpointRow } from './webhooks.repository';

/** Endpoints one user may have. */
export const MAX_ENDPOINTS_PER_USER = 20;
/** Test events and replays (together) one endpoint may be sent per minute. */
export const MANUAL_SENDS_PER_MINUTE = 10;
/**
 * Test events and replays one owner may send per minute over all their endpoints, deleted ones
 * included: neither re-creating an endpoint nor spreading the sends over many of them gets past it.
 */
export const MANUAL_SENDS_PER_OWNER_PER_MINUTE = 30;
const MANUAL_SENDS_WINDOW_MS = 60_000;

/**
 * A user's webhook endpoints, their delivery log and replays. Only the owner sees an endpoint or
 * its deliveries (anyone else: 404). Each change is audited (`webhook_endpoint.*`,
 * `webhook_delivery.replayed`), never with the secret.
 */
@Injectable()
export class WebhookEndpointsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly repo: WebhooksRepository,
    private readonly resolver: WebhookResolver,
    private readonly events: WebhookEvents,
    private readonly delivery: WebhookDeliveryService,
    private readonly audit: AuditService,
    private readonly notifications: NotificationsService,
  ) {}

  list(actor: AuthUser): Promise<EndpointRow[]> {
    return this.repo.listEndpoints(actor.id);
  }

  async get(actor: AuthUser, id: string): Promise<EndpointRow> {
    const endpoint = await this.repo.endpoint(actor.id, id);
    if (!endpoint) throw new WebhookEndpointNotFound();
    return endpoint;
  }

  /**
   * Registers an endpoint (its URL checked by the SSRF guard); the secret is returned only here.
   * From a session this needs a recent password sign-in (an endpoint sends the account's events
   * elsewhere); an integration with a webhooks:manage key may register its own. The owner is
   * told either way.
   */
  async create(actor: AuthUser, dto: CreateWebhookEndpointDto): Promise<{ endpoint: EndpointRow; secret: string }> {
    if (actor.via === 'jwt') assertRecentSignIn(actor, this.clock.now());
    const url = await this.checkedUrl(dto.url);
    const secret = newWebhookSecret();
    return this.dataSource.transaction(async (m) => {
      // Serialises one user's creations so the limit holds under concurrency.
      await m.query(`SELECT pg_advisory_xact_lock(hashtext('webhook-endpoints:' || $1))`, [actor.id]);
      if ((await this.repo.countEndpoints(m, actor.id)) >= MAX_ENDPOINTS_PER_USER) throw new WebhookEndpointLimit();
      const endpoint = await this.repo.insertEndpoint(m, {
        ownerId: actor.id,
        url,
        description: dto.description?.trim() || null,
        eventTypes: dto.eventTypes,
        secret,
        now: this.clock.now(),
      });
      // audit: webhook_endpoint.created
      await this.audit.record(m, {
        actorId: actor.id,
        actorRole: actor.role,
        action: 'webhook_endpoint.created',
        subjectType: 'webhook_endpoint',
        subjectId: endpoint.id,
        payload: { url: urlForRecord(url), eventTypes: dto.eventTypes },
      });
      await this.notifications.notify(m, {
        userId: actor.id,
        kind: 'webhook.endpoint_created',
        params: {
          endpointId: endpoint.id,
          url: urlForRecord(url),
          eventTypes: dto.eventTypes,
          via: actor.via === 'jwt' ? 'session' : 'api-key',
        },
        dedupeKey: `webhook-endpoint-created:${endpoint.id}`,
      });
      return { endpoint, secret };
    });
  }

  async update(actor: AuthUser, id: string, dto: UpdateWebhookEndpointDto): Promise<EndpointRow> {
    const url = dto.url !== undefined ? await this.checkedUrl(dto.url) : undefined;
    return this.dataSource.transaction(async (m) => {
      const current = await this.repo.endpoint(actor.id, id, { manager: m, lock: true });
      if (!current) throw new WebhookEndpointNotFound();
      // Pointing an endpoint somewhere else is registering a new receiver: the same fresh sign-in as creating one.
      if (url !== undefined && url !== current.url && actor.via === 'jwt') assertRecentSignIn(actor, this.clock.now());
      const status = dto.enabled === undefined ? current.status : dto.enabled ? 'ACTIVE' : 'DISABLED';
      const updated = await this.repo.updateEndpoint(m, id, {
        url: url ?? current.url,
        description: dto.description !== undefined ? dto.description.trim() || null : current.description,
        eventTypes: dto.eventTypes ?? current.eventTypes,
        status,
        now: this.clock.now(),
      });
      // audit: webhook_endpoint.updated (also enabling/disabling by the owner)
      await this.audit.record(m, {
        actorId: actor.id,
        actorRole: actor.role,
        action: 'webhook_endpoint.updated',
        subjectType: 'webhook_endpoint',
        subjectId: id,
        payload: {
          url: urlForRecord(updated.url),
          eventTypes: updated.eventTypes,
          fromStatus: current.status,
          toStatus: updated.status,
        },
      });
      return updated;
    });
  }

  /**
   * Disables every active endpoint of the user, in the caller's transaction (identity calls it
   * when a password is reset: the account may have been someone else's for a while, so nothing
   * more goes out until its owner enables the endpoints they trust again). Audited per endpoint;
   * how many were disabled.
   */
  async disableAllOfOwner(m: EntityManager, ownerId: string, reason: 'password_reset'): Promise<number> {
    const ids = await this.repo.disableAllOfOwner(m, ownerId, this.clock.now(), reason);
    for (const id of ids) {
      // audit: webhook_endpoint.disabled
      await this.audit.record(m, {
        actorId: ownerId,
        actorRole: null,
        action: 'webhook_endpoint.disabled',
        subjectType: 'webhook_endpoint',
        subjectId: id,
        payload: { ownerId, reason },
      });
    }
    return ids.length;
  }

  async remove(actor: AuthUser, id: string): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      const current = await this.repo.endpoint(actor.id, id, { manager: m, lock: true });
      if (!current) throw new WebhookEndpointNotFound();
      await this.repo.deleteEndpoint(m, id);
      // audit: webhook_endpoint.deleted
      await this.audit.record(m, {
        actorId: actor.id,
        actorRole: actor.role,
        action: 'webhook_endpoint.deleted',
        subjectType: 'webhook_endpoint',
        subjectId: id,
        payload: { url: urlForRecord(current.url) },
      });
    });
  }

  /**
   * A new secret, returned only here. The previous one keeps signing too (a second `v1`) for
   * WEBHOOK_SECRET_OVERLAP_HOURS, so receivers can switch without losing deliveries.
   */
  async rotateSecret(actor: AuthUser, id: string): Promise<{ endpoint: EndpointRow; secret: string }> {
    const secret = newWebhookSecret();
    return this.dataSource.transaction(async (m) => {
      const current = await this.repo.endpoint(actor.id, id, { manager: m, lock: true });
      if (!current) throw new WebhookEndpointNotFound();
      const now = this.clock.now();
      const overlapMs = this.config.WEBHOOK_SECRET_OVERLAP_HOURS * 3_600_000;
      const endpoint = await this.repo.rotateSecret(m, id, {
        secret,
        previousExpiresAt: overlapMs > 0 ? new Date(now.getTime() + overlapMs) : null,
        now,
      });
      // audit: webhook_endpoint.secret_rotated
      await this.audit.record(m, {
        actorId: actor.id,
        actorRole: actor.role,
        action: 'webhook_endpoint.secret_rotated',
        subjectType: 'webhook_endpoint',
        subjectId: id,
        payload: { previousSecretExpiresAt: endpoint.previousSecretExpiresAt?.toISOString() ?? null },
      });
      return { endpoint, secret };
    });
  }

  /** Queues a `webhook.test` event to this endpoint only (delivered like any other). */
  async sendTest(actor: AuthUser, id: string): Promise<{ eventId: string; deliveryId: string }> {
    return this.dataSource.transaction(async (m) => {
      const endpoint = await this.repo.endpoint(actor.id, id, { manager: m });
      if (!endpoint) throw new WebhookEndpointNotFound();
      if (endpoint.status !== 'ACTIVE') throw new WebhookEndpointDisabled();
      const now = this.clock.now();
      await this.takeManualSend(m, actor.id, id, 'test', now);
      const { eventId, deliveryIds } = await this.events.record(
        m,
        {
          type: WEBHOOK_TEST_EVENT,
          occurredAt: now,
          userId: actor.id,
          data: { endpointId: id, message: 'A test event from LexMarket' },
        },
        [id],
      );
      return { eventId, deliveryId: deliveryIds[0]! };
    });
  }

  async deliveries(actor: AuthUser, endpointId: string, page: number, pageSize: number): Promise<Paged<DeliveryRow>> {
    await this.get(actor, endpointId);
    const { items, total } = await this.repo.deliveriesOfEndpoint(endpointId, page, pageSize);
    return { items, total, page, pageSize };
  }

  async deliveryDetail(actor: AuthUser, id: string): Promise<DeliveryRow & { body: string }> {
    const delivery = await this.repo.deliveryOfOwner(actor.id, id);
    if (!delivery) throw new WebhookDeliveryNotFound();
    return delivery;
  }

  /**
   * Sends one delivery again now (same event id and body, a fresh signature); its outcome joins
   * the log. Only to an ACTIVE endpoint, like a test event (409 otherwise): an endpoint disabled
   * by its owner, by a password reset or for failing receives nothing until it is enabled again.
   */
  async replay(actor: AuthUser, id: string): Promise<DeliveryRow & { body: string }> {
    const delivery = await this.deliveryDetail(actor, id);
    await this.dataSource.transaction(async (m) => {
      const endpoint = await this.repo.endpoint(actor.id, delivery.endpointId, { manager: m });
      if (!endpoint) throw new WebhookDeliveryNotFound();
      if (endpoint.status !== 'ACTIVE') throw new WebhookEndpointDisabled();
      await this.takeManualSend(m, actor.id, delivery.endpointId, 'replay', this.clock.now());
      // audit: webhook_delivery.replayed
      await this.audit.record(m, {
        actorId: actor.id,
        actorRole: actor.role,
        action: 'webhook_delivery.replayed',
        subjectType: 'webhook_delivery',
        subjectId: id,
        payload: { eventId: delivery.eventId, endpointId: delivery.endpointId },
      });
    });
    await this.delivery.attempt(id, { manual: true });
    return this.deliveryDetail(actor, id);
  }

  /**
   * Counts a test event or replay against the endpoint's and the owner's per-minute budgets
   * (429 RATE_LIMITED beyond either).
   */
  private async takeManualSend(
    m: EntityManager,
    ownerId: string,
    endpointId: string,
    kind: 'test' | 'replay',
    now: Date,
  ): Promise<void> {
    const refused = await this.repo.takeManualSend(
      m,
      { endpointId, ownerId, kind, now },
      { endpoint: MANUAL_SENDS_PER_MINUTE, owner: MANUAL_SENDS_PER_OWNER_PER_MINUTE, windowMs: MANUAL_SENDS_WINDOW_MS },
    );
    if (!refused) return;
    const retryAfter = Math.ceil(refused.waitMs / 1000);
    throw refused.limit === 'endpoint'
      ? new WebhookManualSendsLimited(retryAfter)
      : new WebhookOwnerManualSendsLimited(retryAfter);
  }

  /** The URL in its normalised form, after the shape check and the SSRF guard. */
  private async checkedUrl(raw: string): Promise<string> {
    const url = parseWebhookUrl(raw.trim(), this.config.webhooksRequireHttps);
    await resolveTarget(url, this.resolver, this.config.webhooksAllowPrivateUrls);
    return url.toString();
  }
}
