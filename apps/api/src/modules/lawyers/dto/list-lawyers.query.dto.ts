import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { LAWYER_STATUSES, type LawyerStatus } from '@lm/domain';

export class ListLawyersQueryDto {
  @ApiPropertyOptional({ enum: LAWYER_STATUSES, example: 'PENDING_VERIFICATION' })
  @IsOptional()
  @IsIn(LAWYER_STATUSES)
  status?: LawyerStatus;

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
