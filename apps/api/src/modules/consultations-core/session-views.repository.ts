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
}

export interface SessionListFilter {
  /** Restricts to one client's / one lawyer's sessions (the caller's own, or an admin's filter). */
  clientId?: string;
  lawyerId?: string;
  statuses?: SessionStatus[];
  /** Only sessions holding a time (SCHEDULED, IN_PROGRESS) that has not ended by this instant, soonest first. */
  upcomingAfter?: Date;
  page: number;
  pageSize: number;
}

const SELECT_VIEW = SELECT_SESSION.replace(
  'FROM legal_sessions s',
  `, cu.display_name AS "clientName", lu.display_name AS "lawyerName"
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
    const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const order = filter.upcomingAfter ? 's.start_at ASC, s.id ASC' : 's.created_at DESC, s.id DESC';
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
