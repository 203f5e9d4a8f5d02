import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Role } from '@lm/domain';
import { DataSource, EntityManager } from 'typeorm';
import type { TicketCategory, TicketResolution, TicketStatus } from './support-rules';

/** One row of `support_tickets`. */
export interface SupportTicket {
  id: string;
  reporterId: string;
  category: TicketCategory;
  sessionId: string | null;
  subject: string;
  description: string;
  status: TicketStatus;
  assigneeId: string | null;
  resolution: TicketResolution | null;
  resolutionNote: string | null;
  resolvedBy: string | null;
  resolvedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  lastMessageAt: Date | null;
}

/** A ticket as admins list it: with the reporter's and the assignee's names (from `user_directory`). */
export interface AdminTicketRow extends SupportTicket {
  reporterName: string;
  reporterRole: Role;
  assigneeName: string | null;
}

/** One row of `support_messages`, with its author's name and role. */
export interface SupportMessage {
  id: string;
  ticketId: string;
  authorId: string;
  /** The user's role when they wrote it. */
  authorRole: Role;
  authorName: string;
  body: string;
  createdAt: Date;
}

/** One row of `support_ticket_events`. */
export interface SupportTicketEvent {
  id: string;
  ticketId: string;
  action: 'opened' | 'assigned' | 'status_changed' | 'no_show_resolved';
  actorId: string | null;
  actorName: string | null;
  payload: Record<string, unknown>;
  createdAt: Date;
}

export type TicketChanges = Partial<
  Pick<SupportTicket, 'status' | 'assigneeId' | 'resolution' | 'resolutionNote' | 'resolvedBy' | 'resolvedAt' | 'lastMessageAt'>
>;

export interface AdminTicketFilter {
  status?: TicketStatus;
  category?: TicketCategory;
  /** Only tickets assigned to this admin, or only unassigned ones. */
  assignee?: { id: string } | 'unassigned';
  page: number;
  pageSize: number;
}

const TICKET = `t.id, t.reporter_id AS "reporterId", t.category, t.session_id AS "sessionId", t.subject, t.description, t.status,
  t.assignee_id AS "assigneeId", t.resolution, t.resolution_note AS "resolutionNote", t.resolved_by AS "resolvedBy",
  t.resolved_at AS "resolvedAt", t.created_at AS "createdAt", t.updated_at AS "updatedAt", t.last_message_at AS "lastMessageAt"`;
const ADMIN_TICKET = `${TICKET}, r.display_name AS "reporterName", r.role AS "reporterRole", a.display_name AS "assigneeName"
  FROM support_tickets t
  JOIN user_directory r ON r.id = t.reporter_id
  LEFT JOIN user_directory a ON a.id = t.assignee_id`;

const COLUMN: Record<keyof TicketChanges, string> = {
  status: 'status',
  assigneeId: 'assignee_id',
  resolution: 'resolution',
  resolutionNote: 'resolution_note',
  resolvedBy: 'resolved_by',
  resolvedAt: 'resolved_at',
  lastMessageAt: 'last_message_at',
};

/** SQL of the support module: tickets, their message threads and their history. */
@Injectable()
export class SupportRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Inserts a ticket; null (nothing written) when it is a no-show report this session already
   * has for that side (the partial unique index decides, also between concurrent reports).
   */
  async insertTicket(
    manager: EntityManager,
    t: Pick<SupportTicket, 'reporterId' | 'category' | 'sessionId' | 'subject' | 'description'> & { now: Date },
  ): Promise<SupportTicket | null> {
    const rows: SupportTicket[] = await manager.query(
      `INSERT INTO support_tickets AS t (reporter_id, category, session_id, subject, description, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $6)
       ON CONFLICT (session_id, category) WHERE category IN ('NO_SHOW_LAWYER', 'NO_SHOW_CLIENT') DO NOTHING
       RETURNING ${TICKET}`,
      [t.reporterId, t.category, t.sessionId, t.subject, t.description, t.now],
    );
    return rows[0] ?? null;
  }

  /** The ticket, locked until the transaction ends; `reporterId` restricts it to the reporter's own. */
  async lock(manager: EntityManager, id: string, reporterId?: string): Promise<SupportTicket | null> {
    const rows: SupportTicket[] = await manager.query(
      `SELECT ${TICKET} FROM support_tickets t WHERE t.id = $1 AND ($2::uuid IS NULL OR t.reporter_id = $2) FOR UPDATE`,
      [id, reporterId ?? null],
    );
    return rows[0] ?? null;
  }

  async find(id: string, reporterId?: string): Promise<SupportTicket | null> {
    const rows: SupportTicket[] = await this.dataSource.query(
      `SELECT ${TICKET} FROM support_tickets t WHERE t.id = $1 AND ($2::uuid IS NULL OR t.reporter_id = $2)`,
      [id, reporterId ?? null],
    );
    return rows[0] ?? null;
  }

  async findForAdmin(id: string): Promise<AdminTicketRow | null> {
    const rows: AdminTicketRow[] = await this.dataSource.query(`SELECT ${ADMIN_TICKET} WHERE t.id = $1`, [id]);
    return rows[0] ?? null;
  }

  /** Writes `changes` and stamps `updated_at` (the activity the queue is sorted by). */
  async update(manager: EntityManager, id: string, changes: TicketChanges, now: Date): Promise<SupportTicket> {
    const entries = Object.entries(changes) as [keyof TicketChanges, unknown][];
    const sets = entries.map(([k], i) => `${COLUMN[k]} = $${i + 3}`);
    const rows: [SupportTicket[], number] = await manager.query(
      `UPDATE support_tickets t SET ${[...sets, 'updated_at = $2'].join(', ')} WHERE t.id = $1 RETURNING ${TICKET}`,
      [id, now, ...entries.map(([, v]) => v)],
    );
    return rows[0][0]!;
  }

  /** The reporter's tickets, most recent activity first. */
  async listMine(reporterId: string, page: number, pageSize: number): Promise<{ items: SupportTicket[]; total: number }> {
    const [items, count]: [SupportTicket[], { total: number }[]] = await Promise.all([
      this.dataSource.query(
        `SELECT ${TICKET} FROM support_tickets t WHERE t.reporter_id = $1 ORDER BY t.updated_at DESC, t.id DESC LIMIT $2 OFFSET $3`,
        [reporterId, pageSize, (page - 1) * pageSize],
      ),
      this.dataSource.query(`SELECT count(*)::int AS total FROM support_tickets WHERE reporter_id = $1`, [reporterId]),
    ]);
    return { items, total: count[0]!.total };
  }

  /** The admins' queue, most recent activity first. */
  async listForAdmin(f: AdminTicketFilter): Promise<{ items: AdminTicketRow[]; total: number }> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (f.status) add('t.status = ?', f.status);
    if (f.category) add('t.category = ?', f.category);
    if (f.assignee === 'unassigned') where.push('t.assignee_id IS NULL');
    else if (f.assignee) add('t.assignee_id = ?', f.assignee.id);
    const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const [items, count]: [AdminTicketRow[], { total: number }[]] = await Promise.all([
      this.dataSource.query(
        `SELECT ${ADMIN_TICKET} ${clause} ORDER BY t.updated_at DESC, t.id DESC LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
        [...params, f.pageSize, (f.page - 1) * f.pageSize],
      ),
      this.dataSource.query(`SELECT count(*)::int AS total FROM support_tickets t ${clause}`, params),
    ]);
    return { items, total: count[0]!.total };
  }

  async insertMessage(manager: EntityManager, m: Pick<SupportMessage, 'ticketId' | 'authorId' | 'authorRole' | 'body'> & { now: Date }): Promise<SupportMessage> {
    const rows: { id: string }[] = await manager.query(
      `INSERT INTO support_messages (ticket_id, author_id, author_role, body, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
      [m.ticketId, m.authorId, m.authorRole, m.body, m.now],
    );
    return (await this.messages(m.ticketId, manager, rows[0]!.id))[0]!;
  }

  /** The thread of a ticket, oldest first (or the one message `messageId`). */
  async messages(ticketId: string, manager: EntityManager = this.dataSource.manager, messageId?: string): Promise<SupportMessage[]> {
    return manager.query(
      `SELECT m.id, m.ticket_id AS "ticketId", m.author_id AS "authorId", m.author_role AS "authorRole", u.display_name AS "authorName",
              m.body, m.created_at AS "createdAt"
         FROM support_messages m JOIN user_directory u ON u.id = m.author_id
        WHERE m.ticket_id = $1 AND ($2::uuid IS NULL OR m.id = $2)
        ORDER BY m.created_at, m.id LIMIT 1000`,
      [ticketId, messageId ?? null],
    );
  }

  async appendEvent(
    manager: EntityManager,
    e: Pick<SupportTicketEvent, 'ticketId' | 'action' | 'actorId' | 'payload'> & { now: Date },
  ): Promise<void> {
    await manager.query(`INSERT INTO support_ticket_events (ticket_id, action, actor_id, payload, created_at) VALUES ($1, $2, $3, $4, $5)`, [
      e.ticketId,
      e.action,
      e.actorId,
      JSON.stringify(e.payload),
      e.now,
    ]);
  }

  /** The history of a ticket, oldest first. */
  async events(ticketId: string): Promise<SupportTicketEvent[]> {
    return this.dataSource.query(
      `SELECT e.id::text AS id, e.ticket_id AS "ticketId", e.action, e.actor_id AS "actorId", u.display_name AS "actorName", e.payload,
              e.created_at AS "createdAt"
         FROM support_ticket_events e LEFT JOIN user_directory u ON u.id = e.actor_id
        WHERE e.ticket_id = $1 ORDER BY e.id LIMIT 1000`,
      [ticketId],
    );
  }

  /** Active admins: who hears of a reporter's message on an unassigned ticket. */
  async activeAdminIds(manager: EntityManager): Promise<string[]> {
    const rows: { id: string }[] = await manager.query(`SELECT id FROM user_directory WHERE role = 'ADMIN' AND status = 'ACTIVE' ORDER BY created_at LIMIT 100`);
    return rows.map((r) => r.id);
  }

  async displayName(manager: EntityManager, userId: string): Promise<string | null> {
    const rows: { name: string }[] = await manager.query(`SELECT display_name AS name FROM user_directory WHERE id = $1`, [userId]);
    return rows[0]?.name ?? null;
  }
}

