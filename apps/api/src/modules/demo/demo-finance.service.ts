import { Injectable, Logger, Optional } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Role } from '@lm/domain';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { AuthUser } from '../../common/auth/auth-user';
import { Clock } from '../../common/time/clock';
import { ConsultationsService } from '../consultations';
import { PayoutsService } from '../finance';
import { AccountsService, EmailVerificationService } from '../identity';
import { LedgerService } from '../ledger';
import { PartnersService } from '../partners';
import { CheckoutService, PaymentsService } from '../payments';
import { StatementsService } from '../statements';
import { SandboxTestPayments } from '../stripe-sandbox';
import type { DemoCaseLawyer } from './demo-cases.service';
import { DemoClock } from './demo-clock';

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;

/** The demo accounts the partner's past involves. */
export interface DemoFinanceCast {
  admin: AuthUser;
  partner: AuthUser;
  /** The demo lawyer first, then the directory lawyers. */
  lawyers: DemoCaseLawyer[];
  emailDomain: string;
  password: (email: string) => string;
}

export type DemoFinanceHistory =
  | { kind: 'seeded'; referred: number; payments: number; refunds: number; payouts: number; statements: number }
  | { kind: 'skipped' | 'failed'; reason: string };

/** Clients the demo partner referred months ago (accounts without printed passwords). */
const REFERRED_CLIENTS = [
  { displayName: 'Łukasz Żółć', timeZone: 'Europe/Warsaw', email: 'lukasz.zolc' },
  { displayName: '山田太郎', timeZone: 'Asia/Tokyo', email: 'taro.yamada' },
] as const;

/**
 * One step of the partner's past: `month` months before the current one (UTC), on `day` at
 * `hour` UTC. `client` indexes REFERRED_CLIENTS, `lawyer` DemoFinanceCast.lawyers.
 */
type Step =
  | { at: [month: number, day: number, hour: number]; kind: 'consultation'; client: number; lawyer: number }
  | { at: [month: number, day: number, hour: number]; kind: 'paid-then-cancelled'; client: number; lawyer: number }
  | { at: [month: number, day: number, hour: number]; kind: 'payout'; to: 'partner' | 'demo-lawyer' };

/** Three closed months: consultations of both referred clients with the demo lawyer and a directory lawyer, a refund, payouts. */
const STEPS: readonly Step[] = [
  { at: [3, 6, 9], kind: 'consultation', client: 0, lawyer: 0 },
  { at: [3, 12, 10], kind: 'consultation', client: 1, lawyer: 1 },
  { at: [2, 3, 9], kind: 'consultation', client: 0, lawyer: 0 },
  { at: [2, 14, 11], kind: 'paid-then-cancelled', client: 1, lawyer: 1 },
  { at: [2, 18, 10], kind: 'consultation', client: 1, lawyer: 0 },
  { at: [1, 4, 9], kind: 'payout', to: 'partner' },
  { at: [1, 4, 10], kind: 'payout', to: 'demo-lawyer' },
  { at: [1, 9, 10], kind: 'consultation', client: 0, lawyer: 1 },
  { at: [1, 21, 9], kind: 'consultation', client: 1, lawyer: 0 },
];

/**
 * The demo partner's past, so that its dashboard, payouts and monthly statements (and the demo
 * lawyer's earnings) show something right after the first start: two clients signed up with the
 * partner's link three months ago and paid consultations since, one was refunded, and the admin
 * paid the partner and the demo lawyer by bank transfer last month. Everything goes through the
 * production services — sign-up with the referral code, "Book & pay" on the sandbox checkout,
 * the lawyer completing the consultation, the client cancelling, the admin recording payouts —
 * with business time set back by the demo server's clock (DemoClock), so ledger postings, daily
 * rollups, audit entries and emails carry the dates they would have had. The statements job then
 * issues the statements of the months that have closed, as it does every hour.
 */
@Injectable()
export class DemoFinance {
  private readonly logger = new Logger(DemoFinance.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly accounts: AccountsService,
    private readonly verification: EmailVerificationService,
    private readonly partners: PartnersService,
    private readonly checkout: CheckoutService,
    private readonly payments: PaymentsService,
    private readonly consultations: ConsultationsService,
    private readonly ledger: LedgerService,
    private readonly payouts: PayoutsService,
    private readonly statements: StatementsService,
    private readonly clock: Clock,
    @Optional() private readonly sandboxPayments?: SandboxTestPayments,
  ) {}

  async seedPartnerHistory(cast: DemoFinanceCast): Promise<DemoFinanceHistory> {
    if (!this.sandboxPayments) return { kind: 'skipped', reason: 'demo sessions are paid on the local Stripe sandbox only' };
    const clock = this.clock;
    if (!(clock instanceof DemoClock)) return { kind: 'skipped', reason: 'the demo past is written with the demo server clock' };
    const now = clock.now();
    const at = ([month, day, hour]: Step['at']) => new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - month, day, hour));
    const counts = { payments: 0, refunds: 0, payouts: 0 };
    try {
      await clock.travel(at(STEPS[0]!.at), async () => {
        const { code } = await this.partners.getReferralLink(cast.partner);
        const clients: AuthUser[] = [];
        for (const spec of REFERRED_CLIENTS) {
          const email = `${spec.email}@${cast.emailDomain}`;
          // Created like the other demo accounts (a self sign-up would mail a verification link
          // stamped with the database's clock), then attributed to the partner's code exactly as
          // a sign-up through the link is, in one transaction.
          const user = await this.accounts.createByAdmin(null, {
            role: Role.CLIENT,
            email,
            displayName: spec.displayName,
            password: cast.password(email),
            timeZone: spec.timeZone,
          });
          await this.dataSource.transaction((m) => this.partners.attributeSignUp(m, code, { id: user.id, role: Role.CLIENT }));
          await this.verification.markVerified(null, user.id, 'demo_seed');
          clients.push({ id: user.id, email: user.email, role: Role.CLIENT, via: 'jwt' });
        }
        for (const step of STEPS) {
          clock.jumpTo(new Date(Math.max(at(step.at).getTime(), clock.nowMs() + MINUTE_MS)));
          if (step.kind === 'payout') {
            const payee = step.to === 'partner' ? cast.partner : cast.lawyers[0]!.user;
            counts.payouts += await this.payAllOwed(cast.admin, payee);
            continue;
          }
          const client = clients[step.client]!;
          const lawyer = cast.lawyers[step.lawyer] ?? cast.lawyers[0]!;
          const sessionId = await this.paid(client, lawyer.offeringId);
          counts.payments++;
          if (step.kind === 'paid-then-cancelled') {
            await this.consultations.cancel(client, sessionId, 'My employer settled the matter before I could book a time.');
            await this.refunded(sessionId);
            counts.refunds++;
            continue;
          }
          const startAt = new Date(clock.nowMs() + HOUR_MS);
          await this.consultations.bookForDemo(client, sessionId, startAt);
          clock.jumpTo(new Date(startAt.getTime() + 90 * MINUTE_MS));
          await this.consultations.complete(lawyer.user, sessionId);
        }
      });
      const statements = await this.statements.issueDue(null);
      this.logger.log(
        `Seeded the demo partner's past: ${REFERRED_CLIENTS.length} referred clients, ${counts.payments} payments, ` +
          `${counts.refunds} refund, ${counts.payouts} payouts, ${statements} monthly statements`,
      );
      return { kind: 'seeded', referred: REFERRED_CLIENTS.length, ...counts, statements };
    } catch (e) {
      const reason = e instanceof Error ? e.message : String(e);
      this.logger.warn(`Demo partner history not seeded: ${reason}`);
      return { kind: 'failed', reason };
    }
  }

  /** The admin records a bank transfer of everything owed to `payee`, per currency; the number of payouts. */
  private async payAllOwed(admin: AuthUser, payee: AuthUser): Promise<number> {
    const owed = await this.ledger.owedBalances(this.dataSource.manager, payee.id);
    let recorded = 0;
    for (const balance of owed) {
      if (balance.owedMinor <= 0) continue;
      await this.payouts.record(admin, randomUUID(), {
        payeeId: payee.id,
        currency: balance.currency,
        amountMinor: balance.owedMinor,
        method: 'BANK_TRANSFER',
        reference: `DEMO-${balance.currency}-${this.clock.now().toISOString().slice(0, 7)}`,
        paidAt: this.clock.now().toISOString(),
      });
      recorded++;
    }
    return recorded;
  }

  /** "Book & pay", then "Pay" on the sandbox checkout page: the session id, PAID. */
  private async paid(client: AuthUser, offeringId: string): Promise<string> {
    const { sessionId, checkoutUrl } = await this.checkout.createSession(client, offeringId);
    await this.sandboxPayments!.payCheckout(checkoutUrl);
    return sessionId;
  }

  /** Waits (at most a minute) for the refund job and the sandbox to confirm the session's refund, so it is posted on this day. */
  private async refunded(sessionId: string): Promise<void> {
    for (let waited = 0; waited < 60_000; waited += 250) {
      const { refunds } = await this.payments.findForSession(sessionId);
      if (refunds.length > 0 && refunds.every((r) => r.status === 'SUCCEEDED')) return;
      if (refunds.some((r) => r.status === 'FAILED')) throw new Error(`the demo refund of session ${sessionId} failed`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    throw new Error(`the demo refund of session ${sessionId} was not confirmed within a minute`);
  }
}
