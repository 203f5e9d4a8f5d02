import { PagedResponse } from '../../../common/http/paged.response';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsNumber, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min } from 'class-validator';
import { PRACTICE_AREAS, type PracticeArea } from '@lm/domain';
import { PageQueryDto } from '../../../common/http/page-query.dto';
import { PublicLawyerResponse } from '../../lawyers';
import { DIRECTORY_SORTS, type DirectorySort } from '../marketplace.queries';
import { MAX_PRICE_MINOR, PublicOfferingResponse } from './offering.dto';
import { ISO_INSTANT } from '../../../common/validation/is-instant';
import { IsCurrency } from './validators';
import { InstantWithinCalendar } from '../../../common/validation/instant-range';
import { MaxDecimals } from '../../../common/validation/max-decimals';

/** At most this many free times in the public preview. */
export const MAX_FREE_TIMES = 12;

export class DirectoryQueryDto extends PageQueryDto {
  /**
   * Words matched (as prefixes) against name, bio, practice areas and jurisdictions; a place's
   * name ("Spain", "New York") also matches the lawyers who list that jurisdiction.
   */
  @ApiPropertyOptional({ example: 'immigration madrid', maxLength: 200 })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  q?: string;

  @ApiPropertyOptional({ enum: PRACTICE_AREAS })
  @IsOptional()
  @IsIn(PRACTICE_AREAS)
  practiceArea?: PracticeArea;

  /**
   * A jurisdiction the lawyer lists: its code (case-insensitive), e.g. `ES` or `US-NY`, or its
   * English name, e.g. `Spain` or `New York`.
   */
  @ApiPropertyOptional({ example: 'US-NY', maxLength: 100 })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  jurisdiction?: string;

  /** ISO 639-1. */
  @ApiPropertyOptional({ example: 'es' })
  @IsOptional()
  @Matches(/^[A-Za-z]{2}$/, { message: 'language must be a two-letter ISO 639-1 code' })
  language?: string;

  /** Only lawyers with an active offering in this currency; required with maxPriceMinor. */
  @ApiPropertyOptional({ example: 'EUR', pattern: '^[A-Z]{3}$' })
  @IsOptional()
  @IsCurrency()
  currency?: string;

  /** Only lawyers with an active offering at most this price (minor units of `currency`). */
  @ApiPropertyOptional({ minimum: 1, maximum: MAX_PRICE_MINOR, example: 15000 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PRICE_MINOR)
  maxPriceMinor?: number;

  /** Only lawyers whose average rating over visible reviews is at least this (1–5); unrated lawyers are left out. */
  @ApiPropertyOptional({ minimum: 1, maximum: 5, example: 4 })
  @IsOptional()
  @Type(() => Number)
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @MaxDecimals(2)
  @Min(1)
  @Max(5)
  minRating?: number;

  /**
   * `price`: cheapest "from" price first (amounts are not converted between currencies, so
   * results group by currency unless `currency` is given); `soonest`: earliest free slot first,
   * lawyers without one last; `newest`: most recently verified first; `relevance` (default with
   * `q`): best text match first; `rating`: highest Bayesian rating score first (see
   * GET /api/lawyers/{id}/rating), most reviews on a tie, unrated lawyers last. Default without
   * `q`: `soonest`.
   */
  @ApiPropertyOptional({ enum: DIRECTORY_SORTS })
  @IsOptional()
  @IsIn(DIRECTORY_SORTS)
  sort?: DirectorySort;

  /**
   * The `nextCursor` of the previous page (same filters and sort): the page after it, read
   * straight from the sort's index however deep it is. `page` is ignored with a cursor; page
   * numbers serve the first MAX_DIRECTORY_OFFSET results.
   */
  @ApiPropertyOptional({
    example: 'eyJzIjoic29vbmVzdCIsImsiOlsiMjAyNi0wMy0xMlQxNDowMDowMCswMDowMCIsOTAwMCwiNmYxYy4uLiJdfQ',
    maxLength: 400,
  })
  @IsOptional()
  @IsString()
  @MaxLength(400)
  cursor?: string;
}

/** A lawyer's rating over their visible client reviews. */
export class RatingSummaryResponse {
  /** Average stars, two decimals; null without reviews. */
  @ApiProperty({ type: Number, nullable: true, example: 4.67 })
  average: number | null;
  @ApiProperty({ type: 'integer', example: 12 })
  count: number;
}

export class DirectoryLawyerResponse {
  @ApiProperty({ format: 'uuid' })
  id: string;
  @ApiProperty({ example: 'Ana López' })
  displayName: string;
  @ApiProperty({ enum: PRACTICE_AREAS, isArray: true })
  practiceAreas: PracticeArea[];
  @ApiProperty({ type: [String], example: ['ES'] })
  jurisdictions: string[];
  @ApiProperty({ type: [String], example: ['es', 'en'] })
  languages: string[];
  /** The bio, cut to 280 characters. */
  @ApiProperty({ example: 'Employment lawyer in Berlin: dismissals, severance, works councils.' })
  shortBio: string;
  hasPhoto: boolean;
  @ApiProperty({ type: String, nullable: true, example: '/api/lawyers/6f1c…/photo' })
  photoUrl: string | null;
  /** Price of the cheapest active offering (matching the currency / price filters), minor units. */
  @ApiProperty({ example: 9000 })
  fromPriceMinor: number;
  @ApiProperty({ example: 'EUR' })
  currency: string;
  /** Start of the earliest free slot in the next 60 days, or null. */
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  nextAvailableAt: Date | null;
  @ApiProperty({ type: String, format: 'date-time' })
  verifiedAt: Date;
  rating: RatingSummaryResponse;
}

export class DirectoryPageResponse extends PagedResponse(DirectoryLawyerResponse) {
  /**
   * True when more lawyers match than are counted: `total` is then the cap — 1,000 for the whole
   * directory or one currency, 100 for a narrowed search (text, place, area, jurisdiction,
   * language, price, rating) — shown as "1,000+" / "100+"; later pages are reached with `nextCursor`.
   */
  @ApiProperty({ example: false })
  totalCapped: boolean;

  /** Pass it back as `cursor` for the next page (keyset pagination, any depth); null on the last page. */
  @ApiProperty({
    type: String,
    nullable: true,
    example: 'eyJzIjoic29vbmVzdCIsImsiOlsiMjAyNi0wMy0xMlQxNDowMDowMCswMDowMCIsOTAwMCwiNmYxYy4uLiJdfQ',
  })
  nextCursor: string | null;
}

/** A verified lawyer's public profile with the offerings they sell. */
export class PublicLawyerProfileResponse extends PublicLawyerResponse {
  /** Active offerings, cheapest first. */
  @ApiProperty({ type: [PublicOfferingResponse] })
  offerings: PublicOfferingResponse[];
  /** The zone the lawyer's availability is written in (null before they set it). */
  @ApiProperty({ type: String, nullable: true, example: 'Europe/Madrid' })
  timeZone: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  nextAvailableAt: Date | null;
  rating: RatingSummaryResponse;
}

/** A window of free slots: [from, to), default the next 14 days, at most 62. */
export class SlotWindowQueryDto {
  /** Start of the window (default: now). */
  @ApiPropertyOptional({ type: String, format: 'date-time', example: '2026-03-02T00:00:00Z' })
  @IsOptional()
  @Matches(ISO_INSTANT, { message: '$property must be an ISO 8601 date-time with an offset (Z or ±HH:MM)' })
  @InstantWithinCalendar()
  from?: string;

  /** End of the window (default: from + 14 days; at most 62 days after from). */
  @ApiPropertyOptional({ type: String, format: 'date-time', example: '2026-03-16T00:00:00Z' })
  @IsOptional()
  @Matches(ISO_INSTANT, { message: '$property must be an ISO 8601 date-time with an offset (Z or ±HH:MM)' })
  @InstantWithinCalendar()
  to?: string;
}

export class SlotsQueryDto extends SlotWindowQueryDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  offeringId: string;
}

export class SlotResponse {
  @ApiProperty({ type: String, format: 'date-time', example: '2026-03-02T14:00:00.000Z' })
  startAt: Date;
  @ApiProperty({ type: String, format: 'date-time', example: '2026-03-02T15:00:00.000Z' })
  endAt: Date;
}

/** Free slots (UTC) for one offering; show them in the viewer's own zone. */
export class SlotsResponse {
  @ApiProperty({ format: 'uuid' })
  lawyerId: string;
  @ApiProperty({ format: 'uuid' })
  offeringId: string;
  durationMinutes: number;
  /** The lawyer's zone (their rules are written in it); null when they have not set availability. */
  @ApiProperty({ type: String, nullable: true, example: 'Europe/Berlin' })
  timeZone: string | null;
  @ApiProperty({ type: String, format: 'date-time' })
  from: Date;
  @ApiProperty({ type: String, format: 'date-time' })
  to: Date;
  @ApiProperty({ type: [SlotResponse] })
  slots: SlotResponse[];
}

/** The public profile's preview: the next few free starts of one offering. */
export class FreeTimesQueryDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  offeringId: string;

  /** How many free times (default 6, at most 12). */
  @ApiPropertyOptional({ minimum: 1, maximum: MAX_FREE_TIMES, example: 6 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_FREE_TIMES)
  limit?: number;
}

/** Read-only: booking still happens after payment, in the session's slot picker. */
export class FreeTimesResponse {
  @ApiProperty({ format: 'uuid' })
  lawyerId: string;
  @ApiProperty({ format: 'uuid' })
  offeringId: string;
  durationMinutes: number;
  /** The lawyer's zone; the SPA shows times in the viewer's zone, labelled. */
  @ApiProperty({ type: String, nullable: true, example: 'America/New_York' })
  timeZone: string | null;
  /** The next free slots, earliest first, within the next FREE_TIMES_DAYS days. */
  @ApiProperty({ type: [SlotResponse] })
  slots: SlotResponse[];
  /** More free slots exist in that window than were returned. */
  hasMore: boolean;
  /** End of the window looked at. */
  @ApiProperty({ type: String, format: 'date-time' })
  until: Date;
}
