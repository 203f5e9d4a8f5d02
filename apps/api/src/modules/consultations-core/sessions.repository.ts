import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { LegalSession, SessionChanges, SessionEvent } from './legal-session';

/** The columns of a LegalSession, for `legal_sessions` aliased `s`. */
const SESSION_COLUMNS = `
         s.id, s.client_id AS "clientId", s.lawyer_id AS "lawyerId", s.offering_id AS "offeringId",
         s.offering_title AS "offeringTitle", s.duration_minutes AS "durationMinutes",
         s.price_minor::float8 AS "priceMinor", s.currency, s.status, s.start_at AS "startAt", s.end_at AS "endAt",
         s.stripe_checkout_session_id AS "stripeCheckoutSessionId", s.checkout_expires_at AS "checkoutExpiresAt",
         s.paid_at AS "paidAt", s.cancelled_at AS "cancelledAt", s.cancelled_by AS "cancelledBy",
         s.completed_at AS "completedAt",
         s.proposed_start_at AS "proposedStartAt", s.proposed_at AS "proposedAt", s.version, s.created_at AS "createdAt", s.updated_at AS "updatedAt"`;

export const SELECT_SESSION = `
  SELECT ${SESSION_COLUMNS}
    FROM legal_sessions s`;

const COLUMN: Record<keyof SessionChanges, string> = {
  startAt: 'start_at',
  stripeCheckoutSessionId: 'stripe_checkout_session_id',
  paidAt: 'paid_at',
  cancelledAt: 'cancelled_at',
  cancelledBy: 'cancelled_by',
  completedAt: 'completed_at',
};

/** The only place that writes `legal_sessions` and `session_events`. */
@Injectable()
export class SessionsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async insertPending(
    manager: EntityManager,
    s: Pick<
      LegalSession,
      'clientId' | 'lawyerId' | 'offeringId' | 'offeringTitle' | 'durationMinutes' | 'priceMinor' | 'currency' | 'checkoutExpiresAt' | 'stripeCheckoutSessionId'
    >,
  ): Promise<LegalSession> {
    const rows: LegalSession[] = await manager.query(
      `INSERT INTO legal_sessions AS s (client_id, lawyer_id, offering_id, offering_title, duration_minutes, price_minor, currency, checkout_expires_at,
                                        stripe_checkout_session_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING ${SESSION_COLUMNS}`,
      [s.clientId, s.lawyerId, s.offeringId, s.offeringTitle, s.durationMinutes, s.priceMinor, s.currency, s.checkoutExpiresAt, s.stripeCheckoutSessionId],
    );
    return rows[0]!;
  }

  async find(id: string, manager: EntityManager = this.dataSource.manager): Promise<LegalSession | null> {
    const rows: LegalSession[] = await manager.query(`${SELECT_SESSION} WHERE s.id = $1`, [id]);
    return rows[0] ?? null;
  }

  /** Locks the session row until the running transaction ends (serialises changes to one session). */
  async lock(manager: EntityManager, id: string): Promise<LegalSession | null> {
    const rows: LegalSession[] = await manager.query(`${SELECT_SESSION} WHERE s.id = $1 FOR UPDATE`, [id]);
    return rows[0] ?? null;
  }

  /** Locks the session only when `userId` is its client or its lawyer. */
  async lockForParticipant(manager: EntityManager, id: string, userId: string): Promise<LegalSession | null> {
    const rows: LegalSession[] = await manager.query(`${SELECT_SESSION} WHERE s.id = $1 AND (s.client_id = $2 OR s.lawyer_id = $2) FOR UPDATE`, [id, userId]);
    return rows[0] ?? null;
  }

  async lockByCheckoutSession(manager: EntityManager, checkoutSessionId: string): Promise<LegalSession | null> {
    const rows: LegalSession[] = await manager.query(`${SELECT_SESSION} WHERE s.stripe_checkout_session_id = $1 FOR UPDATE`, [checkoutSessionId]);
    return rows[0] ?? null;
  }

  /** Sessions still waiting for payment whose checkout deadline is before `now`, oldest first. */
  async overdueCheckouts(now: Date, limit: number): Promise<string[]> {
    const rows: { id: string }[] = await this.dataSource.query(
      `SELECT id FROM legal_sessions WHERE status = 'PENDING_PAYMENT' AND checkout_expires_at < $1 ORDER BY checkout_expires_at LIMIT $2`,
      [now, limit],
    );
    return rows.map((r) => r.id);
  }

  /** The client's newest unexpired PENDING_PAYMENT session of the offering, if any (locked). */
  async lockOpenCheckout(manager: EntityManager, clientId: string, offeringId: string, now: Date): Promise<LegalSession | null> {
    const rows: LegalSession[] = await manager.query(
      `${SELECT_SESSION}
        WHERE s.client_id = $1 AND s.offering_id = $2 AND s.status = 'PENDING_PAYMENT' AND s.checkout_expires_at > $3
        ORDER BY s.created_at DESC LIMIT 1 FOR UPDATE`,
      [clientId, offeringId, now],
    );
    return rows[0] ?? null;
  }

  /** Opens (or with null, clears) the session's reschedule proposal. Not a change of its time: the version stays. */
  async setProposal(manager: EntityManager, id: string, proposal: { startAt: Date; at: Date } | null): Promise<LegalSession> {
    const result: unknown = await manager.query(
      `UPDATE legal_sessions s SET proposed_start_at = $2, proposed_at = $3, updated_at = now() WHERE s.id = $1 RETURNING ${SESSION_COLUMNS}`,
      [id, proposal?.startAt ?? null, proposal?.at ?? null],
    );
    return updatedRow(result);
  }

  /**
   * Applies the new status and changes (version + 1); the row as it now is. Any change of the
   * session also closes an open reschedule proposal (it was about the session as it was).
   */
  async update(manager: EntityManager, id: string, status: string, changes: SessionChanges): Promise<LegalSession> {
    const sets = ['status = $2', 'version = version + 1', 'updated_at = now()', 'proposed_start_at = NULL', 'proposed_at = NULL'];
    const params: unknown[] = [id, status];
    for (const [key, value] of Object.entries(changes) as [keyof SessionChanges, unknown][]) {
      if (value === undefined) continue;
      params.push(value);
      sets.push(`${COLUMN[key]} = $${params.length}`);
      // end_at follows start_at (the CHECK constraint requires end = start + duration).
      if (key === 'startAt') sets.push(`end_at = $${params.length}::timestamptz + make_interval(mins => duration_minutes)`);
    }
    const result: unknown = await manager.query(`UPDATE legal_sessions s SET ${sets.join(', ')} WHERE s.id = $1 RETURNING ${SESSION_COLUMNS}`, params);
    return updatedRow(result);
  }

  /** Appends one event; its id. */
  async appendEvent(manager: EntityManager, e: Omit<SessionEvent, 'id' | 'occurredAt'>): Promise<string> {
    const rows: { id: string }[] = await manager.query(
      `INSERT INTO session_events (session_id, action, from_status, to_status, actor_id, actor_role, payload)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id::text`,
      [e.sessionId, e.action, e.fromStatus, e.toStatus, e.actorId, e.actorRole, e.payload],
    );
    return rows[0]!.id;
  }

  async events(sessionId: string, manager: EntityManager = this.dataSource.manager): Promise<SessionEvent[]> {
    return manager.query(
      `SELECT id::text, session_id AS "sessionId", action, from_status AS "fromStatus", to_status AS "toStatus",
              actor_id AS "actorId", actor_role AS "actorRole", payload, occurred_at AS "occurredAt"
         FROM session_events WHERE session_id = $1 ORDER BY session_events.id`,
      [sessionId],
    );
  }
}

/** The row an `UPDATE … RETURNING` of one row gave back (TypeORM's postgres driver answers `[rows, affected]` for an UPDATE). */
function updatedRow(result: unknown): LegalSession {
  const rows = (Array.isArray(result) && Array.isArray(result[0]) ? result[0] : result) as LegalSession[];
  return rows[0]!;
}
