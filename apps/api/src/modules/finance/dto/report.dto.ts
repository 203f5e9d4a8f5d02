import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, ValidateBy } from 'class-validator';
import { DateTime } from 'luxon';
import { GRANULARITIES, type Granularity } from '../finance.queries';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A calendar date 'YYYY-MM-DD' (a real day, years 1900–9998). */
function IsCalendarDate(): PropertyDecorator {
  return ValidateBy({
    name: 'isCalendarDate',
    validator: {
      validate: (value: unknown) => {
        if (typeof value !== 'string' || !DATE.test(value)) return false;
        const day = DateTime.fromISO(value, { zone: 'UTC' });
        return day.isValid && day.year >= 1900 && day.year <= 9998;
      },
      defaultMessage: () => '$property must be a calendar date YYYY-MM-DD',
    },
  });
}

/** `?from=&to=&granularity=` of a report; see ReportsService for the defaults. */
export class ReportQueryDto {
  @ApiPropertyOptional({
    format: 'date',
    example: '2026-01-01',
    description: 'First day (in your time zone), inclusive. Default: the first day of the month 11 months before `to`.',
  })
  @IsOptional()
  @IsCalendarDate()
  from?: string;

  @ApiPropertyOptional({
    format: 'date',
    example: '2026-12-31',
    description: 'Last day (in your time zone), inclusive. Default: today.',
  })
  @IsOptional()
  @IsCalendarDate()
  to?: string;

  @ApiPropertyOptional({
    enum: GRANULARITIES,
    default: 'month',
    description: 'Size of the periods of the series; weeks start on Monday.',
  })
  @IsOptional()
  @IsIn(GRANULARITIES)
  granularity?: Granularity;
}

class ReferralCountsResponse {
  @ApiProperty({ type: 'integer', description: 'Referred clients who signed up in the period.' })
  clientsSignedUp: number;
  @ApiProperty({ type: 'integer', description: 'Referred lawyers who signed up in the period.' })
  lawyersSignedUp: number;
  @ApiProperty({ type: 'integer', description: 'Referred clients whose first paid session fell in the period.' })
  clientsConverted: number;
  @ApiProperty({ type: 'integer', description: 'Referred lawyers whose first paid session fell in the period.' })
  lawyersConverted: number;
}

class ReferralPeriodResponse extends ReferralCountsResponse {
  @ApiProperty({ format: 'date', example: '2026-01-01' })
  periodStart: string;
  @ApiProperty({ format: 'date', example: '2026-01-31' })
  periodEnd: string;
}

class ReferralsResponse {
  @ApiProperty({ type: ReferralCountsResponse })
  totals: ReferralCountsResponse;
  @ApiProperty({ type: [ReferralPeriodResponse] })
  series: ReferralPeriodResponse[];
}

class FunnelStepResponse {
  @ApiProperty({ type: 'integer' })
  signedUp: number;
  @ApiProperty({ type: 'integer' })
  converted: number;
}

class FunnelByRoleResponse {
  @ApiProperty({ type: FunnelStepResponse })
  CLIENT: FunnelStepResponse;
  @ApiProperty({ type: FunnelStepResponse })
  LAWYER: FunnelStepResponse;
}

class FunnelResponse {
  @ApiProperty({ type: 'integer', description: 'Referred clients and lawyers who signed up in the range (the cohort).' })
  signedUp: number;
  @ApiProperty({ type: 'integer', description: 'Of the cohort, those with a paid session by the end of `to`.' })
  converted: number;
  @ApiProperty({ example: 0.25, minimum: 0, maximum: 1, description: 'converted / signedUp (0 without sign-ups), 4 decimals.' })
  conversionRate: number;
  @ApiProperty({ type: FunnelByRoleResponse })
  byRole: FunnelByRoleResponse;
}

class PartnerMoneyFiguresResponse {
  @ApiProperty({ type: 'integer', description: 'Paid sessions that earned you a commission.' })
  paidSessions: number;
  @ApiProperty({ type: 'integer', description: 'What clients paid for those sessions (minor units).' })
  grossVolumeMinor: number;
  @ApiProperty({ type: 'integer', description: 'Commission earned (minor units).' })
  commissionAccruedMinor: number;
  @ApiProperty({ type: 'integer', description: 'Commission taken back by refunds (minor units).' })
  commissionReversedMinor: number;
  @ApiProperty({ type: 'integer', description: 'Paid out to you, net of corrected payouts (minor units).' })
  paidOutMinor: number;
}

class PartnerMoneyPeriodResponse extends PartnerMoneyFiguresResponse {
  @ApiProperty({ format: 'date', example: '2026-01-01' })
  periodStart: string;
  @ApiProperty({ format: 'date', example: '2026-01-31' })
  periodEnd: string;
  @ApiProperty({ type: 'integer', description: 'Commission owed to you at the end of the period (minor units).' })
  pendingMinor: number;
}

class PartnerMoneyTotalsResponse extends PartnerMoneyFiguresResponse {
  @ApiProperty({ type: 'integer', description: 'Owed to you at the start of `from`.' })
  openingPendingMinor: number;
  @ApiProperty({ type: 'integer', description: 'Owed to you at the end of `to`.' })
  pendingMinor: number;
}

class PartnerCurrencyResponse {
  @ApiProperty({ example: 'EUR' })
  currency: string;
  @ApiProperty({ type: PartnerMoneyTotalsResponse })
  totals: PartnerMoneyTotalsResponse;
  @ApiProperty({ type: [PartnerMoneyPeriodResponse] })
  series: PartnerMoneyPeriodResponse[];
}

abstract class ReportEnvelope {
  @ApiProperty({ example: 'Europe/Madrid', description: 'The time zone the days and periods are in (yours).' })
  zone: string;
  @ApiProperty({ format: 'date', example: '2026-01-01' })
  from: string;
  @ApiProperty({ format: 'date', example: '2026-12-31' })
  to: string;
  @ApiProperty({ enum: GRANULARITIES })
  granularity: Granularity;
}

export class PartnerReportResponse extends ReportEnvelope {
  @ApiProperty({ type: ReferralsResponse })
  referrals: ReferralsResponse;
  @ApiProperty({ type: FunnelResponse })
  funnel: FunnelResponse;
  @ApiProperty({ type: [PartnerCurrencyResponse], description: 'One entry per currency you earned in, by currency code.' })
  currencies: PartnerCurrencyResponse[];
}

class LawyerMoneyFiguresResponse {
  @ApiProperty({ type: 'integer' })
  paidSessions: number;
  @ApiProperty({ type: 'integer', description: 'What clients paid (minor units).' })
  grossVolumeMinor: number;
  @ApiProperty({ type: 'integer', description: 'The platform’s fees: gross − payable accrued (minor units).' })
  platformFeesMinor: number;
  @ApiProperty({ type: 'integer' })
  refundsCount: number;
  @ApiProperty({ type: 'integer', description: 'Refunded to clients (minor units).' })
  refundedMinor: number;
  @ApiProperty({ type: 'integer', description: 'Your earnings (minor units).' })
  payableAccruedMinor: number;
  @ApiProperty({ type: 'integer', description: 'Your earnings taken back by refunds (minor units).' })
  payableReversedMinor: number;
  @ApiProperty({ type: 'integer', description: 'Paid out to you, net of corrected payouts (minor units).' })
  paidOutMinor: number;
}

class LawyerMoneyPeriodResponse extends LawyerMoneyFiguresResponse {
  @ApiProperty({ format: 'date', example: '2026-01-01' })
  periodStart: string;
  @ApiProperty({ format: 'date', example: '2026-01-31' })
  periodEnd: string;
  @ApiProperty({ type: 'integer', description: 'Owed to you at the end of the period (minor units).' })
  pendingMinor: number;
}

class LawyerMoneyTotalsResponse extends LawyerMoneyFiguresResponse {
  @ApiProperty({ type: 'integer' })
  openingPendingMinor: number;
  @ApiProperty({ type: 'integer' })
  pendingMinor: number;
}

class LawyerCurrencyResponse {
  @ApiProperty({ example: 'EUR' })
  currency: string;
  @ApiProperty({ type: LawyerMoneyTotalsResponse })
  totals: LawyerMoneyTotalsResponse;
  @ApiProperty({ type: [LawyerMoneyPeriodResponse] })
  series: LawyerMoneyPeriodResponse[];
}

export class LawyerEarningsResponse extends ReportEnvelope {
  @ApiProperty({ type: [LawyerCurrencyResponse] })
  currencies: LawyerCurrencyResponse[];
}
