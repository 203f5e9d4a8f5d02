import { Type } from 'class-transformer';
import { IsInt, IsISO8601, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';
import { InstantWithinCalendar } from '../../../common/validation/instant-range';

/** Filters of GET /api/admin/audit; all optional and combined with AND. */
export class ListAuditEventsQuery {
  /** Exact action, e.g. `user.registered`. */
  @IsOptional()
  @IsString()
  @MaxLength(200)
  action?: string;

  @IsOptional()
  @IsUUID()
  actorId?: string;

  /** Part of the actor's display name or email, case-insensitive (e.g. `lopez`). */
  @IsOptional()
  @IsString()
  @MaxLength(100)
  actor?: string;

  /** Exact subject type, e.g. `user`. */
  @IsOptional()
  @IsString()
  @MaxLength(100)
  subjectType?: string;

  @IsOptional()
  @IsString()
  @MaxLength(200)
  subjectId?: string;

  /** Entries that occurred at or after this instant (ISO-8601). */
  @IsOptional()
  @IsISO8601({ strict: true })
  @InstantWithinCalendar()
  from?: string;

  /** Entries that occurred before this instant (ISO-8601). */
  @IsOptional()
  @IsISO8601({ strict: true })
  @InstantWithinCalendar()
  to?: string;

  /** Cursor: only entries with a smaller seq (pass the previous page's `nextCursor`). */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(Number.MAX_SAFE_INTEGER)
  before?: number;

  /** Page size (1-100). */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;
}
