import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';

/** One row of `notifications`. */
export interface NotificationRow {
  id: string;
  userId: string;
  kind: string;
  title: string;
  body: string;
  linkPath: string | null;
  params: Record<string, unknown>;
  readAt: Date | null;
  createdAt: Date;
}

/** A recipient as `user_directory` (identity's read view) shows them. */
export interface DirectoryUser {
  id: string;
  email: string;
  displayName: string;
  role: string;
  status: string;
  timeZone: string;
  locale: string;
}

export interface EmailPreferences {
  emailReminders: boolean;
  emailSessionUpdates: boolean;
}

const COLUMNS = `id, user_id AS "userId", kind, title, body, link_path AS "linkPath", params, read_at AS "readAt", created_at AS "createdAt"`;

/** SQL of the notifications module: its own two tables, and identity's `user_directory` view (read only). */
@Injectable()
export class NotificationsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async users(manager: EntityManager, ids: string[]): Promise<Map<string, DirectoryUser>> {
    const rows: DirectoryUser[] = await manager.query(
      `SELECT id, email::text AS email, display_name AS "displayName", role, status, time_zone AS "timeZone", locale
         FROM user_directory WHERE id = ANY($1::uuid[])`,
      [ids],
    );
    return new Map(rows.map((u) => [u.id, u]));
  }

  /** Inserts one notification; null (nothing written) when the user already has one with this dedupe key. */
  async insert(
    manager: EntityManager,
    n: { userId: string; kind: string; title: string; body: string; linkPath: string | null; params: object; dedupeKey: string | null; createdAt: Date },
  ): Promise<NotificationRow | null> {
    const rows: NotificationRow[] = await manager.query(
      `INSERT INTO notifications (user_id, kind, title, body, link_path, params, dedupe_key, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (user_id, dedupe_key) DO NOTHING
       RETURNING ${COLUMNS}`,
      [n.userId, n.kind, n.title, n.body, n.linkPath, JSON.stringify(n.params), n.dedupeKey, n.createdAt],
    );
    return rows[0] ?? null;
  }

  async list(userId: string, filter: { unread?: boolean; page: number; pageSize: number }): Promise<{ items: NotificationRow[]; total: number }> {
    const where = `user_id = $1${filter.unread ? ' AND read_at IS NULL' : ''}`;
    const [items, count] = await Promise.all([
      this.dataSource.query(
        `SELECT ${COLUMNS} FROM notifications WHERE ${where} ORDER BY created_at DESC, id DESC LIMIT $2 OFFSET $3`,
        [userId, filter.pageSize, (filter.page - 1) * filter.pageSize],
      ) as Promise<NotificationRow[]>,
      this.dataSource.query(`SELECT count(*)::int AS n FROM notifications WHERE ${where}`, [userId]) as Promise<{ n: number }[]>,
    ]);
    return { items, total: count[0]!.n };
  }

  async unreadCount(userId: string): Promise<number> {
    const rows: { n: number }[] = await this.dataSource.query(
      `SELECT count(*)::int AS n FROM notifications WHERE user_id = $1 AND read_at IS NULL`,
      [userId],
    );
    return rows[0]!.n;
  }

  /** Marks one of the user's notifications read (keeps the first read time); null when it is not theirs. */
  async markRead(userId: string, id: string, now: Date): Promise<NotificationRow | null> {
    const rows: [NotificationRow[], number] = await this.dataSource.query(
      `UPDATE notifications SET read_at = COALESCE(read_at, $3) WHERE id = $1 AND user_id = $2 RETURNING ${COLUMNS}`,
      [id, userId, now],
    );
    return rows[0][0] ?? null;
  }

  async markAllRead(userId: string, now: Date): Promise<number> {
    const rows: [unknown[], number] = await this.dataSource.query(
      `UPDATE notifications SET read_at = $2 WHERE user_id = $1 AND read_at IS NULL`,
      [userId, now],
    );
    return rows[1];
  }

  async preferences(manager: EntityManager, userId: string): Promise<EmailPreferences> {
    const rows: EmailPreferences[] = await manager.query(
      `SELECT email_reminders AS "emailReminders", email_session_updates AS "emailSessionUpdates"
         FROM notification_preferences WHERE user_id = $1`,
      [userId],
    );
    return rows[0] ?? { emailReminders: true, emailSessionUpdates: true };
  }

  async savePreferences(manager: EntityManager, userId: string, prefs: EmailPreferences, now: Date): Promise<void> {
    await manager.query(
      `INSERT INTO notification_preferences (user_id, email_reminders, email_session_updates, updated_at)
       VALUES ($1, $2, $3, $4)
       ON CONFLICT (user_id) DO UPDATE
         SET email_reminders = EXCLUDED.email_reminders, email_session_updates = EXCLUDED.email_session_updates, updated_at = EXCLUDED.updated_at`,
      [userId, prefs.emailReminders, prefs.emailSessionUpdates, now],
    );
  }
}
