import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsOptional, IsUUID } from 'class-validator';
import { SESSION_STATUSES, type SessionStatus } from '@lm/domain';
import { PageQueryDto } from '../../../common/http/page-query.dto';

/** `status=PAID&status=SCHEDULED` or `status=PAID,SCHEDULED`. */
const toList = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' ? value.split(',').map((s) => s.trim()).filter(Boolean) : value;
const toBool = ({ value }: { value: unknown }): unknown => (value === 'true' ? true : value === 'false' ? false : value);

export class ListMySessionsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: SESSION_STATUSES, isArray: true, description: 'One or several statuses (repeat the parameter or separate with commas)' })
  @IsOptional()
  @Transform(toList)
  @IsArray()
  @ArrayMaxSize(SESSION_STATUSES.length)
  @IsIn(SESSION_STATUSES, { each: true })
  status?: SessionStatus[];

  /** Only booked sessions (SCHEDULED, IN_PROGRESS) that have not ended yet, soonest first; otherwise newest first. */
  @ApiPropertyOptional({ type: Boolean })
  @IsOptional()
  @Transform(toBool)
  @IsBoolean()
  upcoming?: boolean;

  /**
   * One of the caller's lists as of now: `upcoming` (booked, not ended, soonest first),
   * `action` (something to do: pay an open checkout, book a time, answer a proposed time; a
   * lawyer: mark an ended session completed), `past` (over: completed, cancelled, expired,
   * ended). Combines with `status`.
   */
  @ApiPropertyOptional({ enum: ['upcoming', 'action', 'past'] })
  @IsOptional()
  @IsIn(['upcoming', 'action', 'past'])
  view?: 'upcoming' | 'action' | 'past';
}

export class ListAdminSessionsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: SESSION_STATUSES, isArray: true, description: 'One or several statuses (repeat the parameter or separate with commas)' })
  @IsOptional()
  @Transform(toList)
  @IsArray()
  @ArrayMaxSize(SESSION_STATUSES.length)
  @IsIn(SESSION_STATUSES, { each: true })
  status?: SessionStatus[];

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  lawyerId?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  clientId?: string;
}
