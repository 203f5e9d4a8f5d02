import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash, randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { AuthUser } from '../../common/auth/auth-user';
import { transactionWithRetry } from '../../common/database/transaction-retry';
import type { Paged } from '../../common/http/paged.response';
import { canonicalJson } from '../../common/json/canonical-json';
import { Clock } from '../../common/time/clock';
import { AppConfig } from '../../config/app-config';
import { AuditService } from '../audit';
import { LedgerService } from '../ledger';
import { NotificationsService } from '../notifications';
import { WebhookEvents } from '../webhooks';
import {
  ACCOUNT_OF_ROLE,
  pendingPayoutsStatement,
  toPendingPayouts,
  type PayeeRole,
  type PendingPayout,
  type PendingPayoutRow,
} from './finance.queries';
import {
  IdempotencyKeyRequired,
  IdempotencyKeyReused,
  PayeeNotFound,
  PayoutAlreadyReversed,
  PayoutCurrencyMismatch,
  PayoutExceedsOwed,
  PayoutNotFound,
  PayoutPaidAtInFuture,
} from './finance.errors';
import { PayoutsRepository, type PayoutMethod, type PayoutRow } from './payouts.repository';
import { ReportsDb } from './reports-db';

/** An Idempotency-Key: 1 to 255 visible ASCII characters. */
const IDEMPOTENCY_KEY = /^[!-~]{1,255}$/;

export interface RecordPayoutInput {
  payeeId: string;
  currency: string;
  amountMinor: number;
  method: PayoutMethod;
  reference: string;
  /** ISO instant with an offset (validated by the DTO). */
  paidAt: string;
}

export interface PendingPayoutQuery {
  currency?: string;
  role?: PayeeRole;
  minimumMinor?: number;
}

/**
 * Manual payouts: the admin pays a partner or lawyer outside the platform and records it here.
 * Recording is one transaction: the Idempotency-Key's lock (requests with one key run one after
 * the other, so a retry finds the first payout), the payable's lock and balance from the ledger
 * (never more than owed, in the payable's currency), the ledger posting (payable → payout
 * clearing), the payout row, the audit entry and the payee's notification and email. A mistake
 * is corrected by a reversal (the mirror posting), never by a delete.
 */
@Injectable()
export class PayoutsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly repo: PayoutsRepository,
    private readonly reports: ReportsDb,
    private readonly ledger: LedgerService,
    private readonly audit: AuditService,
    private readonly notifications: NotificationsService,
    private readonly clock: Clock,
    private readonly config: AppConfig,
    private readonly webhooks: WebhookEvents,
  ) {}

  /** Records a payout, or returns the one already recorded with this key (`replayed`). */
  async record(
    actor: AuthUser,
    idempotencyKey: string | undefined,
    input: RecordPayoutInput,
  ): Promise<{ payout: PayoutRow; replayed: boolean }> {
    if (idempotencyKey === undefined || !IDEMPOTENCY_KEY.test(idempotencyKey)) throw new IdempotencyKeyRequired();
    const key = idempotencyKey;
    const reference = input.reference.trim();
    const paidAt = new Date(input.paidAt);
    const requestHash = createHash('sha256')
      .update(
        canonicalJson({
          payeeId: input.payeeId.toLowerCase(),
          currency: input.currency,
          amountMinor: input.amountMinor,
          method: input.method,
          reference,
          paidAt: paidAt.toISOString(),
        }),
      )
      .digest('hex');

    return transactionWithRetry(this.dataSource, async (m) => {
      await this.repo.lockIdempotencyKey(m, key);
      const existing = await this.repo.findByIdempotencyKey(m, key);
      if (existing) {
        if (existing.requestHash !== requestHash) throw new IdempotencyKeyReused();
        return { payout: existing, replayed: true };
      }
      if (paidAt.getTime() > this.clock.nowMs()) throw new PayoutPaidAtInFuture();

      const payee = await this.repo.findUser(m, input.payeeId);
      if (!payee || (payee.role !== 'LAWYER' && payee.role !== 'PARTNER')) throw new PayeeNotFound();
      const role: PayeeRole = payee.role;
      const account = ACCOUNT_OF_ROLE[role];
      const { owedMinor, hasPayable } = await this.ledger.lockPayable(m, payee.id, account, input.currency);
      if (!hasPayable) throw new PayoutCurrencyMismatch(undefined, { currency: input.currency });
      if (input.amountMinor > owedMinor) {
        throw new PayoutExceedsOwed(
          `The payout is more than the ${owedMinor} minor units owed to the payee in ${input.currency}`,
          {
            owedMinor,
          },
        );
      }

      const id = randomUUID();
      const ledgerTransactionId = await this.ledger.postPayout(m, {
        payoutId: id,
        payeeId: payee.id,
        account,
        currency: input.currency,
        amountMinor: input.amountMinor,
        description: `Manual payout ${id} by ${input.method}, reference ${reference}`,
      });
      await this.repo.insertPayout(m, {
        id,
        payeeId: payee.id,
        role,
        account,
        currency: input.currency,
        amountMinor: input.amountMinor,
        method: input.method,
        reference,
        paidAt,
        recordedBy: actor.id,
        idempotencyKey: key,
        requestHash,
        ledgerTransactionId,
        createdAt: this.clock.now(),
      });
      // audit: payout.recorded
      await this.audit.record(m, {
        actorId: actor.id,
        actorRole: actor.role,
        action: 'payout.recorded',
        subjectType: 'payout',
        subjectId: id,
        payload: {
          payeeId: payee.id,
          role,
          currency: input.currency,
          amountMinor: input.amountMinor,
          method: input.method,
          reference,
          paidAt: paidAt.toISOString(),
          owedBeforeMinor: owedMinor,
          ledgerTransactionId,
        },
      });
      await this.notifications.notify(m, {
        userId: payee.id,
        kind: 'payout.recorded',
        params: {
          payoutId: id,
          role,
          amountMinor: input.amountMinor,
          currency: input.currency,
          method: input.method,
          reference,
          paidAt: paidAt.toISOString(),
        },
        dedupeKey: `payout:${id}`,
      });
      // The payee's webhooks: what the payee's own payout list shows (not who recorded it, nor the ledger's ids).
      await this.webhooks.emit(m, {
        type: 'payout.created',
        occurredAt: this.clock.now(),
        recipients: [
          {
            userId: payee.id,
            data: {
              payoutId: id,
              role,
              amountMinor: input.amountMinor,
              currency: input.currency,
              method: input.method,
              reference,
              paidAt: paidAt.toISOString(),
            },
          },
        ],
      });
      return { payout: (await this.repo.find(m, id))!, replayed: false };
    });
  }

  /** Reverses a payout recorded by mistake: the mirror ledger posting, once (409 PAYOUT_ALREADY_REVERSED after). */
  async reverse(actor: AuthUser, payoutId: string, rawReason: string): Promise<PayoutRow> {
    const reason = rawReason.trim();
    return transactionWithRetry(this.dataSource, async (m) => {
      if (!(await this.repo.lockPayout(m, payoutId))) throw new PayoutNotFound();
      const payout = (await this.repo.find(m, payoutId))!;
      if (payout.reversedAt) throw new PayoutAlreadyReversed();
      const ledgerTransactionId = await this.ledger.postPayoutReversal(m, {
        payoutId,
        description: `Reversal of manual payout ${payoutId}`,
      });
      await this.repo.insertReversal(m, {
        payoutId,
        reason,
        reversedBy: actor.id,
        ledgerTransactionId,
        createdAt: this.clock.now(),
      });
      // audit: payout.reversed
      await this.audit.record(m, {
        actorId: actor.id,
        actorRole: actor.role,
        action: 'payout.reversed',
        subjectType: 'payout',
        subjectId: payoutId,
        payload: {
          payeeId: payout.payeeId,
          role: payout.role,
          currency: payout.currency,
          amountMinor: payout.amountMinor,
          reason,
          ledgerTransactionId,
        },
      });
      await this.notifications.notify(m, {
        userId: payout.payeeId,
        kind: 'payout.reversed',
        params: { payoutId, role: payout.role, amountMinor: payout.amountMinor, currency: payout.currency, reason },
        dedupeKey: `payout-reversal:${payoutId}`,
      });
      return (await this.repo.find(m, payoutId))!;
    });
  }

  /** Payouts of every payee (or one), newest first. */
  async list(query: { payeeId?: string; page: number; pageSize: number }): Promise<Paged<PayoutRow>> {
    const { items, total } = await this.repo.list(query);
    return { items, total, page: query.page, pageSize: query.pageSize };
  }

  /** The caller's own payouts (a partner's or lawyer's), newest first. */
  listMine(actor: AuthUser, page: { page: number; pageSize: number }): Promise<Paged<PayoutRow>> {
    return this.list({ payeeId: actor.id, ...page });
  }

  /** Payees owed at least the threshold (PAYOUT_MINIMUM_MINOR unless given), most owed first, one page. */
  async pending(
    query: PendingPayoutQuery & { page: number; pageSize: number },
  ): Promise<Paged<PendingPayout> & { minimumMinor: number }> {
    const filter = this.pendingFilter(query);
    const rows = await this.reports.query<PendingPayoutRow>(
      pendingPayoutsStatement(filter, { page: query.page, pageSize: query.pageSize }),
    );
    return { ...toPendingPayouts(rows), page: query.page, pageSize: query.pageSize, minimumMinor: filter.minimumMinor };
  }

  /** Every payee of the pending list (same filters), for the bank run's CSV. */
  async pendingAll(query: PendingPayoutQuery): Promise<PendingPayout[]> {
    return toPendingPayouts(await this.reports.query<PendingPayoutRow>(pendingPayoutsStatement(this.pendingFilter(query), null)))
      .items;
  }

  private pendingFilter(query: PendingPayoutQuery) {
    return { minimumMinor: query.minimumMinor ?? this.config.PAYOUT_MINIMUM_MINOR, currency: query.currency, role: query.role };
  }
}
