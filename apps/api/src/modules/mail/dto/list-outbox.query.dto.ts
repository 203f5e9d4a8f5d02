import { IsEmail, IsIn, IsOptional } from 'class-validator';
import { EMAIL_STATUSES, type EmailStatus } from '../email-message.entity';
import { PageQueryDto } from '../../../common/http/page-query.dto';

export class ListOutboxQueryDto extends PageQueryDto {
  @IsOptional()
  @IsIn(EMAIL_STATUSES)
  status?: EmailStatus;

  /** Exact recipient address (case-insensitive). */
  @IsOptional()
  @IsEmail()
  to?: string;
}
