import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import type { Availability, AvailabilityBlackout, AvailabilityOverride } from '../availability/availability';
import type { IsoWeekday } from '../availability/slots';
import { IsInstant } from '../../../common/validation/is-instant';
import { WALL_TIME, WALL_TIME_END } from './validators';

/** A wall-clock window of one day in the lawyer's zone. */
export class LocalWindowDto {
  @ApiProperty({ example: '09:00', pattern: WALL_TIME.source })
  @IsString()
  @Matches(WALL_TIME, { message: '$property must be HH:MM between 00:00 and 23:59' })
  start: string;

  /** After `start`; '24:00' is the midnight that ends the day. */
  @ApiProperty({ example: '12:30', pattern: WALL_TIME_END.source })
  @IsString()
  @Matches(WALL_TIME_END, { message: '$property must be HH:MM between 00:00 and 24:00' })
  end: string;
}

export class WeeklyWindowDto extends LocalWindowDto {
  /** ISO weekday: 1 = Monday … 7 = Sunday. */
  @ApiProperty({ minimum: 1, maximum: 7, example: 1 })
  @IsIn([1, 2, 3, 4, 5, 6, 7], { message: '$property must be an ISO weekday from 1 (Monday) to 7 (Sunday)' })
  weekday: IsoWeekday;
}

export const MAX_WEEKLY_WINDOWS = 100;
export const MAX_OVERRIDE_WINDOWS = 12;

/** The whole weekly availability (PUT replaces it). Overrides and blackouts are kept. */
export class UpdateAvailabilityDto {
  /** IANA time zone the windows are written in. */
  @ApiProperty({ example: 'Europe/Berlin', maxLength: 64 })
  @IsString()
  @MaxLength(64)
  timeZone: string;

  @ApiProperty({ type: [WeeklyWindowDto], maxItems: MAX_WEEKLY_WINDOWS })
  @IsArray()
  @ArrayMaxSize(MAX_WEEKLY_WINDOWS)
  @ValidateNested({ each: true })
  @Type(() => WeeklyWindowDto)
  weekly: WeeklyWindowDto[];

  /** Free time kept before every session. */
  @ApiProperty({ minimum: 0, maximum: 240, example: 10 })
  @IsInt({ message: 'bufferBeforeMinutes must be a whole number of minutes' })
  @Min(0, { message: 'bufferBeforeMinutes must be between 0 and 240 minutes' })
  @Max(240, { message: 'bufferBeforeMinutes must be between 0 and 240 minutes' })
  bufferBeforeMinutes: number;

  /** Free time kept after every session. */
  @ApiProperty({ minimum: 0, maximum: 240, example: 10 })
  @IsInt({ message: 'bufferAfterMinutes must be a whole number of minutes' })
  @Min(0, { message: 'bufferAfterMinutes must be between 0 and 240 minutes' })
  @Max(240, { message: 'bufferAfterMinutes must be between 0 and 240 minutes' })
  bufferAfterMinutes: number;

  /** Earliest bookable start, from now (at most 30 days). */
  @ApiProperty({ minimum: 0, maximum: 43200, example: 720 })
  @IsInt({ message: 'minimumNoticeMinutes must be a whole number of minutes' })
  @Min(0, { message: 'minimumNoticeMinutes must be between 0 and 43200 minutes (30 days)' })
  @Max(43200, { message: 'minimumNoticeMinutes must be between 0 and 43200 minutes (30 days)' })
  minimumNoticeMinutes: number;

  /** Most sessions starting on one local day; null or absent = no cap. */
  @ApiPropertyOptional({ type: Number, nullable: true, minimum: 1, maximum: 48, example: 6 })
  @IsOptional()
  @ValidateIf((_o, value) => value !== null)
  @IsInt({ message: 'maxSessionsPerDay must be a whole number' })
  @Min(1, { message: 'maxSessionsPerDay must be between 1 and 48, or null for no limit' })
  @Max(48, { message: 'maxSessionsPerDay must be between 1 and 48, or null for no limit' })
  maxSessionsPerDay?: number | null;
}

/** Replaces the weekly rules on one local date; an empty list = not available that day. */
export class SetOverrideDto {
  @ApiProperty({ type: [LocalWindowDto], maxItems: MAX_OVERRIDE_WINDOWS })
  @IsArray()
  @ArrayMaxSize(MAX_OVERRIDE_WINDOWS)
  @ValidateNested({ each: true })
  @Type(() => LocalWindowDto)
  windows: LocalWindowDto[];
}

export class CreateBlackoutDto {
  @IsInstant()
  startAt: string;

  @IsInstant('ISO 8601 with an offset; after startAt, at most 366 days later')
  endAt: string;

  @ApiPropertyOptional({ example: 'Court hearing in Frankfurt', maxLength: 200, description: 'Empty when omitted' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  reason?: string;
}

export class LocalWindowResponse {
  @ApiProperty({ example: '09:00' })
  start: string;
  @ApiProperty({ example: '12:30' })
  end: string;
}

export class WeeklyWindowResponse extends LocalWindowResponse {
  @ApiProperty({ minimum: 1, maximum: 7 })
  weekday: number;
}

export class OverrideResponse {
  @ApiProperty({ example: '2026-12-24', description: 'Local date in the lawyer’s zone' })
  date: string;
  @ApiProperty({ type: [LocalWindowResponse] })
  windows: LocalWindowResponse[];
}

export class BlackoutResponse {
  @ApiProperty({ format: 'uuid' })
  id: string;
  startAt: Date;
  endAt: Date;
  @ApiProperty({ example: 'Court hearing' })
  reason: string;
}

/** The caller's availability. Before the first PUT: `configured` false, no zone, no windows. */
export class AvailabilityResponse {
  configured: boolean;
  @ApiProperty({ type: String, nullable: true, example: 'Europe/Berlin' })
  timeZone: string | null;
  @ApiProperty({ type: [WeeklyWindowResponse] })
  weekly: WeeklyWindowResponse[];
  bufferBeforeMinutes: number;
  bufferAfterMinutes: number;
  minimumNoticeMinutes: number;
  @ApiProperty({ type: Number, nullable: true })
  maxSessionsPerDay: number | null;
  /** Start of the earliest free slot of any active offering (next 60 days); recomputed shortly after every change. */
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  nextAvailableAt: Date | null;
  /** Overrides from today (in the lawyer's zone) on. */
  @ApiProperty({ type: [OverrideResponse] })
  overrides: OverrideResponse[];
  /** Blackouts that have not ended. */
  @ApiProperty({ type: [BlackoutResponse] })
  blackouts: BlackoutResponse[];
}

export function toBlackoutResponse(b: AvailabilityBlackout): BlackoutResponse {
  return { id: b.id, startAt: b.startAt, endAt: b.endAt, reason: b.reason };
}

export function toAvailabilityResponse(
  a: Availability | null,
  overrides: AvailabilityOverride[],
  blackouts: AvailabilityBlackout[],
): AvailabilityResponse {
  return {
    configured: a !== null,
    timeZone: a?.timeZone ?? null,
    weekly: (a?.weekly ?? []).map((w) => ({ weekday: w.weekday, start: w.start, end: w.end })),
    bufferBeforeMinutes: a?.bufferBeforeMinutes ?? 0,
    bufferAfterMinutes: a?.bufferAfterMinutes ?? 0,
    minimumNoticeMinutes: a?.minimumNoticeMinutes ?? 0,
    maxSessionsPerDay: a?.maxSessionsPerDay ?? null,
    nextAvailableAt: a?.nextAvailableAt ?? null,
    overrides: overrides.map((o) => ({ date: o.date, windows: o.windows.map((w) => ({ start: w.start, end: w.end })) })),
    blackouts: blackouts.map(toBlackoutResponse),
  };
}
