import { Injectable, Logger, Optional } from '@nestjs/common';
import { Role } from '@lm/domain';
import type { AuthUser } from '../../common/auth/auth-user';
import { Clock } from '../../common/time/clock';
import { ConsultationsService } from '../consultations';
import { AccountsService, EmailVerificationService } from '../identity';
import { SlotNotAvailable } from '../marketplace';
import { CheckoutService } from '../payments';
import { ReviewsService } from '../reviews';
import { SandboxTestPayments } from '../stripe-sandbox';
import { SupportService } from '../support';

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

/** A lawyer the history is written with: the demo lawyer or a directory lawyer, and the offering booked. */
export interface DemoCaseLawyer {
  user: AuthUser;
  offeringId: string;
}

/** The demo accounts the history involves. */
export interface DemoCast {
  admin: AuthUser;
  client: AuthUser;
  /** The demo lawyer first, then the directory lawyers in DEMO_DIRECTORY's order. */
  lawyers: DemoCaseLawyer[];
  /** Where reviewer accounts get their addresses (the directory's demo domain). */
  emailDomain: string;
  password: (email: string) => string;
}

export type DemoHistory =
  | { kind: 'seeded'; reviews: number; toReview: string; reportedNoShowTicket: string }
  | { kind: 'skipped' | 'failed'; reason: string };

export type DemoNoShowCase =
  { kind: 'open'; sessionId: string; startAt: Date; lawyerName: string } | { kind: 'skipped'; reason: string };

/** Clients who reviewed the demo lawyers in the past (accounts without printed passwords). */
const REVIEWERS = [
  { displayName: 'Lucía Fernández', timeZone: 'Europe/Madrid' },
  { displayName: 'James O’Connor', timeZone: 'America/New_York' },
  { displayName: 'Mei Tanaka', timeZone: 'Asia/Tokyo' },
  { displayName: 'Lena Schulz', timeZone: 'Europe/Berlin' },
  { displayName: 'Amara Okafor', timeZone: 'Europe/London' },
] as const;

interface PastReview {
  /** Index into DemoCast.lawyers (0: the demo lawyer). */
  lawyer: number;
  reviewer: number;
  rating: number;
  comment: string;
  /** The lawyer's public response. */
  response?: string;
  /** The lawyer reports the review to the moderators (it names a third person). */
  reportedForPersonalData?: true;
}

const PAST_REVIEWS: readonly PastReview[] = [
  {
    lawyer: 0,
    reviewer: 0,
    rating: 5,
    comment: 'Clear, practical advice on my severance agreement. I knew exactly what to ask HR afterwards.',
  },
  {
    lawyer: 0,
    reviewer: 1,
    rating: 4,
    comment: 'Helpful and well prepared. The call started a few minutes late, but the written summary was excellent.',
  },
  {
    lawyer: 0,
    reviewer: 2,
    rating: 5,
    comment: 'Explained my rights as a tenant in plain English and followed up with a letter template.',
  },
  {
    lawyer: 0,
    reviewer: 3,
    rating: 3,
    comment: 'A good overview, but I hoped for more detail on the New Jersey side of my case.',
    response: 'Thank you. New Jersey questions deserve their own session; I have sent you the two statutes we discussed.',
  },
  {
    lawyer: 1,
    reviewer: 0,
    rating: 5,
    comment: 'Ana walked me through the custody options calmly and in Spanish and English for my partner.',
  },
  {
    lawyer: 1,
    reviewer: 4,
    rating: 5,
    comment: 'My residency file was checked line by line. Two missing documents found before I applied.',
  },
  { lawyer: 2, reviewer: 3, rating: 4, comment: 'Solid answers on my GmbH formation questions; a checklist would have helped.' },
  {
    lawyer: 2,
    reviewer: 1,
    rating: 2,
    comment:
      'Did not get a straight answer about my deposit. He kept talking about another client, Daniel Ruiz of Calle Mayor 12.',
    reportedForPersonalData: true,
  },
  {
    lawyer: 3,
    reviewer: 1,
    rating: 5,
    comment: 'Emily reviewed my NDA in the session itself and flagged the non-compete clause.',
  },
  { lawyer: 3, reviewer: 4, rating: 4, comment: 'Friendly and precise. Booking was easy and the advice was worth it.' },
  { lawyer: 4, reviewer: 2, rating: 5, comment: 'Sato-san explained the visa renewal steps clearly and answered in English.' },
];

const LAWYER_VIEWS_OF_CLIENTS = [
  'Well prepared: sent the documents ahead of the call.',
  'Punctual and clear about what they needed.',
];

/**
 * The demo's history: past consultations that show reviews, ratings, moderation and support.
 * Written only through the modules' services, as the people would (pay on the sandbox checkout,
 * the lawyer completes, both review, the lawyer responds or reports, the client reports a
 * no-show, support answers). What a person could not do is book a time in the past: the sessions
 * are booked through `ConsultationsService.bookForDemo` (marked `demo: true` in their events),
 * because a review needs a consultation that has happened and the clock is the real one.
 */
@Injectable()
export class DemoCases {
  private readonly logger = new Logger(DemoCases.name);

  constructor(
    private readonly accounts: AccountsService,
    private readonly verification: EmailVerificationService,
    private readonly checkout: CheckoutService,
    private readonly consultations: ConsultationsService,
    private readonly reviews: ReviewsService,
    private readonly support: SupportService,
    private readonly clock: Clock,
    @Optional() private readonly sandboxPayments?: SandboxTestPayments,
  ) {}

  /**
   * Once, at the first start: eleven reviewed consultations with five lawyers (so the directory
   * sorts by rating, profiles show summaries, one response and one reported review wait in the
   * moderation queue), a completed consultation the demo client has yet to review (the lawyer
   * already reviewed the client), a no-show report of the demo client waiting for the admin's
   * decision and a billing question support answered.
   */
  async seedHistory(cast: DemoCast): Promise<DemoHistory> {
    if (!this.sandboxPayments) return { kind: 'skipped', reason: 'demo sessions are paid on the local Stripe sandbox only' };
    try {
      const reviewers = await this.createReviewers(cast);
      const today = Math.floor(this.clock.nowMs() / DAY_MS) * DAY_MS;
      const perLawyer = new Map<number, number>();
      for (const past of PAST_REVIEWS) {
        const lawyer = cast.lawyers[past.lawyer];
        const client = reviewers[past.reviewer];
        if (!lawyer || !client) continue;
        const k = perLawyer.get(past.lawyer) ?? 0;
        perLawyer.set(past.lawyer, k + 1);
        // Afternoons (UTC) three, five, seven… days ago: one lawyer's demo sessions never overlap.
        const sessionId = await this.pastSession(client, lawyer, new Date(today - (3 + 2 * k) * DAY_MS + 14 * HOUR_MS));
        await this.consultations.complete(lawyer.user, sessionId);
        const { review } = await this.reviews.submit(client, sessionId, { rating: past.rating, comment: past.comment });
        // The lawyer's review of the client publishes both (double-blind until both are in).
        await this.reviews.submit(lawyer.user, sessionId, { rating: 4 + (k % 2), comment: LAWYER_VIEWS_OF_CLIENTS[k % 2] });
        if (past.response) await this.reviews.respond(lawyer.user, review.id, past.response);
        if (past.reportedForPersonalData) {
          await this.reviews.report(lawyer.user, review.id, {
            target: 'REVIEW',
            reason: 'PERSONAL_DATA',
            note: 'The review names and gives the address of another person.',
          });
        }
      }

      // The demo client's consultation of yesterday with the demo lawyer: completed, reviewed by
      // the lawyer, waiting for the client's review.
      const demoLawyer = cast.lawyers[0]!;
      const toReview = await this.pastSession(cast.client, demoLawyer, new Date(today - DAY_MS + 15 * HOUR_MS));
      await this.consultations.complete(demoLawyer.user, toReview);
      await this.reviews.submit(demoLawyer.user, toReview, { rating: 5, comment: LAWYER_VIEWS_OF_CLIENTS[0] });

      // Yesterday's consultation with another lawyer who never joined; the client reported it.
      const absent = cast.lawyers[3] ?? cast.lawyers[1]!;
      const missed = await this.pastSession(cast.client, absent, new Date(today - DAY_MS + 16 * HOUR_MS));
      const report = await this.support.open(cast.client, {
        category: 'NO_SHOW_LAWYER',
        sessionId: missed,
        description: 'I waited in the call for twenty minutes; the lawyer never joined and did not answer my message.',
      });
      const billing = await this.support.open(cast.client, {
        category: 'BILLING',
        subject: 'Company details on my receipt',
        description: 'Can my receipts show my company name and VAT number instead of my own name?',
      });
      await this.support.assign(cast.admin, billing.ticket.id);
      await this.support.postAsAdmin(
        cast.admin,
        billing.ticket.id,
        'Receipts come from Stripe with the details given at checkout. Enter the company name and VAT number there next time; we cannot change past receipts.',
      );
      this.logger.log(
        `Seeded ${PAST_REVIEWS.length} reviewed past sessions, a session to review, a no-show report and a billing question`,
      );
      return { kind: 'seeded', reviews: PAST_REVIEWS.length, toReview, reportedNoShowTicket: report.ticket.id };
    } catch (e) {
      const reason = e instanceof Error ? e.message : String(e);
      this.logger.warn(`Demo review and support history not seeded: ${reason}`);
      return { kind: 'failed', reason };
    }
  }

  /**
   * At every start: a session of the demo client that started about twenty minutes ago and that
   * the lawyer never joined, unless one is already waiting to be reported — so "Report a problem
   * → the lawyer did not show up" can be tried at once (reports open at the start and close 48
   * hours after the end).
   */
  async ensureNoShowCase(
    cast: Pick<DemoCast, 'client'> & { lawyer: DemoCaseLawyer; lawyerName: string },
  ): Promise<DemoNoShowCase> {
    if (!this.sandboxPayments) return { kind: 'skipped', reason: 'demo sessions are paid on the local Stripe sandbox only' };
    try {
      const now = this.clock.nowMs();
      const [{ items: sessions }, { items: tickets }] = await Promise.all([
        this.consultations.listOwn(cast.client, { status: ['SCHEDULED'], page: 1, pageSize: 100 }),
        this.support.listMine(cast.client, { page: 1, pageSize: 100 }),
      ]);
      const reported = new Set(tickets.map((t) => t.sessionId));
      const waiting = sessions.find(
        (s) =>
          s.lawyerId === cast.lawyer.user.id &&
          s.startAt &&
          s.endAt &&
          s.startAt.getTime() <= now &&
          s.endAt.getTime() + 47 * HOUR_MS > now &&
          !reported.has(s.id),
      );
      if (waiting) return { kind: 'open', sessionId: waiting.id, startAt: waiting.startAt!, lawyerName: cast.lawyerName };
      // Twenty minutes ago on the five-minute grid; earlier when an earlier case holds that time.
      const step = 5 * MINUTE_MS;
      let start = Math.floor((now - 20 * MINUTE_MS) / step) * step;
      const sessionId = await this.paid(cast.client, cast.lawyer.offeringId);
      for (let attempt = 0; ; attempt++) {
        try {
          const session = await this.consultations.bookForDemo(cast.client, sessionId, new Date(start));
          return { kind: 'open', sessionId, startAt: session.startAt!, lawyerName: cast.lawyerName };
        } catch (e) {
          if (attempt >= 36 || !(e instanceof SlotNotAvailable)) throw e;
          start -= step;
        }
      }
    } catch (e) {
      const reason = e instanceof Error ? e.message : String(e);
      this.logger.warn(`No demo no-show case: ${reason}`);
      return { kind: 'skipped', reason };
    }
  }

  /** Reviewer clients, created and verified like the demo accounts (their passwords are not printed). */
  private async createReviewers(cast: DemoCast): Promise<AuthUser[]> {
    const users: AuthUser[] = [];
    for (const spec of REVIEWERS) {
      const email = `${asciiWords(spec.displayName).join('.')}@${cast.emailDomain}`;
      const user = await this.accounts.createByAdmin(null, {
        role: Role.CLIENT,
        email,
        displayName: spec.displayName,
        password: cast.password(email),
        timeZone: spec.timeZone,
      });
      await this.verification.markVerified(null, user.id, 'demo_seed');
      users.push({ id: user.id, email: user.email, role: Role.CLIENT, via: 'jwt' });
    }
    return users;
  }

  /** Paid through the sandbox checkout, then booked at `startAt` (in the past) by the client. */
  private async pastSession(client: AuthUser, lawyer: DemoCaseLawyer, startAt: Date): Promise<string> {
    const sessionId = await this.paid(client, lawyer.offeringId);
    await this.consultations.bookForDemo(client, sessionId, startAt);
    return sessionId;
  }

  /** "Book & pay", then "Pay" on the sandbox checkout page: the session id, PAID. */
  private async paid(client: AuthUser, offeringId: string): Promise<string> {
    const { sessionId, checkoutUrl } = await this.checkout.createSession(client, offeringId);
    await this.sandboxPayments!.payCheckout(checkoutUrl);
    return sessionId;
  }
}

/** "Lucía Fernández" → ['lucia', 'fernandez']: the words of a name in lower-case ASCII (for demo addresses). */
export function asciiWords(displayName: string): string[] {
  return displayName
    .toLowerCase()
    .normalize('NFD')
    .replace(/[^a-z ]/g, '')
    .split(' ')
    .filter(Boolean);
}
