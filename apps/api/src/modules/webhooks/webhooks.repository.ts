import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';

export type EndpointStatus = 'ACTIVE' | 'DISABLED';
export type DeliveryStatus = 'PENDING' | 'DELIVERED' | 'FAILED';

export interface EndpointRow {
  id: string;
  ownerId: string;
  url: string;
  description: string | null;
  eventTypes: string[];
  secret: string;
  previousSecret: string | null;
  previousSecretExpiresAt: Date | null;
  status: EndpointStatus;
  disabledAt: Date | null;
  disabledReason: string | null;
  failingSince: Date | null;
  /** Automatic attempts that failed in a row (a success resets it). */
  consecutiveFailures: number;
  /** While in the future, the endpoint's due deliveries are postponed to it rather than attempted (circuit breaker). */
  circuitOpenUntil: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

/** One attempt in a delivery's history. */
export interface AttemptRecord {
  at: string;
  statusCode: number | null;
  error: string | null;
  durationMs: number;
  manual: boolean;
  /** The `LexMarket-Signature` header sent; null when nothing was sent (absent in older records). */
  signature?: string | null;
}

export interface DeliveryRow {
  id: string;
  eventId: string;
  endpointId: string;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: Date | null;
  firstAttemptAt: Date | null;
  lastAttemptAt: Date | null;
  lastStatusCode: number | null;
  lastError: string | null;
  lastDurationMs: number | null;
  lastResponseExcerpt: string | null;
  deliveredAt: Date | null;
  history: AttemptRecord[];
  createdAt: Date;
  eventType: string;
  occurredAt: Date;
}

/** A delivery with what an attempt needs: its event's body and its endpoint. */
/** Attempts kept in a delivery's log (a delivery replayed over and over keeps its newest ones). */
export const HISTORY_LIMIT = 50;

export interface DeliveryForAttempt extends DeliveryRow {
  body: string;
  endpoint: EndpointRow;
  /** The endpoint owner's account status (a suspended owner gets nothing delivered). */
  ownerStatus: string;
}

const ENDPOINT_COLUMNS = `e.id, e.owner_id AS "ownerId", e.url, e.description, e.event_types AS "eventTypes", e.secret,
  e.previous_secret AS "previousSecret", e.previous_secret_expires_at AS "previousSecretExpiresAt", e.status,
  e.disabled_at AS "disabledAt", e.disabled_reason AS "disabledReason", e.failing_since AS "failingSince",
  e.consecutive_failures AS "consecutiveFailures", e.circuit_open_until AS "circuitOpenUntil",
  e.created_at AS "createdAt", e.updated_at AS "updatedAt"`;

const DELIVERY_COLUMNS = `d.id, d.event_id AS "eventId", d.endpoint_id AS "endpointId", d.status, d.attempts,
  d.next_attempt_at AS "nextAttemptAt", d.first_attempt_at AS "firstAttemptAt", d.last_attempt_at AS "lastAttemptAt",
  d.last_status_code AS "lastStatusCode", d.last_error AS "lastError", d.last_duration_ms AS "lastDurationMs",
  d.last_response_excerpt AS "lastResponseExcerpt", d.delivered_at AS "deliveredAt", d.history, d.created_at AS "createdAt",
  ev.type AS "eventType", ev.occurred_at AS "occurredAt"`;

/** SQL of the webhooks module's three tables (webhook_endpoints, webhook_events, webhook_deliveries). */
@Injectable()
export class WebhooksRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private m(manager?: EntityManager): EntityManager {
    return manager ?? this.dataSource.manager;
  }

  async insertEndpoint(
    m: EntityManager,
    e: { ownerId: string; url: string; description: string | null; eventTypes: string[]; secret: string; now: Date },
  ): Promise<EndpointRow> {
    const rows: EndpointRow[] = await m.query(
      `INSERT INTO webhook_endpoints AS e (owner_id, url, description, event_types, secret, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING ${ENDPOINT_COLUMNS}`,
      [e.ownerId, e.url, e.description, e.eventTypes, e.secret, e.now],
    );
    return rows[0]!;
  }

  async countEndpoints(m: EntityManager, ownerId: string): Promise<number> {
    const [row] = await m.query(`SELECT count(*)::int AS n FROM webhook_endpoints WHERE owner_id = $1`, [ownerId]);
    return row.n;
  }

  listEndpoints(ownerId: string): Promise<EndpointRow[]> {
    return this.m().query(
      `SELECT ${ENDPOINT_COLUMNS} FROM webhook_endpoints e WHERE e.owner_id = $1 ORDER BY e.created_at, e.id`,
      [ownerId],
    );
  }

  /** The owner's endpoint (optionally locked), or null. */
  async endpoint(
    ownerId: string,
    id: string,
    opts: { manager?: EntityManager; lock?: boolean } = {},
  ): Promise<EndpointRow | null> {
    const rows: EndpointRow[] = await this.m(opts.manager).query(
      `SELECT ${ENDPOINT_COLUMNS} FROM webhook_endpoints e WHERE e.id = $1 AND e.owner_id = $2 ${opts.lock ? 'FOR UPDATE' : ''}`,
      [id, ownerId],
    );
    return rows[0] ?? null;
  }

  async updateEndpoint(
    m: EntityManager,
    id: string,
    patch: { url: string; description: string | null; eventTypes: string[]; status: EndpointStatus; now: Date },
  ): Promise<EndpointRow> {
    const result: [EndpointRow[], number] = await m.query(
      `UPDATE webhook_endpoints e SET url = $2, description = $3, event_types = $4, status = $5,
              disabled_at = CASE WHEN $5 = 'DISABLED' THEN COALESCE(disabled_at, $6) END,
              disabled_reason = CASE WHEN $5 = 'DISABLED' THEN COALESCE(disabled_reason, 'owner') END,
              failing_since = CASE WHEN $5 = 'ACTIVE' AND status = 'DISABLED' THEN NULL ELSE failing_since END,
              consecutive_failures = CASE WHEN $5 = 'ACTIVE' AND status = 'DISABLED' THEN 0 ELSE consecutive_failures END,
              circuit_open_until = CASE WHEN $5 = 'ACTIVE' AND status = 'DISABLED' THEN NULL ELSE circuit_open_until END,
              updated_at = $6
        WHERE id = $1 RETURNING ${ENDPOINT_COLUMNS}`,
      [id, patch.url, patch.description, patch.eventTypes, patch.status, patch.now],
    );
    return result[0][0]!;
  }

  async rotateSecret(
    m: EntityManager,
    id: string,
    r: { secret: string; previousExpiresAt: Date | null; now: Date },
  ): Promise<EndpointRow> {
    const result: [EndpointRow[], number] = await m.query(
      `UPDATE webhook_endpoints e
          SET previous_secret = CASE WHEN $3::timestamptz IS NULL THEN NULL ELSE secret END,
              previous_secret_expires_at = $3, secret = $2, updated_at = $4
        WHERE id = $1 RETURNING ${ENDPOINT_COLUMNS}`,
      [id, r.secret, r.previousExpiresAt, r.now],
    );
    return result[0][0]!;
  }

  async deleteEndpoint(m: EntityManager, id: string): Promise<void> {
    await m.query(`DELETE FROM webhook_endpoints WHERE id = $1`, [id]);
  }

  /** ACTIVE endpoints of `userId` subscribed to `type`. */
  subscribedEndpoints(m: EntityManager, userId: string, type: string): Promise<{ id: string }[]> {
    return m.query(
      // A suspended owner's endpoints hear of nothing new (their API keys are refused too).
      `SELECT e.id FROM webhook_endpoints e JOIN user_directory u ON u.id = e.owner_id
        WHERE e.owner_id = $1 AND e.status = 'ACTIVE' AND u.status = 'ACTIVE' AND $2 = ANY (e.event_types) ORDER BY e.id`,
      [userId, type],
    );
  }

  async insertEvent(
    m: EntityManager,
    e: { id: string; userId: string; type: string; occurredAt: Date; body: string; now: Date },
  ): Promise<void> {
    await m.query(
      `INSERT INTO webhook_events (id, user_id, type, occurred_at, body, created_at) VALUES ($1, $2, $3, $4, $5, $6)`,
      [e.id, e.userId, e.type, e.occurredAt, e.body, e.now],
    );
  }

  async insertDelivery(m: EntityManager, d: { eventId: string; endpointId: string; now: Date }): Promise<string> {
    const rows: { id: string }[] = await m.query(
      `INSERT INTO webhook_deliveries (event_id, endpoint_id, status, next_attempt_at, created_at) VALUES ($1, $2, 'PENDING', $3, $3) RETURNING id`,
      [d.eventId, d.endpointId, d.now],
    );
    return rows[0]!.id;
  }

  /**
   * The delivery with its event body and endpoint, its row locked for the attempt; null when
   * it does not exist or another worker is attempting it right now (SKIP LOCKED).
   */
  async lockForAttempt(m: EntityManager, id: string): Promise<DeliveryForAttempt | null> {
    const rows: (DeliveryRow & { body: string; endpoint: Record<string, unknown>; ownerStatus: string })[] = await m.query(
      `SELECT ${DELIVERY_COLUMNS}, ev.body, row_to_json(e.*) AS endpoint, u.status AS "ownerStatus"
         FROM webhook_deliveries d
         JOIN webhook_events ev ON ev.id = d.event_id
         JOIN webhook_endpoints e ON e.id = d.endpoint_id
         JOIN user_directory u ON u.id = e.owner_id
        WHERE d.id = $1
        FOR UPDATE OF d SKIP LOCKED`,
      [id],
    );
    const row = rows[0];
    if (!row) return null;
    return { ...row, endpoint: endpointFromJson(row.endpoint) };
  }

  /** The delivery's status and next attempt time now, its row locked until the transaction ends. */
  async lockState(m: EntityManager, id: string): Promise<{ status: DeliveryStatus; nextAttemptAt: Date | null } | null> {
    const rows: { status: DeliveryStatus; nextAttemptAt: Date | null }[] = await m.query(
      `SELECT status, next_attempt_at AS "nextAttemptAt" FROM webhook_deliveries WHERE id = $1 FOR UPDATE`,
      [id],
    );
    return rows[0] ?? null;
  }

  /** Claims a pending delivery for one attempt: not due again before `until` (the attempt then sets the real next time). */
  async lease(m: EntityManager, id: string, until: Date): Promise<void> {
    await m.query(`UPDATE webhook_deliveries SET next_attempt_at = $2 WHERE id = $1`, [id, until]);
  }

  async recordAttempt(
    m: EntityManager,
    id: string,
    a: {
      status: DeliveryStatus;
      nextAttemptAt: Date | null;
      at: Date;
      statusCode: number | null;
      error: string | null;
      durationMs: number;
      responseExcerpt: string | null;
      manual: boolean;
      signature: string | null;
    },
  ): Promise<void> {
    const record: AttemptRecord = {
      at: a.at.toISOString(),
      statusCode: a.statusCode,
      error: a.error,
      durationMs: a.durationMs,
      manual: a.manual,
      signature: a.signature,
    };
    await m.query(
      `UPDATE webhook_deliveries SET status = $2, next_attempt_at = $3, attempts = attempts + 1,
              first_attempt_at = COALESCE(first_attempt_at, $4), last_attempt_at = $4, last_status_code = $5, last_error = $6,
              last_duration_ms = $7, last_response_excerpt = $8,
              delivered_at = CASE WHEN $2 = 'DELIVERED' THEN COALESCE(delivered_at, $4) ELSE delivered_at END,
              -- the last HISTORY_LIMIT attempts (first_attempt_at keeps when it all began)
              history = CASE WHEN jsonb_array_length(history) >= ${HISTORY_LIMIT} THEN (history - 0) || $9::jsonb ELSE history || $9::jsonb END
        WHERE id = $1`,
      [id, a.status, a.nextAttemptAt, a.at, a.statusCode, a.error, a.durationMs, a.responseExcerpt, JSON.stringify([record])],
    );
  }

  /** Ends a pending delivery without an attempt (its endpoint was disabled). */
  async failWithoutAttempt(m: EntityManager, id: string, reason: string): Promise<void> {
    await m.query(
      `UPDATE webhook_deliveries SET status = 'FAILED', next_attempt_at = NULL, last_error = $2 WHERE id = $1 AND status = 'PENDING'`,
      [id, reason],
    );
  }

  /**
   * PENDING deliveries due at `now`, taken in turns (every endpoint's soonest, then every
   * endpoint's second soonest…), so one endpoint's backlog cannot crowd the others out of the
   * batch (alone, an endpoint still gets all of it). Endpoints whose circuit is open are left out.
   */
  async due(now: Date, limit: number): Promise<{ id: string; endpointId: string }[]> {
    return this.m().query(
      `SELECT id, endpoint_id AS "endpointId" FROM (
         SELECT d.id, d.endpoint_id, d.next_attempt_at,
                row_number() OVER (PARTITION BY d.endpoint_id ORDER BY d.next_attempt_at, d.id) AS turn
           FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id
          WHERE d.status = 'PENDING' AND d.next_attempt_at <= $1 AND (e.circuit_open_until IS NULL OR e.circuit_open_until <= $1)
       ) due ORDER BY turn, next_attempt_at, id LIMIT $2`,
      [now, limit],
    );
  }

  /** The endpoint of each of these deliveries (those that still exist). */
  async endpointsOf(deliveryIds: string[]): Promise<Map<string, string>> {
    const rows: { id: string; endpointId: string }[] = await this.m().query(
      `SELECT id, endpoint_id AS "endpointId" FROM webhook_deliveries WHERE id = ANY ($1::uuid[])`,
      [deliveryIds],
    );
    return new Map(rows.map((r) => [r.id, r.endpointId]));
  }

  /** Moves a pending delivery's next attempt to `until` without an attempt (its endpoint's circuit is open). */
  async postpone(m: EntityManager, id: string, until: Date): Promise<void> {
    await m.query(
      `UPDATE webhook_deliveries SET next_attempt_at = GREATEST(next_attempt_at, $2) WHERE id = $1 AND status = 'PENDING'`,
      [id, until],
    );
  }

  /**
   * A failed automatic attempt: the endpoint is failing since its first failure after the last
   * success, one more failure in a row; from the `circuitAfter`-th in a row its circuit opens
   * until `circuitOpenUntil` (each further failure opens it again). Returns that instant and the status.
   */
  async markFailing(
    m: EntityManager,
    endpointId: string,
    at: Date,
    circuit: { after: number; openUntil: Date },
  ): Promise<{ failingSince: Date; status: EndpointStatus } | null> {
    const result: [{ failingSince: Date; status: EndpointStatus }[], number] = await m.query(
      `UPDATE webhook_endpoints SET failing_since = COALESCE(failing_since, $2), consecutive_failures = consecutive_failures + 1,
              circuit_open_until = CASE WHEN consecutive_failures + 1 >= $3 THEN $4 ELSE circuit_open_until END
        WHERE id = $1 RETURNING failing_since AS "failingSince", status`,
      [endpointId, at, circuit.after, circuit.openUntil],
    );
    return result[0][0] ?? null;
  }

  /** A success: the endpoint is no longer failing and its circuit closes. */
  async clearFailing(m: EntityManager, endpointId: string): Promise<void> {
    await m.query(
      `UPDATE webhook_endpoints SET failing_since = NULL, consecutive_failures = 0, circuit_open_until = NULL
        WHERE id = $1 AND (failing_since IS NOT NULL OR consecutive_failures > 0 OR circuit_open_until IS NOT NULL)`,
      [endpointId],
    );
  }

  /** Disables every ACTIVE endpoint of the owner; their ids. */
  async disableAllOfOwner(m: EntityManager, ownerId: string, at: Date, reason: string): Promise<string[]> {
    const [rows]: [{ id: string }[], number] = await m.query(
      `UPDATE webhook_endpoints SET status = 'DISABLED', disabled_at = $2, disabled_reason = $3, updated_at = $2
        WHERE owner_id = $1 AND status = 'ACTIVE' RETURNING id`,
      [ownerId, at, reason],
    );
    return rows.map((r) => r.id).sort();
  }

  /** Disables an ACTIVE endpoint; false when it was not active. */
  async disable(m: EntityManager, endpointId: string, at: Date, reason: string): Promise<boolean> {
    const result: [unknown[], number] = await m.query(
      `UPDATE webhook_endpoints SET status = 'DISABLED', disabled_at = $2, disabled_reason = $3, updated_at = $2 WHERE id = $1 AND status = 'ACTIVE' RETURNING id`,
      [endpointId, at, reason],
    );
    return result[1] > 0;
  }

  /**
   * Records a manual send (a test event or a replay) to the endpoint unless the endpoint already
   * had `limits.endpoint`, or its owner `limits.owner` (over all their endpoints, deleted ones
   * included), in the `windowMs` before `now`. Returns null when recorded, else which limit was
   * reached and the milliseconds until enough of those sends leave the window. Serialised per
   * owner (advisory lock for the transaction; an endpoint has one owner), so concurrent requests
   * in several processes cannot overshoot either limit.
   */
  async takeManualSend(
    m: EntityManager,
    send: { endpointId: string; ownerId: string; kind: 'test' | 'replay'; now: Date },
    limits: { endpoint: number; owner: number; windowMs: number },
  ): Promise<{ limit: 'endpoint' | 'owner'; waitMs: number } | null> {
    const { endpointId, ownerId, kind, now } = send;
    await m.query(`SELECT pg_advisory_xact_lock(hashtext('webhook-manual-sends:' || $1))`, [ownerId]);
    const since = new Date(now.getTime() - limits.windowMs);
    // For each scope: how many in the window, and when the one whose leaving brings the count
    // under the limit was sent (the oldest when exactly at the limit).
    const [row]: { endpointN: number; endpointFrees: Date | null; ownerN: number; ownerFrees: Date | null }[] =
      await m.query(
        `SELECT count(*) FILTER (WHERE endpoint_id = $2)::int AS "endpointN",
                (array_agg(at ORDER BY at) FILTER (WHERE endpoint_id = $2))[
                  greatest(count(*) FILTER (WHERE endpoint_id = $2)::int - $4 + 1, 1)] AS "endpointFrees",
                count(*)::int AS "ownerN",
                (array_agg(at ORDER BY at))[greatest(count(*)::int - $5 + 1, 1)] AS "ownerFrees"
           FROM webhook_manual_sends WHERE owner_id = $1 AND at > $3`,
        [ownerId, endpointId, since, limits.endpoint, limits.owner],
      );
    const wait = (frees: Date | null) => Math.max(1, new Date(frees!).getTime() + limits.windowMs - now.getTime());
    if (row!.endpointN >= limits.endpoint) return { limit: 'endpoint', waitMs: wait(row!.endpointFrees) };
    if (row!.ownerN >= limits.owner) return { limit: 'owner', waitMs: wait(row!.ownerFrees) };
    await m.query(`INSERT INTO webhook_manual_sends (endpoint_id, owner_id, kind, at) VALUES ($1, $2, $3, $4)`, [
      endpointId,
      ownerId,
      kind,
      now,
    ]);
    return null;
  }

  /** Deletes up to `limit` finished deliveries created before `cutoff`; how many. */
  async pruneDeliveries(cutoff: Date, limit: number): Promise<number> {
    const [, n]: [unknown, number] = await this.m().query(
      `DELETE FROM webhook_deliveries WHERE id IN (
         SELECT id FROM webhook_deliveries WHERE status <> 'PENDING' AND created_at < $1 LIMIT $2)`,
      [cutoff, limit],
    );
    return n;
  }

  /** Deletes up to `limit` events created before `cutoff` that no delivery refers to any more; how many. */
  async pruneEvents(cutoff: Date, limit: number): Promise<number> {
    const [, n]: [unknown, number] = await this.m().query(
      `DELETE FROM webhook_events WHERE id IN (
         SELECT ev.id FROM webhook_events ev
          WHERE ev.created_at < $1 AND NOT EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.event_id = ev.id)
          LIMIT $2)`,
      [cutoff, limit],
    );
    return n;
  }

  /** Deletes up to `limit` manual-send records from before `cutoff`; how many. */
  async pruneManualSends(cutoff: Date, limit: number): Promise<number> {
    const [, n]: [unknown, number] = await this.m().query(
      `DELETE FROM webhook_manual_sends WHERE id IN (SELECT id FROM webhook_manual_sends WHERE at < $1 LIMIT $2)`,
      [cutoff, limit],
    );
    return n;
  }

  async deliveriesOfEndpoint(
    endpointId: string,
    page: number,
    pageSize: number,
  ): Promise<{ items: DeliveryRow[]; total: number }> {
    const [items, [{ n }]] = await Promise.all([
      this.m().query(
        `SELECT ${DELIVERY_COLUMNS} FROM webhook_deliveries d JOIN webhook_events ev ON ev.id = d.event_id
          WHERE d.endpoint_id = $1 ORDER BY d.created_at DESC, d.id DESC LIMIT $2 OFFSET $3`,
        [endpointId, pageSize, (page - 1) * pageSize],
      ),
      this.m().query(`SELECT count(*)::int AS n FROM webhook_deliveries WHERE endpoint_id = $1`, [endpointId]),
    ]);
    return { items, total: n };
  }

  /** A delivery to one of `ownerId`'s endpoints, with its event body; null otherwise. */
  async deliveryOfOwner(ownerId: string, id: string): Promise<(DeliveryRow & { body: string; endpointUrl: string }) | null> {
    const rows = await this.m().query(
      `SELECT ${DELIVERY_COLUMNS}, ev.body, e.url AS "endpointUrl"
         FROM webhook_deliveries d JOIN webhook_events ev ON ev.id = d.event_id JOIN webhook_endpoints e ON e.id = d.endpoint_id
        WHERE d.id = $1 AND e.owner_id = $2`,
      [id, ownerId],
    );
    return rows[0] ?? null;
  }
}

/** An endpoint read through row_to_json (snake_case keys, instants as strings). */
function endpointFromJson(j: Record<string, unknown>): EndpointRow {
  const date = (v: unknown) => (v === null || v === undefined ? null : new Date(v as string));
  return {
    id: j.id as string,
    ownerId: j.owner_id as string,
    url: j.url as string,
    description: (j.description as string | null) ?? null,
    eventTypes: j.event_types as string[],
    secret: j.secret as string,
    previousSecret: (j.previous_secret as string | null) ?? null,
    previousSecretExpiresAt: date(j.previous_secret_expires_at),
    status: j.status as EndpointStatus,
    disabledAt: date(j.disabled_at),
    disabledReason: (j.disabled_reason as string | null) ?? null,
    failingSince: date(j.failing_since),
    consecutiveFailures: (j.consecutive_failures as number | undefined) ?? 0,
    circuitOpenUntil: date(j.circuit_open_until),
    createdAt: date(j.created_at)!,
    updatedAt: date(j.updated_at)!,
  };
}
