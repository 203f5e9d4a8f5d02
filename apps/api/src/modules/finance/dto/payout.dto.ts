import { ApiProperty, ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import { isCurrencyCode } from '@lm/domain';
import { Transform, Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, IsUUID, Matches, Max, Min, ValidateBy } from 'class-validator';
import { PagedResponse } from '../../../common/http/paged.response';
import { PageQueryDto } from '../../../common/http/page-query.dto';
import { IsInstant } from '../../../common/validation/is-instant';
import { MaxChars } from '../../../common/validation/max-chars';
import type { PayeeRole, PendingPayout } from '../finance.queries';
import { PAYOUT_METHODS, type PayoutMethod, type PayoutRow } from '../payouts.repository';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
const PAYEE_ROLES: readonly PayeeRole[] = ['LAWYER', 'PARTNER'];
export const MAX_REFERENCE_LENGTH = 140;
export const MAX_REVERSAL_REASON_LENGTH = 500;

/** An upper-case ISO 4217 code the runtime knows. */
function IsCurrencyCode(): PropertyDecorator {
  return ValidateBy({
    name: 'isCurrencyCode',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && isCurrencyCode(value),
      defaultMessage: () => '$property must be an upper-case ISO 4217 currency code such as EUR or USD',
    },
  });
}

export class RecordPayoutDto {
  /** The partner or lawyer paid. */
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'payeeId must be a UUID' })
  payeeId: string;

  /** The currency of the payable settled (what is owed is per currency). */
  @ApiProperty({ example: 'EUR' })
  @IsCurrencyCode()
  currency: string;

  /** Amount paid in minor units of `currency` (cents): an integer from 1 to what is owed. */
  @ApiProperty({ type: 'integer', minimum: 1, maximum: Number.MAX_SAFE_INTEGER, example: 12_500 })
  @IsInt({ message: 'amountMinor must be an integer number of minor units' })
  @Min(1, { message: 'amountMinor must be at least 1' })
  @Max(Number.MAX_SAFE_INTEGER)
  amountMinor: number;

  @ApiProperty({ enum: PAYOUT_METHODS, example: 'BANK_TRANSFER' })
  @IsIn(PAYOUT_METHODS, { message: `method must be one of ${PAYOUT_METHODS.join(', ')}` })
  method: PayoutMethod;

  /** The bank's or provider's reference of the transfer, as on the statement. */
  @ApiProperty({ minLength: 1, maxLength: MAX_REFERENCE_LENGTH, example: 'SEPA 2026-02-03 #4471' })
  @Transform(trim)
  @IsString()
  @Matches(/\S/, { message: 'reference must not be blank' })
  @MaxChars(MAX_REFERENCE_LENGTH, { message: `reference must be at most ${MAX_REFERENCE_LENGTH} characters` })
  reference: string;

  /** When the money was sent (not in the future). */
  @IsInstant()
  paidAt: string;
}

export class ReversePayoutDto {
  /** Why the payout is corrected (shown to the payee). */
  @ApiProperty({ minLength: 1, maxLength: MAX_REVERSAL_REASON_LENGTH, example: 'Transfer returned by the bank: wrong IBAN' })
  @Transform(trim)
  @IsString()
  @Matches(/\S/, { message: 'reason must not be blank' })
  @MaxChars(MAX_REVERSAL_REASON_LENGTH, { message: `reason must be at most ${MAX_REVERSAL_REASON_LENGTH} characters` })
  reason: string;
}

export class ListPayoutsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'Only the payouts of this payee.' })
  @IsOptional()
  @IsUUID('all', { message: 'payeeId must be a UUID' })
  payeeId?: string;
}

export class PendingPayoutsFilterDto {
  @ApiPropertyOptional({ example: 'EUR' })
  @IsOptional()
  @IsCurrencyCode()
  currency?: string;

  @ApiPropertyOptional({ enum: PAYEE_ROLES })
  @IsOptional()
  @IsIn(PAYEE_ROLES)
  role?: PayeeRole;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 0,
    description:
      'Only payees owed at least this much (minor units). Default: PAYOUT_MINIMUM_MINOR (1000). Never lists a zero balance.',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'minimumMinor must be an integer number of minor units' })
  @Min(0)
  @Max(Number.MAX_SAFE_INTEGER)
  minimumMinor?: number;
}

/** The pending list's filters and page. */
export class PendingPayoutsQueryDto extends IntersectionType(PendingPayoutsFilterDto, PageQueryDto) {}

export class PendingPayoutResponse {
  @ApiProperty({ format: 'uuid' })
  payeeId: string;
  @ApiProperty({ example: 'Ana García' })
  payeeName: string;
  @ApiProperty({ example: 'ana@example.com' })
  payeeEmail: string;
  @ApiProperty({ enum: PAYEE_ROLES })
  role: PayeeRole;
  @ApiProperty({ example: 'EUR' })
  currency: string;
  @ApiProperty({ type: 'integer', example: 42_500, description: 'Owed to the payee now (minor units).' })
  owedMinor: number;
  @ApiProperty({
    format: 'date',
    example: '2026-02-27',
    description: 'Last day (the payee’s zone) with a posting on this payable.',
  })
  lastActivityDay: string;
}

export class PendingPayoutPageResponse extends PagedResponse(PendingPayoutResponse) {
  @ApiProperty({ type: 'integer', description: 'The threshold applied (minor units).' })
  minimumMinor: number;
}

export class PayoutReversalResponse {
  @ApiProperty({ example: 'Bank returned the transfer (closed account)' })
  reason: string;
  reversedAt: Date;
}

export class PayoutResponse {
  @ApiProperty({ format: 'uuid' })
  id: string;
  @ApiProperty({ format: 'uuid' })
  payeeId: string;
  payeeName: string;
  @ApiProperty({ enum: PAYEE_ROLES })
  role: PayeeRole;
  @ApiProperty({ example: 'EUR' })
  currency: string;
  @ApiProperty({ type: 'integer', example: 12_500 })
  amountMinor: number;
  @ApiProperty({ enum: PAYOUT_METHODS })
  method: PayoutMethod;
  @ApiProperty({ example: 'SEPA-2026-03-000123' })
  reference: string;
  /** When the money was sent (as recorded). */
  paidAt: Date;
  /** When the payout was recorded. */
  recordedAt: Date;
  /** The admin who recorded it (admins only; null in a payee's own list). */
  @ApiProperty({ format: 'uuid', nullable: true, type: String })
  recordedBy: string | null;
  @ApiProperty({ nullable: true, type: String })
  recordedByName: string | null;
  /** Set once the payout was reversed (corrected). */
  @ApiProperty({ type: PayoutReversalResponse, nullable: true })
  reversal: PayoutReversalResponse | null;
}

export class PayoutPageResponse extends PagedResponse(PayoutResponse) {}

export function toPayoutResponse(p: PayoutRow, view: 'admin' | 'payee'): PayoutResponse {
  return {
    id: p.id,
    payeeId: p.payeeId,
    payeeName: p.payeeName,
    role: p.role,
    currency: p.currency,
    amountMinor: p.amountMinor,
    method: p.method,
    reference: p.reference,
    paidAt: p.paidAt,
    recordedAt: p.recordedAt,
    recordedBy: view === 'admin' ? p.recordedBy : null,
    recordedByName: view === 'admin' ? p.recordedByName : null,
    reversal: p.reversedAt ? { reason: p.reversalReason ?? '', reversedAt: p.reversedAt } : null,
  };
}

export function toPendingPayoutResponse(p: PendingPayout): PendingPayoutResponse {
  return { ...p };
}
