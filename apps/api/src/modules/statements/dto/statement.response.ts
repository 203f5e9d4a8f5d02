import { ApiProperty } from '@nestjs/swagger';
import { PagedResponse } from '../../../common/http/paged.response';
import type { StatementRow } from '../statements.repository';

export class StatementResponse {
  @ApiProperty({ format: 'uuid' })
  id: string;
  /** "ST-YYYYMM-000001": the period's month and a sequence number. */
  @ApiProperty({ example: 'ST-202603-000042' })
  number: string;
  @ApiProperty({ format: 'uuid' })
  payeeId: string;
  /** The payee's display name now. */
  payeeName: string;
  @ApiProperty({ enum: ['LAWYER', 'PARTNER'] })
  payeeRole: 'LAWYER' | 'PARTNER';
  /** The payable: a lawyer's earnings or a partner's commissions. */
  @ApiProperty({ enum: ['lawyer_payable', 'partner_commission_payable'] })
  account: 'lawyer_payable' | 'partner_commission_payable';
  @ApiProperty({ example: 'EUR' })
  currency: string;
  /** First day of the month (YYYY-MM-DD) in `zone`. */
  @ApiProperty({ format: 'date' })
  periodStart: string;
  /** Last day of the month (YYYY-MM-DD) in `zone`. */
  @ApiProperty({ format: 'date' })
  periodEnd: string;
  /** The payee's IANA time zone the month was cut in. */
  @ApiProperty({ example: 'Europe/Berlin' })
  zone: string;
  /** Owed to the payee at the start of the period, in minor units. */
  @ApiProperty({ type: 'integer' })
  openingMinor: number;
  /** Owed to the payee at the end of the period: opening plus the lines. */
  @ApiProperty({ type: 'integer' })
  closingMinor: number;
  @ApiProperty({ type: 'integer', minimum: 0 })
  lineCount: number;
  /** SHA-256 (hex) of the CSV file, as in the audit trail. */
  csvSha256: string;
  /** SHA-256 (hex) of the PDF file, as in the audit trail. */
  pdfSha256: string;
  @ApiProperty({ type: 'integer' })
  csvBytes: number;
  @ApiProperty({ type: 'integer' })
  pdfBytes: number;
  issuedAt: Date;
  /** The admin who re-issued it; null when the monthly job issued it. */
  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  issuedBy: string | null;
  /** The statement this one corrects (a re-issue), or null. */
  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  supersedesId: string | null;
  @ApiProperty({ example: 'Corrected a refund booked in the wrong month', type: String, nullable: true })
  reissueReason: string | null;
  /** Replaced by a re-issued statement: read that one instead. */
  superseded: boolean;
  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  supersededById: string | null;
}

export class StatementPageResponse extends PagedResponse(StatementResponse) {}

export class StatementRunResponse {
  /** Statements issued by this run (0 when none were due). */
  @ApiProperty({ type: 'integer', minimum: 0 })
  issued: number;
}

export function toStatementResponse(s: StatementRow): StatementResponse {
  return {
    id: s.id,
    number: s.number,
    payeeId: s.payeeId,
    payeeName: s.payeeName,
    payeeRole: s.payeeRole,
    account: s.account,
    currency: s.currency,
    periodStart: s.periodStart,
    periodEnd: s.periodEnd,
    zone: s.zone,
    openingMinor: s.openingMinor,
    closingMinor: s.closingMinor,
    lineCount: s.lineCount,
    csvSha256: s.csvSha256,
    pdfSha256: s.pdfSha256,
    csvBytes: s.csvBytes,
    pdfBytes: s.pdfBytes,
    issuedAt: new Date(s.issuedAt),
    issuedBy: s.issuedBy,
    supersedesId: s.supersedesId,
    reissueReason: s.reissueReason,
    superseded: s.supersededById !== null,
    supersededById: s.supersededById,
  };
}
