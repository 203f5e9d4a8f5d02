import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { LedgerAccount, LedgerLine } from './ledger-math';

export type LedgerTransactionKind = 'PAYMENT' | 'REFUND' | 'ADJUSTMENT' | 'PAYOUT' | 'PAYOUT_REVERSAL';

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
   * (PAYMENT) or refund (REFUND), which the partial unique indexes forbid; returns null then.
   */
  async insertTransaction(
    manager: EntityManager,
    t: {
      kind: 'PAYMENT' | 'REFUND';
      sessionId: string | null;
      paymentId: string;
      refundId: string | null;
      reversesId: string | null;
      description: string;
    },
  ): Promise<string | null> {
    const conflict = t.kind === 'PAYMENT' ? `(payment_id) WHERE kind = 'PAYMENT'` : `(refund_id) WHERE kind = 'REFUND'`;
    const rows: { id: string }[] = await manager.query(
      `INSERT INTO ledger_transactions (kind, session_id, payment_id, refund_id, reverses_id, description)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT ${conflict} DO NOTHING
       RETURNING id`,
      [t.kind, t.sessionId, t.paymentId, t.refundId, t.reversesId, t.description],
    );
    return rows[0]?.id ?? null;
  }

  async insertEntries(
    manager: EntityManager,
    transactionId: string,
    currency: string,
    lines: readonly LedgerLine[],
  ): Promise<void> {
    if (lines.length === 0) return;
    const params: unknown[] = [transactionId, currency];
    const values = lines.map((l) => {
      params.push(l.account, l.partyId, l.amountMinor, l.rateBps);
      const n = params.length;
      return `($1, $${n - 3}, $${n - 2}, $${n - 1}, $2, $${n})`;
    });
    await manager.query(
      `INSERT INTO ledger_entries (transaction_id, account, party_id, amount_minor, currency, rate_bps) VALUES ${values.join(', ')}`,
      params,
    );
  }

  async findTransactionId(manager: EntityManager, kind: 'PAYMENT' | 'REFUND', key: string): Promise<string | null> {
    const column = kind === 'PAYMENT' ? 'payment_id' : 'refund_id';
    const rows: { id: string }[] = await manager.query(`SELECT id FROM ledger_transactions WHERE kind = $1 AND ${column} = $2`, [
      kind,
      key,
    ]);
    return rows[0]?.id ?? null;
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
    const entries: {
      account: LedgerAccount;
      partyId: string | null;
      amountMinor: number;
      currency: string;
      rateBps: number | null;
    }[] = await manager.query(
      `SELECT account, party_id AS "partyId", amount_minor::float8 AS "amountMinor", currency, rate_bps AS "rateBps"
         FROM ledger_entries WHERE transaction_id = $1 ORDER BY id`,
      [tx[0].id],
    );
    return {
      id: tx[0].id,
      sessionId: tx[0].sessionId,
      currency: entries[0]?.currency ?? 'XXX',
      lines: entries.map(({ account, partyId, amountMinor, rateBps }) => ({ account, partyId, amountMinor, rateBps })),
    };
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
    const clause = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
    const [items, counts] = await Promise.all([
      this.dataSource.query(
        `SELECT t.id, t.kind, t.session_id AS "sessionId", t.payment_id AS "paymentId", t.refund_id AS "refundId",
                t.reverses_id AS "reversesId", t.description, t.created_at AS "createdAt"
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
