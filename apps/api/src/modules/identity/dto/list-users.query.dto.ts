import { ApiPropertyOptional } from '@nestjs/swagger';

import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { ROLES, type Role } from '@lm/domain';
import { USER_STATUSES, type UserStatus } from '../user.entity';
import { PageQueryDto } from '../../../common/http/page-query.dto';

export class ListUsersQueryDto extends PageQueryDto {
  /** Part of the email or display name (case-insensitive). */
  @ApiPropertyOptional({ example: 'lopez' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  q?: string;

  @ApiPropertyOptional({ enum: ROLES })
  @IsOptional()
  @IsIn(ROLES)
  role?: Role;

  @ApiPropertyOptional({ enum: USER_STATUSES })
  @IsOptional()
  @IsIn(USER_STATUSES)
  status?: UserStatus;
}
