import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { LedgerAccount, LedgerLine, PayableAccount } from './ledger-math';
import { ROLLUP_FIELDS, type BalanceDelta, type BalanceField, type RollupDelta, type RollupField } from './ledger-rollup';

export const LEDGER_TRANSACTION_KINDS = ['PAYMENT', 'REFUND', 'ADJUSTMENT', 'PAYOUT', 'PAYOUT_REVERSAL'] as const;
export type LedgerTransactionKind = (typeof LEDGER_TRANSACTION_KINDS)[number];

/** The kinds the ledger posts itself, each once per business key. */
export type PostedKind = 'PAYMENT' | 'REFUND' | 'PAYOUT' | 'PAYOUT_REVERSAL';

const CONFLICT_TARGET: Record<PostedKind, string> = {
  PAYMENT: `(payment_id) WHERE kind = 'PAYMENT'`,
  REFUND: `(refund_id) WHERE kind = 'REFUND'`,
  PAYOUT: `(payout_id) WHERE kind = 'PAYOUT'`,
  PAYOUT_REVERSAL: `(payout_id) WHERE kind = 'PAYOUT_REVERSAL'`,
};

const KEY_COLUMN: Record<PostedKind, string> = {
  PAYMENT: 'payment_id',
  REFUND: 'refund_id',
  PAYOUT: 'payout_id',
  PAYOUT_REVERSAL: 'payout_id',
};

/**
 * `ledger_party_daily` recomputed from the raw entries (see ledger-rollup.ts for the rules):
 * what the reconciliation compares the rollup with. O(entries): a check, not a report.
 */
const RECOMPUTE_SQL = `
  SELECT e.party_id, e.account, e.currency, e.local_day AS day,
         (count(*) FILTER (WHERE t.kind = 'PAYMENT'))::int AS payments_count,
         coalesce(sum(c.clearing) FILTER (WHERE t.kind = 'PAYMENT'), 0)::bigint AS gross_minor,
         coalesce(sum(-e.amount_minor) FILTER (WHERE t.kind = 'PAYMENT'), 0)::bigint AS accrued_minor,
         (count(*) FILTER (WHERE t.kind = 'REFUND'))::int AS refunds_count,
         coalesce(sum(-c.clearing) FILTER (WHERE t.kind = 'REFUND'), 0)::bigint AS refunded_gross_minor,
         coalesce(sum(e.amount_minor) FILTER (WHERE t.kind = 'REFUND'), 0)::bigint AS reversed_minor,
         coalesce(sum(e.amount_minor) FILTER (WHERE t.kind = 'PAYOUT'), 0)::bigint AS paid_out_minor,
         coalesce(sum(-e.amount_minor) FILTER (WHERE t.kind = 'PAYOUT_REVERSAL'), 0)::bigint AS payouts_reversed_minor,
         sum(e.amount_minor)::bigint AS net_minor,
         count(*)::int AS entry_count
    FROM ledger_entries e
    JOIN ledger_transactions t ON t.id = e.transaction_id
    LEFT JOIN (SELECT transaction_id, sum(amount_minor) AS clearing
                 FROM ledger_entries WHERE account = 'stripe_clearing' GROUP BY transaction_id) c
      ON c.transaction_id = e.transaction_id
   WHERE e.party_id IS NOT NULL
   GROUP BY e.party_id, e.account, e.currency, e.local_day`;

export interface ReconcileRows {
  rollupRows: number;
  ledgerGroups: number;
  differenceCount: number;
  differences: {
    partyId: string;
    account: PayableAccount;
    currency: string;
    day: string;
    field: RollupField;
    rollupValue: number;
    ledgerValue: number;
  }[];
  balanceRows: number;
  balanceGroups: number;
  balanceDifferenceCount: number;
  balanceDifferences: {
    partyId: string;
    account: PayableAccount;
    currency: string;
    field: BalanceField;
    balanceValue: number;
    ledgerValue: number;
  }[];
}

export interface LedgerEntryRow {
  transactionId: string;
  account: LedgerAccount;
  partyId: string | null;
  partyName: string | null;
  amountMinor: number;
  currency: string;
  rateBps: number | null;
}

export interface LedgerTransactionRow {
  id: string;
  kind: LedgerTransactionKind;
  sessionId: string | null;
  paymentId: string | null;
  refundId: string | null;
  payoutId: string | null;
  reversesId: string | null;
  description: string;
  createdAt: Date;
}

export interface LedgerBalanceRow {
  account: LedgerAccount;
  partyId: string | null;
  partyName: string | null;
  currency: string;
  balanceMinor: number;
}

export interface LedgerTransactionFilter {
  kind?: LedgerTransactionKind;
  sessionId?: string;
  paymentId?: string;
  payoutId?: string;
  page: number;
  pageSize: number;
}

/**
 * The only place that queries `ledger_transactions` and `ledger_entries`. Both tables are
 * append-only (database triggers), so there is deliberately no update or delete here.
 * bigint sums are read as float8: exact for any integer below 2^53.
 */
@Injectable()
export class LedgerRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Inserts a transaction unless one of the same kind already exists for the payment
   * (PAYMENT), refund (REFUND) or payout (PAYOUT, PAYOUT_REVERSAL), which the partial unique
   * indexes forbid; returns null then. `createdAt` is business time (the injected clock).
   */
  async insertTransaction(
    manager: EntityManager,
    t: {
      kind: PostedKind;
      sessionId: string | null;
      paymentId: string | null;
      refundId: string | null;
      payoutId: string | null;
      reversesId: string | null;
      description: string;
      createdAt: Date;
    },
  ): Promise<string | null> {
    const rows: { id: string }[] = await manager.query(
      `INSERT INTO ledger_transactions (kind, session_id, payment_id, refund_id, payout_id, reverses_id, description, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT ${CONFLICT_TARGET[t.kind]} DO NOTHING
       RETURNING id`,
      [t.kind, t.sessionId, t.paymentId, t.refundId, t.payoutId, t.reversesId, t.description, t.createdAt],
    );
    return rows[0]?.id ?? null;
  }

  /** The entries of a transaction, all at `createdAt`, each on its party's local day (`dayOf`). */
  async insertEntries(
    manager: EntityManager,
    transactionId: string,
    currency: string,
    lines: readonly LedgerLine[],
    createdAt: Date,
    dayOf: (line: LedgerLine) => string,
  ): Promise<void> {
    if (lines.length === 0) return;
    const params: unknown[] = [transactionId, currency, createdAt];
    const values = lines.map((l) => {
      params.push(l.account, l.partyId, l.amountMinor, l.rateBps, dayOf(l));
      const n = params.length;
      return `($1, $${n - 4}, $${n - 3}, $${n - 2}, $2, $${n - 1}, $3, $${n}::date)`;
    });
    await manager.query(
      `INSERT INTO ledger_entries (transaction_id, account, party_id, amount_minor, currency, rate_bps, created_at, local_day)
       VALUES ${values.join(', ')}`,
      params,
    );
  }

  /** The time zone of each party (users.time_zone via `user_directory`); unknown ids are left out. */
  async partyZones(manager: EntityManager, partyIds: readonly string[]): Promise<Map<string, string>> {
    if (partyIds.length === 0) return new Map();
    const rows: { id: string; timeZone: string }[] = await manager.query(
      'SELECT id, time_zone AS "timeZone" FROM user_directory WHERE id = ANY($1::uuid[])',
      [[...new Set(partyIds)]],
    );
    return new Map(rows.map((r) => [r.id, r.timeZone]));
  }

  /** Adds each delta to its `ledger_party_daily` row (created at zero). Deltas arrive sorted by key. */
  async upsertRollups(manager: EntityManager, deltas: readonly RollupDelta[]): Promise<void> {
    if (deltas.length === 0) return;
    const params: unknown[] = [];
    const values = deltas.map((d) => {
      const start = params.length;
      params.push(d.partyId, d.account, d.currency, d.day, ...ROLLUP_FIELDS.map((f) => d.values[f]));
      const p = (i: number) => `$${start + i + 1}`;
      return `(${p(0)}::uuid, ${p(1)}, ${p(2)}, ${p(3)}::date, ${ROLLUP_FIELDS.map((_, i) => p(4 + i)).join(', ')})`;
    });
    await manager.query(
      `INSERT INTO ledger_party_daily AS r (party_id, account, currency, day, ${ROLLUP_FIELDS.join(', ')})
       VALUES ${values.join(', ')}
       ON CONFLICT (party_id, account, currency, day) DO UPDATE SET
       ${ROLLUP_FIELDS.map((f) => `${f} = r.${f} + EXCLUDED.${f}`).join(', ')}`,
      params,
    );
  }

  async findTransactionId(manager: EntityManager, kind: PostedKind, key: string): Promise<string | null> {
    const rows: { id: string }[] = await manager.query(
      `SELECT id FROM ledger_transactions WHERE kind = $1 AND ${KEY_COLUMN[kind]} = $2`,
      [kind, key],
    );
    return rows[0]?.id ?? null;
  }

  /** A payout's PAYOUT transaction, locked until the running transaction ends, with its entries. */
  async lockPayoutTransaction(
    manager: EntityManager,
    payoutId: string,
  ): Promise<{ id: string; lines: LedgerLine[]; currency: string } | null> {
    const tx: { id: string }[] = await manager.query(
      `SELECT id FROM ledger_transactions WHERE kind = 'PAYOUT' AND payout_id = $1 FOR UPDATE`,
      [payoutId],
    );
    if (!tx[0]) return null;
    const { lines, currency } = await this.entriesOf(manager, tx[0].id);
    return { id: tx[0].id, lines, currency };
  }

  /** A transaction-scoped advisory lock on `key` (released at commit or rollback). */
  async advisoryXactLock(manager: EntityManager, key: string): Promise<void> {
    await manager.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [key]);
  }

  /**
   * Adds each delta to its `ledger_party_balances` row (created at zero), widening its first and
   * last day. Deltas arrive sorted by key. Called right after `upsertRollups` with the same
   * posting's deltas (see `balanceDeltas`).
   */
  async upsertBalances(manager: EntityManager, deltas: readonly BalanceDelta[]): Promise<void> {
    if (deltas.length === 0) return;
    const params: unknown[] = [];
    const values = deltas.map((d) => {
      const start = params.length;
      params.push(d.partyId, d.account, d.currency, ...ROLLUP_FIELDS.map((f) => d.values[f]), d.firstDay, d.lastDay);
      const p = (i: number) => `$${start + i + 1}`;
      const n = ROLLUP_FIELDS.length;
      return `(${p(0)}::uuid, ${p(1)}, ${p(2)}, ${ROLLUP_FIELDS.map((_, i) => p(3 + i)).join(', ')}, ${p(3 + n)}::date, ${p(4 + n)}::date)`;
    });
    await manager.query(
      `INSERT INTO ledger_party_balances AS b (party_id, account, currency, ${ROLLUP_FIELDS.join(', ')}, first_day, last_day)
       VALUES ${values.join(', ')}
       ON CONFLICT (party_id, account, currency) DO UPDATE SET
       ${ROLLUP_FIELDS.map((f) => `${f} = b.${f} + EXCLUDED.${f}`).join(', ')},
       first_day = least(b.first_day, EXCLUDED.first_day), last_day = greatest(b.last_day, EXCLUDED.last_day)`,
      params,
    );
  }

  /**
   * What the platform owes the party per payable account and currency (−net), from the running
   * balances: one row per account and currency, whatever the length of the party's history.
   */
  owed(
    manager: EntityManager,
    partyId: string,
    filter: { account?: PayableAccount; currency?: string } = {},
  ): Promise<{ account: PayableAccount; currency: string; owedMinor: number }[]> {
    return manager.query(
      `SELECT account, currency, (-net_minor)::float8 AS "owedMinor"
         FROM ledger_party_balances
        WHERE party_id = $1 AND ($2::text IS NULL OR account = $2) AND ($3::text IS NULL OR currency = $3)
        ORDER BY currency, account`,
      [partyId, filter.account ?? null, filter.currency ?? null],
    );
  }

  /**
   * Compares every `ledger_party_daily` row, and every `ledger_party_balances` row, with the same
   * sums recomputed from the raw entries, in one snapshot. Returns the counts of each side and up
   * to `limit` differing fields per table (a row missing on one side counts as zeros there; the
   * balances' first and last day compare as YYYYMMDD numbers).
   */
  async reconcile(limit: number): Promise<ReconcileRows> {
    // One statement, so one snapshot: the recomputation is materialised once and read by both comparisons.
    const unpivot = ROLLUP_FIELDS.map((f) => `('${f}', r.${f}::bigint, l.${f}::bigint)`).join(', ');
    const balanceUnpivot = [
      ...ROLLUP_FIELDS.map((f) => `('${f}', b.${f}::bigint, lb.${f}::bigint)`),
      ...(['first_day', 'last_day'] as const).map(
        (f) => `('${f}', to_char(b.${f}, 'YYYYMMDD')::bigint, to_char(lb.${f}, 'YYYYMMDD')::bigint)`,
      ),
    ].join(', ');
    const rows: ReconcileRows[] = await this.dataSource.query(
      `WITH l AS MATERIALIZED (${RECOMPUTE_SQL}),
            lb AS MATERIALIZED (
              SELECT party_id, account, currency, ${ROLLUP_FIELDS.map((f) => `sum(${f}) AS ${f}`).join(', ')},
                     min(day) AS first_day, max(day) AS last_day
                FROM l GROUP BY party_id, account, currency),
            d AS MATERIALIZED (
              SELECT coalesce(r.party_id, l.party_id) AS "partyId", coalesce(r.account, l.account) AS account,
                     coalesce(r.currency, l.currency) AS currency, coalesce(r.day, l.day)::text AS day, f.field,
                     coalesce(f.rollup_value, 0)::float8 AS "rollupValue", coalesce(f.ledger_value, 0)::float8 AS "ledgerValue"
                FROM ledger_party_daily r
                FULL JOIN l ON l.party_id = r.party_id AND l.account = r.account AND l.currency = r.currency AND l.day = r.day
               CROSS JOIN LATERAL (VALUES ${unpivot}) AS f(field, rollup_value, ledger_value)
               WHERE coalesce(f.rollup_value, 0) <> coalesce(f.ledger_value, 0)),
            db AS MATERIALIZED (
              SELECT coalesce(b.party_id, lb.party_id) AS "partyId", coalesce(b.account, lb.account) AS account,
                     coalesce(b.currency, lb.currency) AS currency, f.field,
                     coalesce(f.balance_value, 0)::float8 AS "balanceValue", coalesce(f.ledger_value, 0)::float8 AS "ledgerValue"
                FROM ledger_party_balances b
                FULL JOIN lb ON lb.party_id = b.party_id AND lb.account = b.account AND lb.currency = b.currency
               CROSS JOIN LATERAL (VALUES ${balanceUnpivot}) AS f(field, balance_value, ledger_value)
               WHERE coalesce(f.balance_value, 0) <> coalesce(f.ledger_value, 0))
       SELECT (SELECT count(*) FROM ledger_party_daily)::int AS "rollupRows",
              (SELECT count(*) FROM l)::int AS "ledgerGroups",
              (SELECT count(*) FROM d)::int AS "differenceCount",
              (SELECT coalesce(json_agg(x ORDER BY x."partyId", x.account, x.currency, x.day, x.field), '[]'::json)
                 FROM (SELECT * FROM d ORDER BY "partyId", account, currency, day, field LIMIT $1) x) AS differences,
              (SELECT count(*) FROM ledger_party_balances)::int AS "balanceRows",
              (SELECT count(*) FROM lb)::int AS "balanceGroups",
              (SELECT count(*) FROM db)::int AS "balanceDifferenceCount",
              (SELECT coalesce(json_agg(x ORDER BY x."partyId", x.account, x.currency, x.field), '[]'::json)
                 FROM (SELECT * FROM db ORDER BY "partyId", account, currency, field LIMIT $1) x) AS "balanceDifferences"`,
      [limit],
    );
    return rows[0]!;
  }

  private async entriesOf(manager: EntityManager, transactionId: string): Promise<{ lines: LedgerLine[]; currency: string }> {
    const entries: {
      account: LedgerAccount;
      partyId: string | null;
      amountMinor: number;
      currency: string;
      rateBps: number | null;
    }[] = await manager.query(
      `SELECT account, party_id AS "partyId", amount_minor::float8 AS "amountMinor", currency, rate_bps AS "rateBps"
         FROM ledger_entries WHERE transaction_id = $1 ORDER BY id`,
      [transactionId],
    );
    return {
      currency: entries[0]?.currency ?? 'XXX',
      lines: entries.map(({ account, partyId, amountMinor, rateBps }) => ({ account, partyId, amountMinor, rateBps })),
    };
  }

  /**
   * The payment's own transaction, locked until the running transaction ends (serialises the
   * reversals of one payment; a row lock fires no UPDATE trigger), with its entries.
   */
  async lockPaymentTransaction(
    manager: EntityManager,
    paymentId: string,
  ): Promise<{ id: string; sessionId: string | null; lines: LedgerLine[]; currency: string } | null> {
    const tx: { id: string; sessionId: string | null }[] = await manager.query(
      `SELECT id, session_id AS "sessionId" FROM ledger_transactions WHERE kind = 'PAYMENT' AND payment_id = $1 FOR UPDATE`,
      [paymentId],
    );
    if (!tx[0]) return null;
    const { lines, currency } = await this.entriesOf(manager, tx[0].id);
    return { id: tx[0].id, sessionId: tx[0].sessionId, currency, lines };
  }

  /** How much of the payment earlier REFUND transactions already reversed (their clearing credits). */
  async reversedMinor(manager: EntityManager, paymentId: string): Promise<number> {
    const rows: { total: number }[] = await manager.query(
      `SELECT coalesce(-sum(e.amount_minor), 0)::float8 AS total
         FROM ledger_transactions t JOIN ledger_entries e ON e.transaction_id = t.id
        WHERE t.kind = 'REFUND' AND t.payment_id = $1 AND e.account = 'stripe_clearing'`,
      [paymentId],
    );
    return rows[0]?.total ?? 0;
  }

  /** Balance per account, party and currency (debits positive), with the party's display name. */
  balances(): Promise<LedgerBalanceRow[]> {
    return this.dataSource.query(
      `SELECT b.account, b.party_id AS "partyId", u.display_name AS "partyName", b.currency, b.balance::float8 AS "balanceMinor"
         FROM (SELECT account, party_id, currency, sum(amount_minor) AS balance
                 FROM ledger_entries GROUP BY account, party_id, currency) b
         LEFT JOIN user_directory u ON u.id = b.party_id
        ORDER BY b.currency, b.account, u.display_name NULLS FIRST, b.party_id NULLS FIRST`,
    );
  }

  /** Transactions newest first, with their entries. */
  async listTransactions(
    f: LedgerTransactionFilter,
  ): Promise<{ items: (LedgerTransactionRow & { entries: LedgerEntryRow[] })[]; total: number }> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (f.kind) where.push(`t.kind = $${params.push(f.kind)}`);
    if (f.sessionId) where.push(`t.session_id = $${params.push(f.sessionId)}`);
    if (f.paymentId) where.push(`t.payment_id = $${params.push(f.paymentId)}`);
    if (f.payoutId) where.push(`t.payout_id = $${params.push(f.payoutId)}`);
    const clause = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
    const [items, counts] = await Promise.all([
      this.dataSource.query(
        `SELECT t.id, t.kind, t.session_id AS "sessionId", t.payment_id AS "paymentId", t.refund_id AS "refundId",
                t.payout_id AS "payoutId", t.reverses_id AS "reversesId", t.description, t.created_at AS "createdAt"
           FROM ledger_transactions t ${clause}
          ORDER BY t.created_at DESC, t.id DESC
          LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
        [...params, f.pageSize, (f.page - 1) * f.pageSize],
      ) as Promise<LedgerTransactionRow[]>,
      this.dataSource.query(`SELECT count(*)::int AS total FROM ledger_transactions t ${clause}`, params) as Promise<
        { total: number }[]
      >,
    ]);
    const entries: LedgerEntryRow[] =
      items.length === 0
        ? []
        : await this.dataSource.query(
            `SELECT e.transaction_id AS "transactionId", e.account, e.party_id AS "partyId", u.display_name AS "partyName",
                    e.amount_minor::float8 AS "amountMinor", e.currency, e.rate_bps AS "rateBps"
               FROM ledger_entries e LEFT JOIN user_directory u ON u.id = e.party_id
              WHERE e.transaction_id = ANY($1::uuid[])
              ORDER BY e.id`,
            [items.map((t) => t.id)],
          );
    return {
      items: items.map((t) => ({ ...t, entries: entries.filter((e) => e.transactionId === t.id) })),
      total: counts[0]?.total ?? 0,
    };
  }
}
