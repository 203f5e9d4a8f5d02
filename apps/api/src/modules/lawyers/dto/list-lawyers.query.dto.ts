import { ApiPropertyOptional } from '@nestjs/swagger';

import { IsIn, IsOptional } from 'class-validator';
import { LAWYER_STATUSES, type LawyerStatus } from '@lm/domain';
import { PageQueryDto } from '../../../common/http/page-query.dto';

export class ListLawyersQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: LAWYER_STATUSES, example: 'PENDING_VERIFICATION' })
  @IsOptional()
  @IsIn(LAWYER_STATUSES)
  status?: LawyerStatus;
}
