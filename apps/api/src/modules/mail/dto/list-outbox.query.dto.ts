import { Type } from 'class-transformer';
import { IsEmail, IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { EMAIL_STATUSES, type EmailStatus } from '../email-message.entity';

export class ListOutboxQueryDto {
  @IsOptional()
  @IsIn(EMAIL_STATUSES)
  status?: EmailStatus;

  /** Exact recipient address (case-insensitive). */
  @IsOptional()
  @IsEmail()
  to?: string;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  page: number = 1;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  pageSize: number = 25;
}
