import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { AuditChainFields } from './audit-chain';
import { AuditCheckpoint } from './audit-checkpoint.entity';

/** Key of the transaction-scoped advisory lock that serialises appends to the chain. */
export const AUDIT_APPEND_LOCK = 7_242_100;

/**
 * The stored timestamptz rendered exactly as hashed: UTC, microseconds. Reading it as a JS
 * Date would drop the microseconds (and a tampered microsecond would go unnoticed).
 */
const OCCURRED_AT = `to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
const CLOCK_NOW = `to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
const CHAIN_COLUMNS = `seq, ${OCCURRED_AT} AS occurred_at, actor_id, actor_role, action, subject_type, subject_id, payload, request_id, prev_hash, hash`;

export interface ChainRow extends AuditChainFields {
  prevHash: string;
  hash: string;
}

export interface AuditEventFilter {
  action?: string;
  actorId?: string;
  /** Part of the actor's display name or email (case-insensitive). */
  actor?: string;
  subjectType?: string;
  subjectId?: string;
  from?: Date;
  to?: Date;
}

interface RawChainRow {
  seq: string;
  occurred_at: string;
  actor_id: string | null;
  actor_role: string | null;
  action: string;
  subject_type: string;
  subject_id: string | null;
  payload: Record<string, unknown>;
  request_id: string | null;
  prev_hash: string;
  hash: string;
}

function toChainRow(r: RawChainRow): ChainRow {
  return {
    seq: Number(r.seq),
    occurredAt: r.occurred_at,
    actorId: r.actor_id,
    actorRole: r.actor_role,
    action: r.action,
    subjectType: r.subject_type,
    subjectId: r.subject_id,
    payload: r.payload,
    requestId: r.request_id,
    prevHash: r.prev_hash,
    hash: r.hash,
  };
}

export interface AuditUserName {
  name: string;
  email: string;
  role: string;
}

export interface AuditSessionName {
  title: string;
  clientName: string | null;
  lawyerName: string | null;
}

/** The only place that builds queries on audit_events and audit_checkpoints. */
@Injectable()
export class AuditRepository {
  /**
   * Waits for every other append in flight to commit or roll back; held until this
   * transaction ends. Must be its own statement: in READ COMMITTED the next statement then
   * takes a snapshot that includes the previous holder's committed entry.
   */
  async lockAppends(m: EntityManager): Promise<void> {
    await m.query('SELECT pg_advisory_xact_lock($1)', [AUDIT_APPEND_LOCK]);
  }

  /** The current head (null on an empty chain) and the database clock, for the next append. */
  async headForAppend(m: EntityManager): Promise<{ head: { seq: number; hash: string } | null; now: string }> {
    const rows: { seq: string | null; hash: string | null; now: string }[] = await m.query(
      `SELECT h.seq, h.hash, ${CLOCK_NOW} AS now
         FROM (SELECT 1) AS one
         LEFT JOIN LATERAL (SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1) AS h ON true`,
    );
    const row = rows[0]!;
    return { head: row.seq === null || row.hash === null ? null : { seq: Number(row.seq), hash: row.hash }, now: row.now };
  }

  async insert(m: EntityManager, row: ChainRow): Promise<void> {
    await m.query(
      `INSERT INTO audit_events
         (seq, occurred_at, actor_id, actor_role, action, subject_type, subject_id, payload, request_id, prev_hash, hash)
       VALUES ($1, $2::timestamptz, $3::uuid, $4, $5, $6, $7, $8::jsonb, $9, $10, $11)`,
      [
        row.seq,
        row.occurredAt,
        row.actorId,
        row.actorRole,
        row.action,
        row.subjectType,
        row.subjectId,
        JSON.stringify(row.payload),
        row.requestId,
        row.prevHash,
        row.hash,
      ],
    );
  }

  async head(m: EntityManager): Promise<{ seq: number; hash: string } | null> {
    const rows: { seq: string; hash: string }[] = await m.query('SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1');
    return rows[0] ? { seq: Number(rows[0].seq), hash: rows[0].hash } : null;
  }

  async hashAt(m: EntityManager, seq: number): Promise<string | null> {
    const rows: { hash: string }[] = await m.query('SELECT hash FROM audit_events WHERE seq = $1', [seq]);
    return rows[0]?.hash ?? null;
  }

  /** Entries with afterSeq < seq <= uptoSeq, in seq order, at most `limit` (keyset pagination). */
  async chainBatch(m: EntityManager, afterSeq: number, limit: number, uptoSeq?: number): Promise<ChainRow[]> {
    const rows: RawChainRow[] = await m.query(
      `SELECT ${CHAIN_COLUMNS} FROM audit_events
        WHERE seq > $1 AND ($2::bigint IS NULL OR seq <= $2::bigint)
        ORDER BY seq LIMIT $3`,
      [afterSeq, uptoSeq ?? null, limit],
    );
    return rows.map(toChainRow);
  }

  /** Newest first, below the `beforeSeq` cursor; plus the total matching the filter. */
  async list(
    m: EntityManager,
    filter: AuditEventFilter,
    page: { beforeSeq?: number; limit: number },
  ): Promise<{ items: ChainRow[]; total: number }> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (filter.action !== undefined) add('action = ?', filter.action);
    if (filter.actorId !== undefined) add('actor_id = ?::uuid', filter.actorId);
    if (filter.actor !== undefined) {
      add(
        `actor_id IN (SELECT id FROM user_directory WHERE display_name ILIKE ? ESCAPE '\\' OR email::text ILIKE $${params.length + 1} ESCAPE '\\')`,
        `%${filter.actor.replace(/[\\%_]/g, (c) => `\\${c}`)}%`,
      );
    }
    if (filter.subjectType !== undefined) add('subject_type = ?', filter.subjectType);
    if (filter.subjectId !== undefined) add('subject_id = ?', filter.subjectId);
    if (filter.from !== undefined) add('occurred_at >= ?', filter.from);
    if (filter.to !== undefined) add('occurred_at < ?', filter.to);
    const filtered = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
    const countRows: { total: string }[] = await m.query(`SELECT count(*) AS total FROM audit_events ${filtered}`, params);

    const pageParams = [...params];
    const pageWhere = [...where];
    if (page.beforeSeq !== undefined) {
      pageParams.push(page.beforeSeq);
      pageWhere.push(`seq < $${pageParams.length}`);
    }
    pageParams.push(page.limit);
    const rows: RawChainRow[] = await m.query(
      `SELECT ${CHAIN_COLUMNS} FROM audit_events
        ${pageWhere.length > 0 ? `WHERE ${pageWhere.join(' AND ')}` : ''}
        ORDER BY seq DESC LIMIT $${pageParams.length}`,
      pageParams,
    );
    return { items: rows.map(toChainRow), total: Number(countRows[0]!.total) };
  }

  /**
   * Names for the people and things a page of entries refers to, through the owners' read views:
   * accounts (`user_directory`: actors, and subjects of type user or lawyer) and sessions
   * (`session_bookings`: the consultation's title and its two parties).
   */
  async namesFor(m: EntityManager, rows: ChainRow[]): Promise<{ users: Map<string, AuditUserName>; sessions: Map<string, AuditSessionName> }> {
    const userIds = new Set<string>();
    const sessionIds = new Set<string>();
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
    for (const r of rows) {
      if (r.actorId) userIds.add(r.actorId);
      if (r.subjectId && uuid.test(r.subjectId)) {
        if (r.subjectType === 'user' || r.subjectType === 'lawyer') userIds.add(r.subjectId);
        if (r.subjectType === 'session') sessionIds.add(r.subjectId);
      }
    }
    const sessions: { id: string; title: string; clientId: string; lawyerId: string }[] =
      sessionIds.size === 0
        ? []
        : await m.query(
            `SELECT id, offering_title AS title, client_id AS "clientId", lawyer_id AS "lawyerId" FROM session_bookings WHERE id = ANY($1::uuid[])`,
            [[...sessionIds]],
          );
    for (const s of sessions) userIds.add(s.clientId).add(s.lawyerId);
    const users: { id: string; name: string; email: string; role: string }[] =
      userIds.size === 0
        ? []
        : await m.query(`SELECT id, display_name AS name, email::text AS email, role FROM user_directory WHERE id = ANY($1::uuid[])`, [[...userIds]]);
    const userMap = new Map(users.map((u) => [u.id, { name: u.name, email: u.email, role: u.role }]));
    const sessionMap = new Map(
      sessions.map((s) => [s.id, { title: s.title, clientName: userMap.get(s.clientId)?.name ?? null, lawyerName: userMap.get(s.lawyerId)?.name ?? null }]),
    );
    return { users: userMap, sessions: sessionMap };
  }

  async latestCheckpoint(m: EntityManager): Promise<AuditCheckpoint | null> {
    return m.getRepository(AuditCheckpoint).findOne({ where: {}, order: { headSeq: 'DESC', id: 'DESC' } });
  }

  async insertCheckpoint(m: EntityManager, checkpoint: Omit<AuditCheckpoint, 'id'>): Promise<AuditCheckpoint> {
    return m.getRepository(AuditCheckpoint).save(m.getRepository(AuditCheckpoint).create(checkpoint));
  }
}
