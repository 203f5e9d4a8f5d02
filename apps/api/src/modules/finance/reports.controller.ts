import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Role } from '@lm/domain';
import type { AuthUser } from '../../common/auth/auth-user';
import { CurrentUser, Roles, Scopes } from '../../common/auth/auth.decorators';
import { ApiErrorResponses } from '../../common/http/api-error-responses.decorator';
import { LawyerEarningsResponse, PartnerReportResponse, ReportQueryDto } from './dto/report.dto';
import { ReportsService } from './reports.service';

const RANGE_RULES =
  'Days and periods are in the caller’s time zone; weeks start on Monday; periods are clipped to [from, to] and empty ones are zeros. ' +
  'Defaults: to = today, from = the first day of the month 11 months before, granularity = month. ' +
  '400 REPORT_RANGE_INVERTED (from after to), REPORT_RANGE_TOO_LONG (over two years), VALIDATION_FAILED (a bad date or granularity).';

/** A partner's own referral and commission report. */
@ApiTags('partners')
@Roles(Role.PARTNER)
@Controller('partner')
export class PartnerReportsController {
  constructor(private readonly reports: ReportsService) {}

  @Get('reports')
  @Scopes('reports:read')
  @ApiOperation({
    operationId: 'getPartnerReport',
    summary:
      'The caller’s referrals (signed up, converted = first paid session), referral funnel, and per currency the paid sessions, gross volume, ' +
      `commission accrued, reversed by refunds, paid out and pending, as totals and a time series (PARTNER). ${RANGE_RULES}`,
  })
  @ApiOkResponse({ type: PartnerReportResponse })
  @ApiErrorResponses(400)
  report(@CurrentUser() actor: AuthUser, @Query() query: ReportQueryDto): Promise<PartnerReportResponse> {
    return this.reports.partnerReport(actor, query);
  }
}

/** A lawyer's own earnings. */
@ApiTags('lawyers')
@Roles(Role.LAWYER)
@Controller('lawyer')
export class LawyerEarningsController {
  constructor(private readonly reports: ReportsService) {}

  @Get('earnings')
  @Scopes('reports:read')
  @ApiOperation({
    operationId: 'getLawyerEarnings',
    summary:
      'Per currency: sessions paid, gross, platform fees, refunds, the caller’s earnings accrued and reversed, paid out and pending, as totals and a ' +
      `time series (LAWYER). ${RANGE_RULES}`,
  })
  @ApiOkResponse({ type: LawyerEarningsResponse })
  @ApiErrorResponses(400)
  earnings(@CurrentUser() actor: AuthUser, @Query() query: ReportQueryDto): Promise<LawyerEarningsResponse> {
    return this.reports.lawyerEarnings(actor, query);
  }
}
