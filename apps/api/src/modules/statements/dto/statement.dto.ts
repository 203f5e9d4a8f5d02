import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsOptional, IsString, IsUUID, Matches } from 'class-validator';
import { PageQueryDto } from '../../../common/http/page-query.dto';
import { MaxChars } from '../../../common/validation/max-chars';
import type { StatementFormat } from '../statements.service';

export const STATEMENT_FORMATS = ['pdf', 'csv'] as const satisfies readonly StatementFormat[];
export const MAX_REISSUE_REASON_LENGTH = 500;

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class ListMyStatementsQueryDto extends PageQueryDto {}

export class ListStatementsQueryDto extends PageQueryDto {
  /** Only this payee's statements (a partner or lawyer). */
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all', { message: 'payeeId must be a UUID' })
  payeeId?: string;
}

export class StatementFileQueryDto {
  /** `pdf` (the default): the printable statement; `csv`: the same lines for a spreadsheet. */
  @ApiPropertyOptional({ enum: STATEMENT_FORMATS, default: 'pdf' })
  @IsOptional()
  @IsIn(STATEMENT_FORMATS, { message: `format must be one of ${STATEMENT_FORMATS.join(', ')}` })
  format: StatementFormat = 'pdf';
}

export class ReissueStatementDto {
  /** Why the statement is corrected; printed on the new statement and kept in the audit trail. */
  @ApiProperty({ minLength: 1, maxLength: MAX_REISSUE_REASON_LENGTH, example: 'Refund of 12 March was missing' })
  @Transform(trim)
  @IsString()
  @Matches(/\S/, { message: 'reason must not be blank' })
  @MaxChars(MAX_REISSUE_REASON_LENGTH, { message: `reason must be at most ${MAX_REISSUE_REASON_LENGTH} characters` })
  reason: string;
}
