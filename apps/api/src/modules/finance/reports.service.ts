import { Injectable } from '@nestjs/common';
import type { AuthUser } from '../../common/auth/auth-user';
import { Clock } from '../../common/time/clock';
import {
  lawyerEarningsStatement,
  partnerReportStatements,
  toLawyerEarnings,
  toPartnerReport,
  USER_ZONE_SQL,
  type FunnelRow,
  type LawyerEarnings,
  type PartnerReport,
  type PartyPeriodRow,
  type ReferralPeriodRow,
  type ReportInput,
} from './finance.queries';
import { reportZone, resolveReportRange, type ReportRangeQuery } from './report-range';
import { ReportsDb } from './reports-db';

/**
 * Partner reports and lawyer earnings: read-only, from the ledger's daily rollups and the
 * partners' referral funnel (finance.queries.ts), on the reports database. Each caller sees only
 * their own figures (the party is always the caller), in their own time zone.
 */
@Injectable()
export class ReportsService {
  constructor(
    private readonly db: ReportsDb,
    private readonly clock: Clock,
  ) {}

  async partnerReport(actor: AuthUser, query: ReportRangeQuery): Promise<PartnerReport> {
    const input = await this.input(actor, query);
    try {
      return await this.runPartnerReport(input);
    } catch (e) {
      // A zone the runtime knows and this PostgreSQL does not (tz data of different ages): read it as UTC.
      if (!isUnknownZone(e) || input.zone === 'UTC') throw e;
      return this.runPartnerReport({ ...input, zone: 'UTC' });
    }
  }

  private async runPartnerReport(input: ReportInput): Promise<PartnerReport> {
    const [ledger, referrals, funnel] = partnerReportStatements(input);
    const [ledgerRows, referralRows, funnelRows] = await Promise.all([
      this.db.query<PartyPeriodRow>(ledger),
      this.db.query<ReferralPeriodRow>(referrals),
      this.db.query<FunnelRow>(funnel),
    ]);
    return toPartnerReport(input, ledgerRows, referralRows, funnelRows);
  }

  async lawyerEarnings(actor: AuthUser, query: ReportRangeQuery): Promise<LawyerEarnings> {
    const input = await this.input(actor, query);
    return toLawyerEarnings(input, await this.db.query<PartyPeriodRow>(lawyerEarningsStatement(input)));
  }

  private async input(actor: AuthUser, query: ReportRangeQuery): Promise<ReportInput> {
    const [user] = await this.db.query<{ timeZone: string }>({ text: USER_ZONE_SQL, values: [actor.id] });
    const zone = reportZone(user?.timeZone);
    return { partyId: actor.id, zone, ...resolveReportRange(query, zone, this.clock.now()) };
  }
}

/** PostgreSQL's "time zone … not recognized" (invalid_parameter_value), from pg or through TypeORM. */
function isUnknownZone(e: unknown): boolean {
  const err = e as { code?: string; message?: string; driverError?: { code?: string; message?: string } };
  const code = err.driverError?.code ?? err.code;
  const message = err.driverError?.message ?? err.message ?? '';
  return code === '22023' && /time zone/i.test(message);
}
