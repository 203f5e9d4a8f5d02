import { Injectable, Logger, Optional } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Role } from '@lm/domain';
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { Clock } from '../../common/time/clock';
import { AppConfig } from '../../config/app-config';
import { ConsultationsService } from '../consultations';
import { AccountsService, EmailVerificationService, passwordProblem } from '../identity';
import type { LawyerProfileFields } from '../lawyers';
import { LawyersService } from '../lawyers';
import type { AvailabilitySettings, OfferingFields } from '../marketplace';
import { AvailabilityService, OfferingsService } from '../marketplace';
import { PartnersService } from '../partners';
import { SlotNotAvailable } from '../marketplace';
import { CheckoutService } from '../payments';
import { SandboxTestPayments } from '../stripe-sandbox';
import type { AuthUser } from '../../common/auth/auth-user';
import { asciiWords, DemoCases, type DemoCaseLawyer, type DemoHistory, type DemoNoShowCase } from './demo-cases.service';
import { DemoContractsSeeder, type DemoContracts } from './demo-contracts.service';
import { DemoFinance, type DemoFinanceHistory } from './demo-finance.service';
import { DemoIntegrationsSeeder, type DemoIntegrations } from './demo-integrations.service';
import { DemoMessagingSeeder, type DemoMessaging } from './demo-messaging.service';
import { demoLicencePdf } from './demo-licence-pdf';

/** Reserved domain (RFC 2606): demo addresses can never reach a real inbox. */
export const DEMO_EMAIL_DOMAIN = 'demo.lexmarket.example';

/**
 * Account zones: the demo lawyer's is the zone of their weekly hours (America/New_York), so the
 * dashboard and the availability agree; the demo client is in Madrid, so the booking flow shows
 * the same instant in two zones, each labelled.
 */
const DEMO_ACCOUNTS: readonly { role: Role; email: string; displayName: string; timeZone: string }[] = [
  { role: Role.ADMIN, email: `admin@${DEMO_EMAIL_DOMAIN}`, displayName: 'Demo Admin', timeZone: 'UTC' },
  { role: Role.CLIENT, email: `client@${DEMO_EMAIL_DOMAIN}`, displayName: 'Demo Client', timeZone: 'Europe/Madrid' },
  { role: Role.LAWYER, email: `lawyer@${DEMO_EMAIL_DOMAIN}`, displayName: 'Demo Lawyer', timeZone: 'America/New_York' },
  { role: Role.PARTNER, email: `partner@${DEMO_EMAIL_DOMAIN}`, displayName: 'Demo Partner', timeZone: 'Europe/Madrid' },
];

/**
 * Directory lawyers: verified, in different time zones and currencies, so a new user can search,
 * pay and book right after the first start. Their passwords are random and never printed (they
 * are there to be found, not to sign in; a password reset gets into one if needed).
 */
export const DEMO_DIRECTORY_DOMAIN = `directory.${DEMO_EMAIL_DOMAIN}`;

interface DemoLawyerSpec {
  displayName: string;
  profile: LawyerProfileFields;
  availability: AvailabilitySettings;
  offerings: Omit<OfferingFields, 'active'>[];
}

const weekdays = (days: number[], windows: [string, string][]) =>
  days.flatMap((weekday) => windows.map(([start, end]) => ({ weekday: weekday as 1 | 2 | 3 | 4 | 5 | 6 | 7, start, end })));
const MON_FRI = [1, 2, 3, 4, 5];

/** The demo lawyer of DEMO_ACCOUNTS: New York, employment and consumer law. */
const DEMO_LAWYER_MARKET: Pick<DemoLawyerSpec, 'availability' | 'offerings'> = {
  availability: {
    timeZone: 'America/New_York',
    weekly: weekdays(MON_FRI, [['09:00', '17:00']]),
    bufferBeforeMinutes: 0,
    bufferAfterMinutes: 15,
    minimumNoticeMinutes: 240,
    maxSessionsPerDay: 6,
  },
  offerings: [
    {
      title: 'Employment first consultation',
      description: 'Thirty minutes on your situation at work: contract, pay, dismissal or discrimination, and what to do next.',
      durationMinutes: 30,
      priceMinor: 5_000,
      currency: 'USD',
    },
    {
      title: 'Severance agreement review',
      description: 'A line-by-line review of a severance or settlement offer before you sign, with a written summary.',
      durationMinutes: 60,
      priceMinor: 12_000,
      currency: 'USD',
    },
  ],
};

const DEMO_DIRECTORY: readonly DemoLawyerSpec[] = [
  {
    displayName: 'Ana López Ortega',
    profile: {
      barNumber: 'ICAM-84213',
      barJurisdiction: 'Madrid, Spain',
      jurisdictions: ['ES', 'EU'],
      practiceAreas: ['family', 'immigration'],
      languages: ['es', 'en'],
      bio: 'Family and immigration lawyer in Madrid with fifteen years of practice: separation and divorce, custody, residency permits, Spanish nationality and EU family reunification. Clear answers in Spanish or English.',
    },
    availability: {
      timeZone: 'Europe/Madrid',
      weekly: weekdays(MON_FRI, [
        ['09:00', '14:00'],
        ['16:00', '19:00'],
      ]),
      bufferBeforeMinutes: 10,
      bufferAfterMinutes: 10,
      minimumNoticeMinutes: 720,
      maxSessionsPerDay: 6,
    },
    offerings: [
      {
        title: 'Initial family law consultation',
        description: 'Your options in a separation, divorce or custody question, and the likely next steps.',
        durationMinutes: 45,
        priceMinor: 6_000,
        currency: 'EUR',
      },
      {
        title: 'Residency permit review',
        description: 'Review of your documents for a Spanish residency or nationality application.',
        durationMinutes: 60,
        priceMinor: 9_500,
        currency: 'EUR',
      },
    ],
  },
  {
    displayName: 'Jonas Richter',
    profile: {
      barNumber: 'RAK-B-55120',
      barJurisdiction: 'Rechtsanwaltskammer Berlin',
      jurisdictions: ['DE', 'EU'],
      practiceAreas: ['employment', 'corporate'],
      languages: ['de', 'en'],
      bio: 'Berlin employment and startup lawyer. Employment contracts, dismissals and severance for employees; founding, shareholder agreements and ESOPs for young companies.',
    },
    availability: {
      timeZone: 'Europe/Berlin',
      weekly: weekdays(
        [1, 2, 3, 4],
        [
          ['08:30', '12:30'],
          ['13:30', '17:00'],
        ],
      ),
      bufferBeforeMinutes: 0,
      bufferAfterMinutes: 15,
      minimumNoticeMinutes: 1440,
      maxSessionsPerDay: null,
    },
    offerings: [
      {
        title: 'Employment contract check',
        description: 'A review of your employment contract or termination letter.',
        durationMinutes: 30,
        priceMinor: 4_500,
        currency: 'EUR',
      },
      {
        title: 'Startup legal check-up',
        description: 'Company form, founders’ agreement, first hires and IP: what to get right now.',
        durationMinutes: 90,
        priceMinor: 18_000,
        currency: 'EUR',
      },
    ],
  },
  {
    displayName: 'Emily Carter',
    profile: {
      barNumber: 'NY-5523190',
      barJurisdiction: 'US-NY',
      jurisdictions: ['US-NY', 'US-NJ'],
      practiceAreas: ['real-estate', 'wills-and-estates'],
      languages: ['en'],
      bio: 'Real estate and estate planning attorney in Brooklyn. Leases, home purchases and closings; wills, trusts and probate for families in New York and New Jersey.',
    },
    availability: {
      timeZone: 'America/New_York',
      weekly: [...weekdays(MON_FRI, [['10:00', '18:00']]), ...weekdays([6], [['10:00', '13:00']])],
      bufferBeforeMinutes: 15,
      bufferAfterMinutes: 15,
      minimumNoticeMinutes: 180,
      maxSessionsPerDay: 5,
    },
    offerings: [
      {
        title: 'Lease review',
        description: 'A residential or commercial lease read with you before you sign.',
        durationMinutes: 30,
        priceMinor: 7_500,
        currency: 'USD',
      },
      {
        title: 'Will and estate planning call',
        description: 'What your family needs: will, trust, powers of attorney, and the cost of each.',
        durationMinutes: 60,
        priceMinor: 15_000,
        currency: 'USD',
      },
      {
        title: 'Closing preparation session',
        description: 'Walk through your purchase contract, title report and closing documents.',
        durationMinutes: 120,
        priceMinor: 30_000,
        currency: 'USD',
      },
    ],
  },
  {
    displayName: 'Haruto Sato',
    profile: {
      barNumber: 'DAI-NI-48811',
      barJurisdiction: 'Daini Tokyo Bar Association',
      jurisdictions: ['JP'],
      practiceAreas: ['intellectual-property', 'corporate'],
      languages: ['ja', 'en'],
      bio: 'Tokyo bengoshi advising on trademarks, patent licensing and market entry into Japan. Bilingual consultations for foreign companies and Japanese startups.',
    },
    availability: {
      timeZone: 'Asia/Tokyo',
      weekly: weekdays(MON_FRI, [
        ['09:00', '12:00'],
        ['13:00', '17:00'],
      ]),
      bufferBeforeMinutes: 0,
      bufferAfterMinutes: 10,
      minimumNoticeMinutes: 1440,
      maxSessionsPerDay: 4,
    },
    offerings: [
      {
        title: '知的財産の初回相談 (IP consultation, Japanese)',
        description: 'Trademarks, patents and licensing under Japanese law.',
        durationMinutes: 60,
        priceMinor: 15_000,
        currency: 'JPY',
      },
      {
        title: 'Japan market entry session (English)',
        description: 'Entity choice, contracts with Japanese partners and protecting your brand in Japan.',
        durationMinutes: 60,
        priceMinor: 12_000,
        currency: 'USD',
      },
    ],
  },
];

export interface DemoAccount {
  role: Role;
  email: string;
}

/**
 * The demo client's sessions with the demo lawyer, made through the real flows ("Book & pay",
 * "Pay" on the sandbox checkout page, booking, the lawyer's proposal): their ids, or why there
 * are none.
 */
export type DemoSessions =
  | {
      kind: 'seeded';
      /** PAID, no time booked yet: "needs action" for the client. */
      toBook: string;
      /** SCHEDULED a few days ahead. */
      scheduled: string;
      /** SCHEDULED, with the lawyer's open proposal of another time for the client to answer. */
      proposal: string;
    }
  | { kind: 'skipped' | 'failed'; reason: string };

/** The demo client's session with the demo lawyer whose video call is open now (see `ensureLiveCall`). */
export type DemoLiveCall = { kind: 'open'; sessionId: string; startAt: Date; endAt: Date } | { kind: 'skipped'; reason: string };

export type DemoSeedOutcome =
  /** DEMO_SEED=false, or DATABASE_URL is set without DEMO_SEED=true. */
  | { kind: 'disabled' }
  /** Created now; the only time the passwords exist anywhere outside their argon2 hashes. */
  | {
      kind: 'created';
      accounts: (DemoAccount & { password: string })[];
      sessions: DemoSessions;
      contracts: DemoContracts;
      history: DemoHistory;
      finance: DemoFinanceHistory;
      messaging: DemoMessaging;
      integrations: DemoIntegrations;
      liveCall?: DemoLiveCall;
      noShowCase?: DemoNoShowCase;
    }
  /** An earlier start created them. */
  | { kind: 'existing'; accounts: DemoAccount[]; liveCall?: DemoLiveCall; noShowCase?: DemoNoShowCase }
  /** The database has real (non-demo) users: nothing is added to it. */
  | { kind: 'skipped' };

/** Session-level advisory lock key: two processes starting together seed once. */
const SEED_LOCK_KEY = 7_246_120_531;

/**
 * Seeds one account per role for trying the app, when the database has no users yet.
 *
 * Passwords are random and returned once, for main.ts to print; only their argon2id hashes are
 * kept (no plaintext file). A later start reports the accounts without passwords; a lost
 * admin password is replaced with `npm run admin:create`, the others with a password reset
 * (in embedded mode the reset email is readable in the admin's outbox view).
 */
@Injectable()
export class DemoSeeder {
  private readonly logger = new Logger(DemoSeeder.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly accounts: AccountsService,
    private readonly verification: EmailVerificationService,
    private readonly lawyers: LawyersService,
    private readonly partners: PartnersService,
    private readonly offerings: OfferingsService,
    private readonly availability: AvailabilityService,
    private readonly checkout: CheckoutService,
    private readonly consultations: ConsultationsService,
    private readonly clock: Clock,
    private readonly cases: DemoCases,
    private readonly finance: DemoFinance,
    private readonly demoContracts: DemoContractsSeeder,
    private readonly demoMessaging: DemoMessagingSeeder,
    private readonly demoIntegrations: DemoIntegrationsSeeder,
    /** Present only with the local Stripe sandbox (no STRIPE_SECRET_KEY): see DemoModule. */
    @Optional() private readonly sandboxPayments?: SandboxTestPayments,
  ) {}

  async run(): Promise<DemoSeedOutcome> {
    if (!this.config.demoSeedEnabled) return { kind: 'disabled' };
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.query('SELECT pg_advisory_lock($1)', [SEED_LOCK_KEY]);
      try {
        const outcome = await this.seedOnce();
        if (outcome.kind !== 'created' && outcome.kind !== 'existing') return outcome;
        const liveCall = await this.ensureLiveCall();
        return { ...outcome, liveCall, noShowCase: await this.ensureNoShowCase() };
      } finally {
        await runner.query('SELECT pg_advisory_unlock($1)', [SEED_LOCK_KEY]);
      }
    } finally {
      await runner.release();
    }
  }

  private async seedOnce(): Promise<DemoSeedOutcome> {
    const { total } = await this.accounts.search({ page: 1, pageSize: 1 });
    if (total > 0) {
      const { items } = await this.accounts.search({ q: `@${DEMO_EMAIL_DOMAIN}`, page: 1, pageSize: DEMO_ACCOUNTS.length });
      const demoEmails = new Set(DEMO_ACCOUNTS.map((a) => a.email));
      const existing = items.filter((u) => demoEmails.has(u.email)).map((u) => ({ role: u.role, email: u.email }));
      return existing.length > 0 ? { kind: 'existing', accounts: sortByRole(existing) } : { kind: 'skipped' };
    }
    const created: (DemoAccount & { password: string })[] = [];
    const ids = new Map<Role, string>();
    for (const spec of DEMO_ACCOUNTS) {
      const password = demoPassword(spec.email);
      const user = await this.accounts.createByAdmin(null, { ...spec, password });
      ids.set(spec.role, user.id);
      // Demo addresses are reserved and cannot receive mail: vouch for them instead.
      await this.verification.markVerified(null, user.id, 'demo_seed');
      created.push({ role: spec.role, email: user.email, password });
    }
    const offerings = await this.completeProfiles(ids);
    const directory = ids.has(Role.ADMIN) ? await this.seedDirectory(ids.get(Role.ADMIN) as string) : [];
    await this.seedPendingLawyer();
    this.logger.log(`Seeded ${created.length} demo accounts (@${DEMO_EMAIL_DOMAIN})`);
    const sessions = await this.seedSessions(ids, offerings);
    const contracts = await this.seedContracts(ids, sessions);
    const history = await this.seedHistory(ids, offerings, directory);
    const finance = await this.seedFinance(ids, offerings, directory);
    const messaging = await this.seedMessaging(ids, created, sessions);
    const partner = created.find((a) => a.role === Role.PARTNER);
    const integrations: DemoIntegrations = partner
      ? await this.demoIntegrations.seed(partner)
      : { kind: 'skipped', reason: 'there is no demo partner' };
    return { kind: 'created', accounts: created, sessions, contracts, history, finance, messaging, integrations };
  }

  /**
   * Sessions that show the booking experience at once: the demo client pays (through "Book &
   * pay" and the sandbox checkout's "Pay", so the payment, ledger posting, session events,
   * audit entries and both sides' notifications come from the production paths) for three
   * sessions with the demo lawyer, books two of them a few days ahead, and the lawyer proposes
   * another time for the second one. A failure here leaves the accounts usable (logged).
   * There is no past session: the clock is the real one, so a session cannot honestly have
   * happened yet.
   */
  private async seedSessions(
    ids: Map<Role, string>,
    offerings: { id: string; durationMinutes: number }[],
  ): Promise<DemoSessions> {
    if (!this.sandboxPayments) {
      const reason = 'a real STRIPE_SECRET_KEY is configured (demo sessions are paid on the local Stripe sandbox only)';
      this.logger.log(`No demo sessions: ${reason}`);
      return { kind: 'skipped', reason };
    }
    const [consultation, review] = [...offerings].sort((a, b) => a.durationMinutes - b.durationMinutes);
    if (!ids.has(Role.CLIENT) || !ids.has(Role.LAWYER) || !consultation || !review) {
      return { kind: 'skipped', reason: 'the demo client, lawyer or offerings are missing' };
    }
    const client = demoUser(Role.CLIENT, ids);
    const lawyer = demoUser(Role.LAWYER, ids);
    try {
      const toBook = await this.paidSession(client, review.id);
      const scheduled = await this.paidSession(client, consultation.id);
      await this.consultations.schedule(client, {
        sessionId: scheduled,
        startAt: await this.slotFrom(client, scheduled, 3 * DAY_MS),
      });
      const proposal = await this.paidSession(client, consultation.id);
      const booked = await this.slotFrom(client, proposal, 5 * DAY_MS);
      await this.consultations.schedule(client, { sessionId: proposal, startAt: booked });
      // The lawyer asks to move it one day later (the first free slot from then), pending the client's answer.
      const proposed = await this.slotFrom(lawyer, proposal, booked.getTime() + DAY_MS - this.clock.nowMs());
      await this.consultations.proposeReschedule(lawyer, proposal, proposed);
      this.logger.log('Seeded 3 demo sessions of the demo client with the demo lawyer (to book, scheduled, reschedule proposed)');
      return { kind: 'seeded', toBook, scheduled, proposal };
    } catch (e) {
      const reason = e instanceof Error ? e.message : String(e);
      this.logger.warn(`Demo sessions not seeded: ${reason}`);
      return { kind: 'failed', reason };
    }
  }

  /**
   * The demo client's contracts with the demo lawyer (DemoContractsSeeder), on the demo sessions:
   * an executed engagement letter for the booked one (its sealed PDF verifies on /verify), an NDA
   * awaiting the client's signature for the one still to book, a fee agreement in draft.
   */
  private seedContracts(ids: Map<Role, string>, sessions: DemoSessions): Promise<DemoContracts> {
    if (sessions.kind !== 'seeded') return Promise.resolve({ kind: 'skipped', reason: 'there are no demo sessions' });
    const names = new Map(DEMO_ACCOUNTS.map((a) => [a.role, a.displayName]));
    return this.demoContracts.seed({
      client: demoUser(Role.CLIENT, ids),
      clientName: names.get(Role.CLIENT)!,
      lawyer: demoUser(Role.LAWYER, ids),
      lawyerName: names.get(Role.LAWYER)!,
      scheduledSession: sessions.scheduled,
      paidSession: sessions.toBook,
    });
  }

  /**
   * A session whose video call can be tried right after start-up: at every start, unless the
   * demo client already has one open with the demo lawyer, the client pays (sandbox checkout, as
   * above) for the shortest offering and the session is booked to start within five minutes —
   * so its call is open now (joining opens 10 minutes before the start). This booking is the one
   * thing the seeder does that a client could not: it skips the first-booking notice
   * (BOOKING_MIN_NOTICE_HOURS) and the lawyer's hours, through SessionLifecycle, so that the
   * call can be tried at once, at any time of day.
   */
  private async ensureLiveCall(): Promise<DemoLiveCall> {
    if (!this.sandboxPayments) return { kind: 'skipped', reason: 'demo sessions are paid on the local Stripe sandbox only' };
    try {
      const { items } = await this.accounts.search({ q: `@${DEMO_EMAIL_DOMAIN}`, page: 1, pageSize: DEMO_ACCOUNTS.length });
      const ids = new Map(
        items.filter((u) => DEMO_ACCOUNTS.some((a) => a.email === u.email)).map((u) => [u.role, u.id] as const),
      );
      if (!ids.has(Role.CLIENT) || !ids.has(Role.LAWYER))
        return { kind: 'skipped', reason: 'the demo client or lawyer is missing' };
      const client = demoUser(Role.CLIENT, ids);
      const now = this.clock.now();
      const { items: upcoming } = await this.consultations.listOwn(client, { upcoming: true, page: 1, pageSize: 20 });
      const open = upcoming.find(
        (s) =>
          s.lawyerId === ids.get(Role.LAWYER) &&
          s.startAt &&
          s.endAt &&
          s.startAt.getTime() - 10 * 60_000 <= now.getTime() &&
          s.endAt.getTime() - now.getTime() > 20 * 60_000,
      );
      if (open) return { kind: 'open', sessionId: open.id, startAt: open.startAt!, endAt: open.endAt! };
      const offerings = await this.offerings.listOwn(demoUser(Role.LAWYER, ids));
      const shortest = [...offerings].filter((o) => o.active).sort((a, b) => a.durationMinutes - b.durationMinutes)[0];
      if (!shortest) return { kind: 'skipped', reason: 'the demo lawyer has no active offering' };
      const sessionId = await this.paidSession(client, shortest.id);
      // The next five-minute mark, later if an earlier demo call still holds the lawyer's time.
      const step = 5 * 60_000;
      let start = Math.ceil(now.getTime() / step) * step;
      for (let attempt = 0; ; attempt++) {
        try {
          const session = await this.consultations.bookForDemo(client, sessionId, new Date(start));
          return { kind: 'open', sessionId, startAt: session.startAt!, endAt: session.endAt! };
        } catch (e) {
          if (attempt >= 24 || !(e instanceof SlotNotAvailable)) throw e;
          start += step;
        }
      }
    } catch (e) {
      const reason = e instanceof Error ? e.message : String(e);
      this.logger.warn(`No open demo call: ${reason}`);
      return { kind: 'skipped', reason };
    }
  }

  /** "Book & pay" as the client, then "Pay" on the sandbox checkout page; the id of the session, now PAID. */
  private async paidSession(client: AuthUser, offeringId: string): Promise<string> {
    const { sessionId, checkoutUrl } = await this.checkout.createSession(client, offeringId);
    await this.sandboxPayments!.payCheckout(checkoutUrl);
    const { session } = await this.consultations.getOwn(client, sessionId);
    if (session.status !== 'PAID')
      throw new Error(`the payment of demo session ${sessionId} was not applied (status ${session.status})`);
    return sessionId;
  }

  /** The first free slot of the session (as `who` may book or propose it) starting at least `aheadMs` from now. */
  private async slotFrom(who: AuthUser, sessionId: string, aheadMs: number): Promise<Date> {
    const earliest = this.clock.nowMs() + aheadMs;
    const { slots } = await this.consultations.freeSlots(who, sessionId, {});
    const slot = slots.find((s) => s.start.getTime() >= earliest);
    if (!slot) throw new Error(`no free slot of the demo lawyer ${Math.round(aheadMs / DAY_MS)} days or more ahead`);
    return slot.start;
  }

  /**
   * A directory needs a lawyer clients can find: the demo lawyer gets a complete profile,
   * verified by the demo admin through the same service (and audit entries) as a real
   * decision; the demo partner gets its referral code.
   */
  private async completeProfiles(ids: Map<Role, string>): Promise<{ id: string; durationMinutes: number }[]> {
    const as = (role: Role): AuthUser => demoUser(role, ids);
    let offerings: { id: string; durationMinutes: number }[] = [];
    if (ids.has(Role.LAWYER) && ids.has(Role.ADMIN)) {
      await this.lawyers.updateOwn(as(Role.LAWYER), {
        barNumber: 'NY-4412087',
        barJurisdiction: 'US-NY',
        jurisdictions: ['US-NY', 'US-NJ'],
        practiceAreas: ['employment', 'consumer'],
        languages: ['en', 'es'],
        bio: 'Demo lawyer: employment and consumer law in New York and New Jersey. Fixed-price first consultations by video.',
      });
      await this.lawyers.verify(as(Role.ADMIN), ids.get(Role.LAWYER) as string);
      offerings = await this.setUpMarket(as(Role.LAWYER), DEMO_LAWYER_MARKET);
    }
    if (ids.has(Role.PARTNER)) await this.partners.getReferralLink(as(Role.PARTNER));
    return offerings;
  }

  /**
   * Directory lawyers besides the demo lawyer: created, verified by the demo admin, with offerings
   * and availability. Each with its first offering, in DEMO_DIRECTORY's order.
   */
  private async seedDirectory(adminId: string): Promise<DemoCaseLawyer[]> {
    const admin: AuthUser = { id: adminId, email: `admin@${DEMO_EMAIL_DOMAIN}`, role: Role.ADMIN, via: 'jwt' };
    const seeded: DemoCaseLawyer[] = [];
    for (const spec of DEMO_DIRECTORY) {
      const email = directoryEmail(spec.displayName);
      const user = await this.accounts.createByAdmin(null, {
        role: Role.LAWYER,
        email,
        displayName: spec.displayName,
        password: demoPassword(email),
        // The account zone is the zone the lawyer's hours are written in (one source of truth).
        timeZone: spec.availability.timeZone,
      });
      await this.verification.markVerified(null, user.id, 'demo_seed');
      const lawyer: AuthUser = { id: user.id, email: user.email, role: Role.LAWYER, via: 'jwt' };
      await this.lawyers.updateOwn(lawyer, spec.profile);
      await this.lawyers.verify(admin, user.id);
      const [first] = await this.setUpMarket(lawyer, spec);
      if (first) seeded.push({ user: lawyer, offeringId: first.id });
    }
    this.logger.log(`Seeded ${DEMO_DIRECTORY.length} directory lawyers (@${DEMO_DIRECTORY_DOMAIN})`);
    return seeded;
  }

  /**
   * The demo client's and lawyer's encrypted conversation (DemoMessagingSeeder), in the
   * conversation their paid sessions opened, with the agenda of the booked one.
   */
  private seedMessaging(
    ids: Map<Role, string>,
    created: (DemoAccount & { password: string })[],
    sessions: DemoSessions,
  ): Promise<DemoMessaging> {
    if (sessions.kind !== 'seeded')
      return Promise.resolve({ kind: 'skipped', reason: 'there are no demo sessions, so no conversation' });
    const account = (role: Role) => {
      const a = created.find((c) => c.role === role);
      const id = ids.get(role);
      return a && id ? { id, email: a.email, password: a.password } : null;
    };
    const client = account(Role.CLIENT);
    const lawyer = account(Role.LAWYER);
    if (!client || !lawyer) return Promise.resolve({ kind: 'skipped', reason: 'the demo client or lawyer is missing' });
    return this.demoMessaging.seed({ client, lawyer, scheduledSessionId: sessions.scheduled });
  }

  /** The review and support history (DemoCases.seedHistory) of the demo client, lawyer and directory. */
  private seedHistory(
    ids: Map<Role, string>,
    offerings: { id: string; durationMinutes: number }[],
    directory: DemoCaseLawyer[],
  ): Promise<DemoHistory> {
    const [consultation] = [...offerings].sort((a, b) => a.durationMinutes - b.durationMinutes);
    if (!ids.has(Role.ADMIN) || !ids.has(Role.CLIENT) || !ids.has(Role.LAWYER) || !consultation || directory.length === 0) {
      return Promise.resolve({ kind: 'skipped', reason: 'the demo admin, client, lawyer or directory is missing' });
    }
    return this.cases.seedHistory({
      admin: demoUser(Role.ADMIN, ids),
      client: demoUser(Role.CLIENT, ids),
      lawyers: [{ user: demoUser(Role.LAWYER, ids), offeringId: consultation.id }, ...directory],
      emailDomain: DEMO_DIRECTORY_DOMAIN,
      password: demoPassword,
    });
  }

  /** The demo partner's past months (DemoFinance.seedPartnerHistory): referrals, payments, a refund, payouts, statements. */
  private seedFinance(
    ids: Map<Role, string>,
    offerings: { id: string; durationMinutes: number }[],
    directory: DemoCaseLawyer[],
  ): Promise<DemoFinanceHistory> {
    const [consultation] = [...offerings].sort((a, b) => a.durationMinutes - b.durationMinutes);
    if (!ids.has(Role.ADMIN) || !ids.has(Role.PARTNER) || !ids.has(Role.LAWYER) || !consultation || directory.length === 0) {
      return Promise.resolve({ kind: 'skipped', reason: 'the demo admin, partner, lawyer or directory is missing' });
    }
    return this.finance.seedPartnerHistory({
      admin: demoUser(Role.ADMIN, ids),
      partner: demoUser(Role.PARTNER, ids),
      lawyers: [{ user: demoUser(Role.LAWYER, ids), offeringId: consultation.id }, ...directory],
      emailDomain: DEMO_DIRECTORY_DOMAIN,
      password: demoPassword,
    });
  }

  /**
   * The demo client's session with the first directory lawyer that started twenty minutes ago
   * without the lawyer (DemoCases.ensureNoShowCase), for trying a no-show report at once.
   */
  private async ensureNoShowCase(): Promise<DemoNoShowCase> {
    const spec = DEMO_DIRECTORY[0]!;
    const [clientPage, lawyerPage] = await Promise.all([
      this.accounts.search({ q: `client@${DEMO_EMAIL_DOMAIN}`, page: 1, pageSize: 1 }),
      this.accounts.search({ q: directoryEmail(spec.displayName), page: 1, pageSize: 1 }),
    ]);
    const client = clientPage.items.find((u) => u.email === `client@${DEMO_EMAIL_DOMAIN}`);
    const lawyer = lawyerPage.items.find((u) => u.email === directoryEmail(spec.displayName));
    if (!client || !lawyer) return { kind: 'skipped', reason: 'the demo client or the directory lawyer is missing' };
    const lawyerUser: AuthUser = { id: lawyer.id, email: lawyer.email, role: Role.LAWYER, via: 'jwt' };
    const offering = (await this.offerings.listOwn(lawyerUser))
      .filter((o) => o.active)
      .sort((a, b) => a.durationMinutes - b.durationMinutes)[0];
    if (!offering) return { kind: 'skipped', reason: `${spec.displayName} has no active offering` };
    return this.cases.ensureNoShowCase({
      client: { id: client.id, email: client.email, role: Role.CLIENT, via: 'jwt' },
      lawyer: { user: lawyerUser, offeringId: offering.id },
      lawyerName: spec.displayName,
    });
  }

  /**
   * A lawyer waiting in the admin's verification queue, with a complete profile and an uploaded
   * licence document (a PDF that says it is a demo), to try the review: profile, document
   * download (audited), verify with confirmation or reject with a reason.
   */
  private async seedPendingLawyer(): Promise<void> {
    const email = `tomas.novak@${DEMO_DIRECTORY_DOMAIN}`;
    const user = await this.accounts.createByAdmin(null, {
      role: Role.LAWYER,
      email,
      displayName: 'Tomáš Novák',
      password: demoPassword(email),
    });
    await this.verification.markVerified(null, user.id, 'demo_seed');
    const lawyer: AuthUser = { id: user.id, email: user.email, role: Role.LAWYER, via: 'jwt' };
    await this.lawyers.updateOwn(lawyer, {
      barNumber: 'CAK-10427',
      barJurisdiction: 'Czech Bar Association',
      jurisdictions: ['CZ', 'EU'],
      practiceAreas: ['corporate', 'intellectual-property'],
      languages: ['cs', 'en', 'de'],
      bio: 'Commercial lawyer in Prague: company formation, shareholder agreements and supply contracts for small businesses. Waiting for verification in the demo.',
    });
    const pdf = demoLicencePdf([
      'DEMO DOCUMENT - NOT A REAL LICENCE',
      'Czech Bar Association (demo)',
      'Member: Tomas Novak',
      'Bar number: CAK-10427',
      'Generated by the LexMarket demo data.',
    ]);
    await this.lawyers.updateLicence(lawyer, { bytes: pdf, declaredType: 'application/pdf' });
  }

  /** Weekly availability and offerings through the marketplace services (validated and audited like the lawyer's own edits). */
  private async setUpMarket(
    lawyer: AuthUser,
    spec: Pick<DemoLawyerSpec, 'availability' | 'offerings'>,
  ): Promise<{ id: string; durationMinutes: number }[]> {
    await this.availability.update(lawyer, spec.availability);
    const created: { id: string; durationMinutes: number }[] = [];
    for (const offering of spec.offerings) created.push(await this.offerings.create(lawyer, offering));
    return created;
  }
}

const DAY_MS = 86_400_000;

/** One of the DEMO_ACCOUNTS as the caller of a service (what its signed-in requests would be). */
/** A directory lawyer's demo address: "Ana López Ortega" → ana.lopez.ortega@directory.demo.lexmarket.example. */
function directoryEmail(displayName: string): string {
  return `${asciiWords(displayName).join('.')}@${DEMO_DIRECTORY_DOMAIN}`;
}

function demoUser(role: Role, ids: Map<Role, string>): AuthUser {
  return { id: ids.get(role) as string, email: `${role.toLowerCase()}@${DEMO_EMAIL_DOMAIN}`, role, via: 'jwt' };
}

/** 96 random bits, base64url (16 characters), re-drawn in the unlikely case the policy refuses it. */
function demoPassword(email: string): string {
  for (;;) {
    const password = randomBytes(12).toString('base64url');
    if (!passwordProblem(password, email)) return password;
  }
}

function sortByRole<T extends DemoAccount>(accounts: T[]): T[] {
  const order = DEMO_ACCOUNTS.map((a) => a.role);
  return [...accounts].sort((a, b) => order.indexOf(a.role) - order.indexOf(b.role));
}

/**
 * The start-up banner for a seed outcome (null when there is nothing to say). Written straight
 * to stdout by main.ts, deliberately not through the JSON logger: the passwords are meant for
 * the person at the console, once, not for log storage.
 */
export function demoAccountsBanner(outcome: DemoSeedOutcome, url: string): string | null {
  if (outcome.kind === 'disabled' || outcome.kind === 'skipped') return null;
  const lines =
    outcome.kind === 'created'
      ? [
          'DEMO ACCOUNTS (created now; passwords are shown only this once, note them)',
          '',
          ...table(
            outcome.accounts.map((a) => [a.role, a.email, a.password]),
            ['ROLE', 'EMAIL', 'PASSWORD'],
          ),
          '',
          `Sign in at ${url}`,
          ...sessionsLine(outcome.sessions),
          ...contractsLines(outcome.contracts, url),
          ...historyLines(outcome.history, url),
          ...financeLines(outcome.finance, url),
          ...messagingLines(outcome.messaging, url),
          ...integrationsLines(outcome.integrations, url),
          ...liveCallLines(outcome.liveCall, url),
          ...noShowLines(outcome.noShowCase, url),
        ]
      : [
          'Demo accounts already exist (their passwords were printed at the first start):',
          '',
          ...table(
            outcome.accounts.map((a) => [a.role, a.email]),
            ['ROLE', 'EMAIL'],
          ),
          '',
          `Sign in at ${url}`,
          'Lost a password? npm run admin:create -- --email ... creates a new admin; others: "Forgot',
          'password" on the sign-in page, then read the email in the admin outbox view.',
          ...liveCallLines(outcome.liveCall, url),
          ...noShowLines(outcome.noShowCase, url),
        ];
  const width = Math.max(...lines.map((l) => l.length));
  const border = `+${'-'.repeat(width + 2)}+`;
  return ['', border, ...lines.map((l) => `| ${l.padEnd(width)} |`), border, ''].join('\n') + '\n';
}

function liveCallLines(call: DemoLiveCall | undefined, url: string): string[] {
  if (!call) return [];
  if (call.kind === 'skipped') return [`No open demo call: ${call.reason}.`];
  const hhmm = (d: Date) => d.toISOString().slice(11, 16);
  return [
    '',
    `Video call open now (${hhmm(call.startAt)}-${hhmm(call.endAt)} UTC): sign in as the client in one browser and`,
    `as the lawyer in another (or a private window), open ${url}/sessions/${call.sessionId}, Join.`,
  ];
}

function noShowLines(noShow: DemoNoShowCase | undefined, url: string): string[] {
  if (!noShow) return [];
  if (noShow.kind === 'skipped') return [`No demo no-show case: ${noShow.reason}.`];
  return [
    '',
    `${noShow.lawyerName} never joined the client's session of ${noShow.startAt.toISOString().slice(11, 16)} UTC: as the client,`,
    `open ${url}/sessions/${noShow.sessionId} and Report a problem; the admin decides under Support.`,
  ];
}

function historyLines(history: DemoHistory, url: string): string[] {
  if (history.kind !== 'seeded') return [`No demo review and support history: ${history.reason}.`];
  return [
    `Past sessions: ${history.reviews} reviews (one reported, for the admin's moderation queue), a no-show`,
    `report for the admin's support queue, and yesterday's session to review: ${url}/sessions/${history.toReview}`,
  ];
}

function financeLines(finance: DemoFinanceHistory, url: string): string[] {
  if (finance.kind !== 'seeded') return [`No demo partner history: ${finance.reason}.`];
  return [
    `The partner's last three months: ${finance.referred} referred clients, ${finance.payments} paid sessions, a refund,`,
    `${finance.payouts} payouts and ${finance.statements} monthly statements: ${url}/partner/reports (partner),`,
    `${url}/lawyer/earnings (lawyer), ${url}/admin/payouts (admin).`,
  ];
}

function messagingLines(messaging: DemoMessaging, url: string): string[] {
  if (messaging.kind !== 'seeded') return [`No demo messages: ${messaging.reason}.`];
  return [
    '',
    `Encrypted messages: the client and the lawyer have ${messaging.messages} end-to-end encrypted messages (one with an attachment)`,
    `and a session agenda. Their keys are locked: at ${url}/messages choose "Unlock on this device" and enter`,
    `the recovery code (shown only this once): client ${messaging.clientRecoveryCode}, lawyer ${messaging.lawyerRecoveryCode}`,
  ];
}

function integrationsLines(integrations: DemoIntegrations, url: string): string[] {
  if (integrations.kind !== 'seeded') return [`No demo API key: ${integrations.reason}.`];
  return [
    '',
    `The partner's API key for a reporting tool (scope reports:read only; shown only this once; Developers page):`,
    `  curl -H "Authorization: Bearer ${integrations.partnerKey}" ${url}/api/partner/reports`,
    'works; the same key on PATCH /api/auth/me is 403 INSUFFICIENT_SCOPE. Webhooks: Developers -> Webhooks.',
  ];
}

function contractsLines(contracts: DemoContracts, url: string): string[] {
  if (contracts.kind !== 'seeded') return [`No demo contracts: ${contracts.reason}.`];
  return [
    `Contracts: an executed engagement letter (download it, check it at ${url}/verify), an NDA for the`,
    `client to sign and a fee agreement in draft: ${url}/contracts`,
  ];
}

function sessionsLine(sessions: DemoSessions): string[] {
  if (sessions.kind === 'seeded') {
    return [
      'Demo sessions of the client with the lawyer (all paid): 1 to book, 1 booked,',
      '1 with a new time proposed by the lawyer (the client accepts or declines it).',
    ];
  }
  return [`No demo sessions: ${sessions.reason}.`];
}

function table(rows: string[][], header: string[]): string[] {
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((r) => (r[i] ?? '').length)));
  return all.map((r) =>
    r
      .map((cell, i) => cell.padEnd(widths[i] ?? 0))
      .join('   ')
      .trimEnd(),
  );
}
