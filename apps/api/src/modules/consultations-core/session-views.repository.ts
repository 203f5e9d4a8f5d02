import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { SessionStatus } from '@lm/domain';
import { DataSource, EntityManager } from 'typeorm';
import type { LegalSession } from './legal-session';
import { SELECT_SESSION } from './sessions.repository';

/** A session with the names of both participants, for lists and detail pages. */
export interface SessionView extends LegalSession {
  clientName: string;
  lawyerName: string;
  /** The participants' account time zones (IANA). */
  clientTimeZone: string;
  lawyerTimeZone: string;
}

/**
 * The caller's lists: `upcoming` (booked, not ended, nothing to answer), `action` (something to
 * do now: pay an open checkout, book a time, answer a proposed time; for a lawyer also mark an
 * ended session completed), `past` (everything that is over).
 */
export type SessionListView = 'upcoming' | 'action' | 'past';

export interface SessionListFilter {
  /** Restricts to one client's / one lawyer's sessions (the caller's own, or an admin's filter). */
  clientId?: string;
  lawyerId?: string;
  statuses?: SessionStatus[];
  /** Only sessions holding a time (SCHEDULED, IN_PROGRESS) that has not ended by this instant, soonest first. */
  upcomingAfter?: Date;
  /** One of the caller's lists as of `now` (needs clientId or lawyerId to know the side). */
  view?: { name: SessionListView; now: Date };
  page: number;
  pageSize: number;
}

const SELECT_VIEW = SELECT_SESSION.replace(
  'FROM legal_sessions s',
  `, cu.display_name AS "clientName", lu.display_name AS "lawyerName",
           cu.time_zone AS "clientTimeZone", lu.time_zone AS "lawyerTimeZone"
    FROM legal_sessions s
    JOIN user_directory cu ON cu.id = s.client_id
    JOIN user_directory lu ON lu.id = s.lawyer_id`,
);

/** Read-only queries over `legal_sessions` joined with the participants' names (writes go through SessionsRepository). */
@Injectable()
export class SessionViewsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The session if `userId` is its client or lawyer; null otherwise (or when `userId` is null: any session, for admins). */
  async find(id: string, userId: string | null, manager: EntityManager = this.dataSource.manager): Promise<SessionView | null> {
    const rows: SessionView[] = await manager.query(
      `${SELECT_VIEW} WHERE s.id = $1 AND ($2::uuid IS NULL OR s.client_id = $2 OR s.lawyer_id = $2)`,
      [id, userId],
    );
    return rows[0] ?? null;
  }

  async list(filter: SessionListFilter): Promise<{ items: SessionView[]; total: number }> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: (p: string) => string, value: unknown) => {
      params.push(value);
      where.push(sql(`$${params.length}`));
    };
    if (filter.clientId) add((p) => `s.client_id = ${p}`, filter.clientId);
    if (filter.lawyerId) add((p) => `s.lawyer_id = ${p}`, filter.lawyerId);
    if (filter.statuses?.length) add((p) => `s.status = ANY(${p}::text[])`, filter.statuses);
    if (filter.upcomingAfter) {
      add((p) => `s.end_at > ${p}`, filter.upcomingAfter);
      where.push(`s.status IN ('SCHEDULED', 'IN_PROGRESS')`);
    }
    if (filter.view) {
      params.push(filter.view.now);
      where.push(viewClause(filter.view.name, filter.lawyerId ? 'LAWYER' : 'CLIENT', `$${params.length}`));
    }
    const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const soonestFirst = filter.upcomingAfter || filter.view?.name === 'upcoming';
    const order = soonestFirst ? 's.start_at ASC, s.id ASC' : filter.view?.name === 'past' ? 'COALESCE(s.start_at, s.created_at) DESC, s.id DESC' : 's.created_at DESC, s.id DESC';
    const [items, counts] = await Promise.all([
      this.dataSource.query(`${SELECT_VIEW} ${clause} ORDER BY ${order} LIMIT $${params.length + 1} OFFSET $${params.length + 2}`, [
        ...params,
        filter.pageSize,
        (filter.page - 1) * filter.pageSize,
      ]) as Promise<SessionView[]>,
      this.dataSource.query(`SELECT count(*)::int AS total FROM legal_sessions s ${clause}`, params) as Promise<{ total: number }[]>,
    ]);
    return { items, total: counts[0]?.total ?? 0 };
  }
}

/** SQL for one list of a side, `now` being the parameter placeholder. */
function viewClause(view: SessionListView, side: 'CLIENT' | 'LAWYER', now: string): string {
  const openCheckout = `(s.status = 'PENDING_PAYMENT' AND s.checkout_expires_at > ${now})`;
  const booked = `(s.status IN ('SCHEDULED', 'IN_PROGRESS') AND s.end_at > ${now})`;
  const endedUnclosed = `(s.status IN ('SCHEDULED', 'IN_PROGRESS') AND s.end_at <= ${now})`;
  const action =
    side === 'CLIENT'
      ? `(${openCheckout} OR s.status = 'PAID' OR (${booked} AND s.proposed_start_at IS NOT NULL))`
      : endedUnclosed;
  if (view === 'action') return action;
  if (view === 'upcoming') return side === 'CLIENT' ? `(${booked} AND s.proposed_start_at IS NULL)` : `(${booked} OR s.status = 'PAID')`;
  // past: everything that is neither upcoming nor needs action
  return side === 'CLIENT'
    ? `NOT (${openCheckout} OR s.status = 'PAID' OR ${booked})`
    : // (booked or ended-unclosed covers every SCHEDULED/IN_PROGRESS row; written with both so the
      // clause uses its parameter like every other view: an unused $n is an SQL error)
      `NOT (s.status IN ('PENDING_PAYMENT', 'PAID') OR ${booked} OR ${endedUnclosed})`;
}
