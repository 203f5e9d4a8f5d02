import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { PayableAccount, PayeeRole } from './finance.queries';

export const PAYOUT_METHODS = ['BANK_TRANSFER', 'PAYPAL', 'WISE', 'CHECK', 'OTHER'] as const;
export type PayoutMethod = (typeof PAYOUT_METHODS)[number];

/** First key of the two-key advisory locks that serialise payouts per Idempotency-Key ('PAYO'). */
const IDEMPOTENCY_LOCK_SPACE = 0x5041594f;

/** A payout with its payee's and recorder's names and its reversal, if any. */
export interface PayoutRow {
  id: string;
  payeeId: string;
  payeeName: string;
  role: PayeeRole;
  account: PayableAccount;
  currency: string;
  amountMinor: number;
  method: PayoutMethod;
  reference: string;
  paidAt: Date;
  recordedAt: Date;
  recordedBy: string;
  recordedByName: string;
  requestHash: string;
  ledgerTransactionId: string;
  reversalReason: string | null;
  reversedAt: Date | null;
  reversedBy: string | null;
  reversalTransactionId: string | null;
}

export interface NewPayout {
  id: string;
  payeeId: string;
  role: PayeeRole;
  account: PayableAccount;
  currency: string;
  amountMinor: number;
  method: PayoutMethod;
  reference: string;
  paidAt: Date;
  recordedBy: string;
  idempotencyKey: string;
  requestHash: string;
  ledgerTransactionId: string;
  createdAt: Date;
}

const PAYOUT_COLUMNS = `
  p.id, p.payee_id AS "payeeId", payee.display_name AS "payeeName", p.payee_role AS role, p.account, p.currency,
  p.amount_minor::float8 AS "amountMinor", p.method, p.reference, p.paid_at AS "paidAt", p.created_at AS "recordedAt",
  p.recorded_by AS "recordedBy", recorder.display_name AS "recordedByName", p.request_hash AS "requestHash",
  p.ledger_transaction_id AS "ledgerTransactionId", r.reason AS "reversalReason", r.created_at AS "reversedAt",
  r.reversed_by AS "reversedBy", r.ledger_transaction_id AS "reversalTransactionId"`;

const PAYOUT_FROM = `
  payouts p
  JOIN user_directory payee ON payee.id = p.payee_id
  JOIN user_directory recorder ON recorder.id = p.recorded_by
  LEFT JOIN payout_reversals r ON r.payout_id = p.id`;

/** The only place that queries `payouts` and `payout_reversals` (both append-only). */
@Injectable()
export class PayoutsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Holds a lock on `key` until the running transaction ends, so requests with one
   * Idempotency-Key run one after the other: the second finds the first one's payout.
   */
  async lockIdempotencyKey(manager: EntityManager, key: string): Promise<void> {
    await manager.query('SELECT pg_advisory_xact_lock($1::int, hashtext($2))', [IDEMPOTENCY_LOCK_SPACE, key]);
  }

  async findByIdempotencyKey(manager: EntityManager, key: string): Promise<PayoutRow | null> {
    const rows: PayoutRow[] = await manager.query(`SELECT ${PAYOUT_COLUMNS} FROM ${PAYOUT_FROM} WHERE p.idempotency_key = $1`, [
      key,
    ]);
    return rows[0] ?? null;
  }

  /** A payout, optionally only when it is `payeeId`'s. */
  async find(manager: EntityManager, id: string, payeeId?: string): Promise<PayoutRow | null> {
    const rows: PayoutRow[] = await manager.query(
      `SELECT ${PAYOUT_COLUMNS} FROM ${PAYOUT_FROM} WHERE p.id = $1 AND ($2::uuid IS NULL OR p.payee_id = $2::uuid)`,
      [id, payeeId ?? null],
    );
    return rows[0] ?? null;
  }

  /** Locks the payout row until the transaction ends (serialises its reversal; a row lock fires no UPDATE trigger). */
  async lockPayout(manager: EntityManager, id: string): Promise<boolean> {
    const rows: unknown[] = await manager.query('SELECT id FROM payouts WHERE id = $1 FOR UPDATE', [id]);
    return rows.length > 0;
  }

  /** Who a payee is: a user's role and name from the directory (null when unknown). */
  async findUser(manager: EntityManager, id: string): Promise<{ id: string; role: string; displayName: string } | null> {
    const rows: { id: string; role: string; displayName: string }[] = await manager.query(
      'SELECT id, role, display_name AS "displayName" FROM user_directory WHERE id = $1',
      [id],
    );
    return rows[0] ?? null;
  }

  async insertPayout(manager: EntityManager, p: NewPayout): Promise<void> {
    await manager.query(
      `INSERT INTO payouts (id, payee_id, payee_role, account, currency, amount_minor, method, reference, paid_at, recorded_by,
                            idempotency_key, request_hash, ledger_transaction_id, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
      [
        p.id,
        p.payeeId,
        p.role,
        p.account,
        p.currency,
        p.amountMinor,
        p.method,
        p.reference,
        p.paidAt,
        p.recordedBy,
        p.idempotencyKey,
        p.requestHash,
        p.ledgerTransactionId,
        p.createdAt,
      ],
    );
  }

  async insertReversal(
    manager: EntityManager,
    r: { payoutId: string; reason: string; reversedBy: string; ledgerTransactionId: string; createdAt: Date },
  ): Promise<void> {
    await manager.query(
      `INSERT INTO payout_reversals (payout_id, reason, reversed_by, ledger_transaction_id, created_at) VALUES ($1, $2, $3, $4, $5)`,
      [r.payoutId, r.reason, r.reversedBy, r.ledgerTransactionId, r.createdAt],
    );
  }

  /** Payouts newest first (recorded time), optionally of one payee. */
  async list(f: { payeeId?: string; page: number; pageSize: number }): Promise<{ items: PayoutRow[]; total: number }> {
    const payee = f.payeeId ?? null;
    const [items, counts] = await Promise.all([
      this.dataSource.query(
        `SELECT ${PAYOUT_COLUMNS} FROM ${PAYOUT_FROM}
          WHERE ($1::uuid IS NULL OR p.payee_id = $1::uuid)
          ORDER BY p.created_at DESC, p.id DESC
          LIMIT $2 OFFSET $3`,
        [payee, f.pageSize, (f.page - 1) * f.pageSize],
      ) as Promise<PayoutRow[]>,
      this.dataSource.query('SELECT count(*)::int AS total FROM payouts WHERE ($1::uuid IS NULL OR payee_id = $1::uuid)', [
        payee,
      ]) as Promise<{ total: number }[]>,
    ]);
    return { items, total: counts[0]?.total ?? 0 };
  }
}
