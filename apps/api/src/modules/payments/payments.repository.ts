import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type Stripe from 'stripe';
import { DataSource, EntityManager } from 'typeorm';
import type { RefundStatus } from './payment-summary';

export interface PaymentRow {
  id: string;
  sessionId: string;
  clientId: string;
  lawyerId: string;
  stripeCheckoutSessionId: string;
  stripePaymentIntentId: string | null;
  amountMinor: number;
  currency: string;
  refundedMinor: number;
  sourceEventId: string | null;
  createdAt: Date;
}

export interface RefundRow {
  id: string;
  paymentId: string;
  sessionId: string;
  amountMinor: number;
  currency: string;
  reason: string;
  status: RefundStatus;
  stripeRefundId: string | null;
  failureReason: string | null;
  requestedBy: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface AdminPaymentRow extends PaymentRow {
  clientName: string | null;
  clientEmail: string | null;
  lawyerName: string | null;
  lawyerEmail: string | null;
  offeringTitle: string;
  sessionStatus: string;
}

const PAYMENT_COLUMNS = `p.id, p.session_id AS "sessionId", p.client_id AS "clientId", p.lawyer_id AS "lawyerId",
  p.stripe_checkout_session_id AS "stripeCheckoutSessionId", p.stripe_payment_intent_id AS "stripePaymentIntentId",
  p.amount_minor::float8 AS "amountMinor", p.currency, p.refunded_minor::float8 AS "refundedMinor",
  p.source_event_id AS "sourceEventId", p.created_at AS "createdAt"`;

const REFUND_COLUMNS = `r.id, r.payment_id AS "paymentId", r.session_id AS "sessionId", r.amount_minor::float8 AS "amountMinor",
  r.currency, r.reason, r.status, r.stripe_refund_id AS "stripeRefundId", r.failure_reason AS "failureReason",
  r.requested_by AS "requestedBy", r.created_at AS "createdAt", r.updated_at AS "updatedAt"`;

/** How a payment stands after its refunds (derived from refunded_minor). */
export const PAYMENT_STATUSES = ['PAID', 'PARTIALLY_REFUNDED', 'REFUNDED'] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

/** The admin's filters over payments; all optional, combined with AND. */
export interface PaymentFilter {
  sessionId?: string;
  status?: PaymentStatus;
  currency?: string;
  /** Created at or after / before these instants. */
  from?: Date;
  to?: Date;
  /** Part of the client's or the lawyer's name or email (case-insensitive). */
  q?: string;
}

export interface PaymentTotalsRow {
  currency: string;
  count: number;
  grossMinor: number;
  refundedMinor: number;
  netMinor: number;
}

const PAYMENT_STATUS_SQL: Record<PaymentStatus, string> = {
  PAID: 'p.refunded_minor = 0',
  PARTIALLY_REFUNDED: 'p.refunded_minor > 0 AND p.refunded_minor < p.amount_minor',
  REFUNDED: 'p.refunded_minor >= p.amount_minor',
};

const ADMIN_PAYMENT_JOINS = `
           JOIN session_bookings s ON s.id = p.session_id
           LEFT JOIN user_directory c ON c.id = p.client_id
           LEFT JOIN user_directory l ON l.id = p.lawyer_id`;

const ADMIN_PAYMENT_SELECT = `SELECT ${PAYMENT_COLUMNS}, c.display_name AS "clientName", c.email::text AS "clientEmail",
                l.display_name AS "lawyerName", l.email::text AS "lawyerEmail",
                s.offering_title AS "offeringTitle", s.status AS "sessionStatus"
           FROM payments p ${ADMIN_PAYMENT_JOINS}`;

function paymentWhere(f: PaymentFilter): { where: string; params: unknown[] } {
  const params: unknown[] = [];
  const where: string[] = [];
  if (f.sessionId) where.push(`p.session_id = $${params.push(f.sessionId)}`);
  if (f.status) where.push(`(${PAYMENT_STATUS_SQL[f.status]})`);
  if (f.currency) where.push(`p.currency = $${params.push(f.currency)}`);
  if (f.from) where.push(`p.created_at >= $${params.push(f.from)}`);
  if (f.to) where.push(`p.created_at < $${params.push(f.to)}`);
  if (f.q) {
    const n = params.push(`%${f.q.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`);
    where.push(
      `(c.display_name ILIKE $${n} ESCAPE '\\' OR c.email::text ILIKE $${n} ESCAPE '\\' OR l.display_name ILIKE $${n} ESCAPE '\\' OR l.email::text ILIKE $${n} ESCAPE '\\')`,
    );
  }
  return { where: where.length ? `WHERE ${where.join(' AND ')}` : '', params };
}

/**
 * The only place that queries `stripe_events`, `payments` and `refunds`. Other modules' data is
 * read only through the views their owners define (`user_directory`, `session_bookings`); the
 * client's Stripe Customer id is identity's (UserBillingService), sessions change only through
 * SessionLifecycle.
 */
@Injectable()
export class PaymentsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  get manager(): EntityManager {
    return this.dataSource.manager;
  }

  // ---------------------------------------------------------------- customers

  async userContact(
    userId: string,
    manager: EntityManager = this.manager,
  ): Promise<{ email: string; displayName: string } | null> {
    const rows: { email: string; displayName: string }[] = await manager.query(
      'SELECT email::text AS email, display_name AS "displayName" FROM user_directory WHERE id = $1',
      [userId],
    );
    return rows[0] ?? null;
  }

  // ---------------------------------------------------------------- stripe events

  async eventExists(id: string): Promise<boolean> {
    const rows: unknown[] = await this.manager.query('SELECT 1 FROM stripe_events WHERE id = $1', [id]);
    return rows.length > 0;
  }

  /**
   * Records an event; false when its id is already recorded (a duplicate delivery). A
   * concurrent delivery of the same id waits here for the first one's transaction to end.
   */
  async insertEvent(manager: EntityManager, event: Stripe.Event, source: 'webhook' | 'reconciliation'): Promise<boolean> {
    const rows: unknown[] = await manager.query(
      `INSERT INTO stripe_events (id, type, livemode, created_at, source, payload)
       VALUES ($1, $2, $3, to_timestamp($4), $5, $6)
       ON CONFLICT (id) DO NOTHING
       RETURNING id`,
      [event.id, event.type, event.livemode, event.created, source, JSON.stringify(event)],
    );
    return rows.length > 0;
  }

  // ---------------------------------------------------------------- payments

  async findPaymentBySession(sessionId: string, manager: EntityManager = this.manager): Promise<PaymentRow | null> {
    const rows: PaymentRow[] = await manager.query(`SELECT ${PAYMENT_COLUMNS} FROM payments p WHERE p.session_id = $1`, [
      sessionId,
    ]);
    return rows[0] ?? null;
  }

  async findPaymentByIntent(manager: EntityManager, paymentIntentId: string): Promise<PaymentRow | null> {
    const rows: PaymentRow[] = await manager.query(
      `SELECT ${PAYMENT_COLUMNS} FROM payments p WHERE p.stripe_payment_intent_id = $1`,
      [paymentIntentId],
    );
    return rows[0] ?? null;
  }

  async findPayment(manager: EntityManager, id: string): Promise<PaymentRow | null> {
    const rows: PaymentRow[] = await manager.query(`SELECT ${PAYMENT_COLUMNS} FROM payments p WHERE p.id = $1`, [id]);
    return rows[0] ?? null;
  }

  /** Locks the payment row (serialises refunds of one payment). Callers lock the session first. */
  async lockPayment(manager: EntityManager, id: string): Promise<PaymentRow | null> {
    const rows: PaymentRow[] = await manager.query(`SELECT ${PAYMENT_COLUMNS} FROM payments p WHERE p.id = $1 FOR UPDATE`, [id]);
    return rows[0] ?? null;
  }

  /** Null when the session or the checkout already has a payment (unique constraints). */
  async insertPayment(
    manager: EntityManager,
    p: Pick<
      PaymentRow,
      | 'sessionId'
      | 'clientId'
      | 'lawyerId'
      | 'stripeCheckoutSessionId'
      | 'stripePaymentIntentId'
      | 'amountMinor'
      | 'currency'
      | 'sourceEventId'
    >,
  ): Promise<PaymentRow | null> {
    const rows: { id: string }[] = await manager.query(
      `INSERT INTO payments (session_id, client_id, lawyer_id, stripe_checkout_session_id, stripe_payment_intent_id, amount_minor, currency, source_event_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT DO NOTHING
       RETURNING id`,
      [
        p.sessionId,
        p.clientId,
        p.lawyerId,
        p.stripeCheckoutSessionId,
        p.stripePaymentIntentId,
        p.amountMinor,
        p.currency,
        p.sourceEventId,
      ],
    );
    return rows[0] ? this.findPayment(manager, rows[0].id) : null;
  }

  async addRefunded(manager: EntityManager, paymentId: string, amountMinor: number): Promise<void> {
    await manager.query('UPDATE payments SET refunded_minor = refunded_minor + $2, updated_at = now() WHERE id = $1', [
      paymentId,
      amountMinor,
    ]);
  }

  // ---------------------------------------------------------------- refunds

  async insertRefund(
    manager: EntityManager,
    r: Pick<
      RefundRow,
      'paymentId' | 'sessionId' | 'amountMinor' | 'currency' | 'reason' | 'status' | 'stripeRefundId' | 'requestedBy'
    >,
  ): Promise<RefundRow> {
    const rows: { id: string }[] = await manager.query(
      `INSERT INTO refunds (payment_id, session_id, amount_minor, currency, reason, status, stripe_refund_id, requested_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
      [r.paymentId, r.sessionId, r.amountMinor, r.currency, r.reason, r.status, r.stripeRefundId, r.requestedBy],
    );
    return (await this.findRefund(manager, rows[0]!.id))!;
  }

  async findRefund(manager: EntityManager, id: string): Promise<RefundRow | null> {
    const rows: RefundRow[] = await manager.query(`SELECT ${REFUND_COLUMNS} FROM refunds r WHERE r.id = $1`, [id]);
    return rows[0] ?? null;
  }

  async findRefundByStripeId(manager: EntityManager, stripeRefundId: string): Promise<RefundRow | null> {
    const rows: RefundRow[] = await manager.query(`SELECT ${REFUND_COLUMNS} FROM refunds r WHERE r.stripe_refund_id = $1`, [
      stripeRefundId,
    ]);
    return rows[0] ?? null;
  }

  async pendingRefundTotal(manager: EntityManager, paymentId: string): Promise<number> {
    const rows: { total: number }[] = await manager.query(
      `SELECT coalesce(sum(amount_minor), 0)::float8 AS total FROM refunds WHERE payment_id = $1 AND status = 'PENDING'`,
      [paymentId],
    );
    return rows[0]?.total ?? 0;
  }

  async updateRefund(
    manager: EntityManager,
    id: string,
    changes: { status?: RefundStatus; stripeRefundId?: string; failureReason?: string | null },
  ): Promise<void> {
    await manager.query(
      `UPDATE refunds SET status = coalesce($2, status), stripe_refund_id = coalesce($3, stripe_refund_id),
              failure_reason = CASE WHEN $5 THEN $4 ELSE failure_reason END, updated_at = now()
        WHERE id = $1`,
      [
        id,
        changes.status ?? null,
        changes.stripeRefundId ?? null,
        changes.failureReason ?? null,
        changes.failureReason !== undefined,
      ],
    );
  }

  async refundsOfSession(sessionId: string, manager: EntityManager = this.manager): Promise<RefundRow[]> {
    return manager.query(`SELECT ${REFUND_COLUMNS} FROM refunds r WHERE r.session_id = $1 ORDER BY r.created_at, r.id`, [
      sessionId,
    ]);
  }

  /** Refunds Stripe has but has not confirmed yet (reconciliation asks Stripe about them). */
  async unconfirmedRefunds(limit: number): Promise<RefundRow[]> {
    return this.manager.query(
      `SELECT ${REFUND_COLUMNS} FROM refunds r WHERE r.status = 'PENDING' AND r.stripe_refund_id IS NOT NULL ORDER BY r.created_at LIMIT $1`,
      [limit],
    );
  }

  // ---------------------------------------------------------------- lookups for checkout and jobs

  async lawyerName(manager: EntityManager, lawyerId: string): Promise<string | null> {
    const rows: { name: string }[] = await manager.query('SELECT display_name AS name FROM user_directory WHERE id = $1', [lawyerId]);
    return rows[0]?.name ?? null;
  }

  // ---------------------------------------------------------------- admin

  async listPayments(f: PaymentFilter & { page: number; pageSize: number }): Promise<{
    items: (AdminPaymentRow & { refunds: RefundRow[] })[];
    total: number;
    totals: PaymentTotalsRow[];
  }> {
    const { where, params } = paymentWhere(f);
    const [items, counts, totals] = await Promise.all([
      this.manager.query(
        `${ADMIN_PAYMENT_SELECT} ${where}
          ORDER BY p.created_at DESC, p.id DESC
          LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
        [...params, f.pageSize, (f.page - 1) * f.pageSize],
      ) as Promise<AdminPaymentRow[]>,
      this.manager.query(`SELECT count(*)::int AS total FROM payments p ${ADMIN_PAYMENT_JOINS} ${where}`, params) as Promise<{ total: number }[]>,
      this.totals(where, params),
    ]);
    return { items: await this.withRefunds(items), total: counts[0]?.total ?? 0, totals };
  }

  /**
   * Every payment matching the filter, newest first, for an export: at most `limit` rows; the
   * caller asks for one more than it allows to know whether the filter matched too many.
   */
  async exportPayments(f: PaymentFilter, limit: number): Promise<AdminPaymentRow[]> {
    const { where, params } = paymentWhere(f);
    return this.manager.query(`${ADMIN_PAYMENT_SELECT} ${where} ORDER BY p.created_at DESC, p.id DESC LIMIT $${params.length + 1}`, [
      ...params,
      limit,
    ]);
  }

  /** Per currency (never summed across currencies): count, gross, refunded and net of the filtered set. */
  private totals(where: string, params: unknown[]): Promise<PaymentTotalsRow[]> {
    return this.manager.query(
      `SELECT p.currency, count(*)::int AS count, sum(p.amount_minor)::float8 AS "grossMinor",
              sum(p.refunded_minor)::float8 AS "refundedMinor", sum(p.amount_minor - p.refunded_minor)::float8 AS "netMinor"
         FROM payments p ${ADMIN_PAYMENT_JOINS} ${where}
        GROUP BY p.currency ORDER BY p.currency`,
      params,
    );
  }

  private async withRefunds(items: AdminPaymentRow[]): Promise<(AdminPaymentRow & { refunds: RefundRow[] })[]> {
    const refunds: RefundRow[] =
      items.length === 0
        ? []
        : await this.manager.query(
            `SELECT ${REFUND_COLUMNS} FROM refunds r WHERE r.payment_id = ANY($1::uuid[]) ORDER BY r.created_at, r.id`,
            [items.map((p) => p.id)],
          );
    return items.map((p) => ({ ...p, refunds: refunds.filter((r) => r.paymentId === p.id) }));
  }
}
