import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { PayableAccount, PayeeRole, StatementLine } from './render/statement-document';
import type { MonthActivity, MonthStart } from './statement-periods';

/** A payee's payable in one currency with ledger activity, and where its statements stand. */
export interface PayableRow {
  payeeId: string;
  account: PayableAccount;
  currency: string;
  firstDay: string;
  payeeName: string;
  timeZone: string | null;
  /** The period of its newest original (not re-issued) statement, if any. */
  lastPeriod: string | null;
}

export interface StatementRow {
  id: string;
  number: string;
  payeeId: string;
  payeeName: string;
  payeeRole: PayeeRole;
  account: PayableAccount;
  currency: string;
  periodStart: string;
  periodEnd: string;
  zone: string;
  openingMinor: number;
  closingMinor: number;
  lineCount: number;
  csvKey: string;
  csvSha256: string;
  csvBytes: number;
  pdfKey: string;
  pdfSha256: string;
  pdfBytes: number;
  supersedesId: string | null;
  reissueReason: string | null;
  issuedBy: string | null;
  issuedAt: Date;
  /** The statement that replaced this one, if it was re-issued. */
  supersededById: string | null;
}

export type NewStatement = Omit<StatementRow, 'payeeName' | 'supersededById'>;

export interface PayableKey {
  payeeId: string;
  account: PayableAccount;
  currency: string;
}

const STATEMENT_COLUMNS = `
  s.id, s.number, s.payee_id AS "payeeId", u.display_name AS "payeeName", s.payee_role AS "payeeRole", s.account,
  s.currency, to_char(s.period_start, 'YYYY-MM-DD') AS "periodStart", to_char(s.period_end, 'YYYY-MM-DD') AS "periodEnd",
  s.zone, s.opening_minor::float8 AS "openingMinor", s.closing_minor::float8 AS "closingMinor", s.line_count AS "lineCount",
  s.csv_key AS "csvKey", s.csv_sha256 AS "csvSha256", s.csv_bytes::float8 AS "csvBytes",
  s.pdf_key AS "pdfKey", s.pdf_sha256 AS "pdfSha256", s.pdf_bytes::float8 AS "pdfBytes",
  s.supersedes_id AS "supersedesId", s.reissue_reason AS "reissueReason", s.issued_by AS "issuedBy",
  s.issued_at AS "issuedAt", n.id AS "supersededById"`;

const STATEMENT_FROM = `
  statements s
  JOIN user_directory u ON u.id = s.payee_id
  LEFT JOIN statements n ON n.supersedes_id = s.id`;

/**
 * The only place that queries `statements` and `statement_lines` (both append-only: no update
 * or delete here). The ledger is read only through its views (`payee_balances`,
 * `party_ledger_daily`, `party_ledger_lines`) and names through `user_directory`.
 * bigint sums are read as float8: exact for any integer below 2^53.
 */
@Injectable()
export class StatementsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Every payable with ledger activity, with its payee's zone and newest original statement. */
  payables(): Promise<PayableRow[]> {
    return this.dataSource.query(
      `SELECT b.payee_id AS "payeeId", b.account, b.currency, to_char(b.first_day, 'YYYY-MM-DD') AS "firstDay",
              u.display_name AS "payeeName", u.time_zone AS "timeZone",
              (SELECT to_char(max(s.period_start), 'YYYY-MM-DD') FROM statements s
                WHERE s.payee_id = b.payee_id AND s.account = b.account AND s.currency = b.currency
                  AND s.supersedes_id IS NULL) AS "lastPeriod"
         FROM payee_balances b
         JOIN user_directory u ON u.id = b.payee_id
        WHERE b.account IN ('lawyer_payable', 'partner_commission_payable')
        ORDER BY b.payee_id, b.account, b.currency`,
    );
  }

  /** The payable's movement per calendar month (from the daily rollups: O(days)). */
  monthlyActivity(p: PayableKey): Promise<MonthActivity[]> {
    return this.dataSource.query(
      `SELECT to_char(date_trunc('month', day), 'YYYY-MM-DD') AS month, sum(net_minor)::float8 AS "netMinor",
              sum(entry_count)::int AS "entryCount"
         FROM party_ledger_daily
        WHERE party_id = $1 AND account = $2 AND currency = $3
        GROUP BY 1 ORDER BY 1`,
      [p.payeeId, p.account, p.currency],
    );
  }

  /** Who the payee is now (name and zone), or null if they do not exist. */
  async payee(manager: EntityManager, payeeId: string): Promise<{ displayName: string; timeZone: string | null } | null> {
    const rows: { displayName: string; timeZone: string | null }[] = await manager.query(
      `SELECT display_name AS "displayName", time_zone AS "timeZone" FROM user_directory WHERE id = $1`,
      [payeeId],
    );
    return rows[0] ?? null;
  }

  /**
   * Serialises issuing for one payable until the transaction ends (a transaction-scoped
   * advisory lock), so concurrent runs of the job queue here and the second finds the
   * first's statement.
   */
  async lockPayable(manager: EntityManager, p: PayableKey): Promise<void> {
    await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended('statements:' || $1 || ':' || $2 || ':' || $3, 0))`, [
      p.payeeId,
      p.account,
      p.currency,
    ]);
  }

  async hasOriginal(manager: EntityManager, p: PayableKey, periodStart: MonthStart): Promise<boolean> {
    const rows: unknown[] = await manager.query(
      `SELECT 1 FROM statements
        WHERE payee_id = $1 AND account = $2 AND currency = $3 AND period_start = $4 AND supersedes_id IS NULL`,
      [p.payeeId, p.account, p.currency, periodStart],
    );
    return rows.length > 0;
  }

  async nextNumber(manager: EntityManager): Promise<number> {
    const rows: { n: string }[] = await manager.query(`SELECT nextval('statement_number_seq') AS n`);
    return Number(rows[0]!.n);
  }

  /**
   * The opening balance (owed to the payee before `from`, from the rollups) and every ledger
   * line with a local day in [from, to], in posting order, from the payee's view (+ = owed
   * more). One SQL statement, so both come from the same snapshot and always agree.
   */
  async period(
    manager: EntityManager,
    p: PayableKey,
    from: string,
    to: string,
  ): Promise<{ openingMinor: number; lines: Omit<StatementLine, 'lineNo' | 'balanceMinor'>[] }> {
    const rows: {
      openingMinor: number;
      entryId: string | null;
      transactionId: string;
      kind: string;
      postedAt: Date;
      localDay: string;
      description: string;
      amountMinor: number;
    }[] = await manager.query(
      `WITH opening AS (
         SELECT coalesce(-sum(net_minor), 0)::float8 AS opening_minor
           FROM party_ledger_daily
          WHERE party_id = $1 AND account = $2 AND currency = $3 AND day < $4::date)
       SELECT o.opening_minor AS "openingMinor", l.entry_id::text AS "entryId", l.transaction_id AS "transactionId",
              l.kind, l.created_at AS "postedAt", to_char(l.local_day, 'YYYY-MM-DD') AS "localDay", l.description,
              (-l.amount_minor)::float8 AS "amountMinor"
         FROM opening o
         LEFT JOIN LATERAL (
           SELECT * FROM party_ledger_lines
            WHERE party_id = $1 AND account = $2 AND currency = $3 AND local_day BETWEEN $4::date AND $5::date
            ORDER BY created_at, entry_id) l ON true`,
      [p.payeeId, p.account, p.currency, from, to],
    );
    return {
      openingMinor: rows[0]?.openingMinor ?? 0,
      lines: rows
        .filter((r) => r.entryId !== null)
        .map((r) => ({
          entryId: r.entryId!,
          transactionId: r.transactionId,
          kind: r.kind,
          postedAt: new Date(r.postedAt),
          localDay: r.localDay,
          description: r.description,
          amountMinor: r.amountMinor,
        })),
    };
  }

  async insert(manager: EntityManager, s: NewStatement, lines: StatementLine[]): Promise<void> {
    await manager.query(
      `INSERT INTO statements (id, number, payee_id, payee_role, account, currency, period_start, period_end, zone,
                               opening_minor, closing_minor, line_count, csv_key, csv_sha256, csv_bytes,
                               pdf_key, pdf_sha256, pdf_bytes, supersedes_id, reissue_reason, issued_by, issued_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22)`,
      [
        s.id,
        s.number,
        s.payeeId,
        s.payeeRole,
        s.account,
        s.currency,
        s.periodStart,
        s.periodEnd,
        s.zone,
        s.openingMinor,
        s.closingMinor,
        s.lineCount,
        s.csvKey,
        s.csvSha256,
        s.csvBytes,
        s.pdfKey,
        s.pdfSha256,
        s.pdfBytes,
        s.supersedesId,
        s.reissueReason,
        s.issuedBy,
        s.issuedAt,
      ],
    );
    if (lines.length === 0) return;
    // One INSERT per statement, with the columns as arrays: a month of a busy payee is one round trip.
    await manager.query(
      `INSERT INTO statement_lines (statement_id, line_no, entry_id, transaction_id, kind, posted_at, local_day,
                                    description, amount_minor, balance_minor)
       SELECT $1, l.line_no, l.entry_id, l.transaction_id, l.kind, l.posted_at, l.local_day, l.description, l.amount_minor, l.balance_minor
         FROM unnest($2::int[], $3::bigint[], $4::uuid[], $5::text[], $6::timestamptz[], $7::date[], $8::text[], $9::bigint[], $10::bigint[])
           AS l(line_no, entry_id, transaction_id, kind, posted_at, local_day, description, amount_minor, balance_minor)`,
      [
        s.id,
        lines.map((l) => l.lineNo),
        lines.map((l) => l.entryId),
        lines.map((l) => l.transactionId),
        lines.map((l) => l.kind),
        lines.map((l) => l.postedAt.toISOString()),
        lines.map((l) => l.localDay),
        lines.map((l) => l.description),
        lines.map((l) => String(l.amountMinor)),
        lines.map((l) => String(l.balanceMinor)),
      ],
    );
  }

  /** A statement, locked until the transaction ends (a row lock fires no UPDATE trigger), or null. */
  async lockStatement(manager: EntityManager, id: string): Promise<StatementRow | null> {
    await manager.query(`SELECT 1 FROM statements WHERE id = $1 FOR UPDATE`, [id]);
    return this.find(manager, id);
  }

  /** A statement; with `ownerId`, only if it is theirs (a miss is a null either way). */
  async find(manager: EntityManager | null, id: string, ownerId?: string): Promise<StatementRow | null> {
    const rows: StatementRow[] = await (manager ?? this.dataSource).query(
      `SELECT ${STATEMENT_COLUMNS} FROM ${STATEMENT_FROM} WHERE s.id = $1 AND ($2::uuid IS NULL OR s.payee_id = $2::uuid)`,
      [id, ownerId ?? null],
    );
    return rows[0] ?? null;
  }

  async lines(manager: EntityManager, statementId: string): Promise<StatementLine[]> {
    const rows: (Omit<StatementLine, 'postedAt'> & { postedAt: Date })[] = await manager.query(
      `SELECT line_no AS "lineNo", entry_id::text AS "entryId", transaction_id AS "transactionId", kind, posted_at AS "postedAt",
              to_char(local_day, 'YYYY-MM-DD') AS "localDay", description, amount_minor::float8 AS "amountMinor",
              balance_minor::float8 AS "balanceMinor"
         FROM statement_lines WHERE statement_id = $1 ORDER BY line_no`,
      [statementId],
    );
    return rows.map((r) => ({ ...r, postedAt: new Date(r.postedAt) }));
  }

  /** Statements newest period first (then newest issue first), of one payee or of everyone. */
  async list(filter: { payeeId?: string; page: number; pageSize: number }): Promise<{ items: StatementRow[]; total: number }> {
    const params: unknown[] = [filter.payeeId ?? null];
    const where = `WHERE ($1::uuid IS NULL OR s.payee_id = $1::uuid)`;
    const [items, counts] = await Promise.all([
      this.dataSource.query(
        `SELECT ${STATEMENT_COLUMNS} FROM ${STATEMENT_FROM} ${where}
          ORDER BY s.period_start DESC, s.issued_at DESC, s.number DESC
          LIMIT $2 OFFSET $3`,
        [...params, filter.pageSize, (filter.page - 1) * filter.pageSize],
      ) as Promise<StatementRow[]>,
      this.dataSource.query(`SELECT count(*)::int AS total FROM statements s ${where}`, params) as Promise<{ total: number }[]>,
    ]);
    return { items, total: counts[0]?.total ?? 0 };
  }
}
