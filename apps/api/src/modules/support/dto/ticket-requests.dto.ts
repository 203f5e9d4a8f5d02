import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsOptional, IsString, IsUUID, Matches, MinLength } from 'class-validator';
import { MaxChars } from '../../../common/validation/max-chars';
import { PageQueryDto } from '../../../common/http/page-query.dto';
import {
  NO_SHOW_DECISIONS,
  SETTABLE_STATUSES,
  TICKET_CATEGORIES,
  TICKET_STATUSES,
  type NoShowDecision,
  type SettableStatus,
  type TicketCategory,
  type TicketStatus,
} from '../support-rules';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export const MAX_SUBJECT_LENGTH = 140;
export const MIN_DESCRIPTION_LENGTH = 10;
export const MAX_DESCRIPTION_LENGTH = 5000;
export const MAX_MESSAGE_LENGTH = 5000;
export const MAX_NOTE_LENGTH = 2000;

export class CreateTicketDto {
  /** NO_SHOW_LAWYER (a client reports the lawyer) and NO_SHOW_CLIENT (a lawyer reports the client) need `sessionId`. */
  @ApiProperty({ enum: TICKET_CATEGORIES, example: 'NO_SHOW_LAWYER' })
  @IsIn(TICKET_CATEGORIES, { message: `category must be one of ${TICKET_CATEGORIES.join(', ')}` })
  category: TicketCategory;

  /** The session it is about: one of the caller's own (anyone else's is a 404 SESSION_NOT_FOUND). */
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all', { message: 'sessionId must be a UUID' })
  sessionId?: string;

  /** A short title; derived from the category (and the session's offering) when left out. */
  @ApiPropertyOptional({ maxLength: MAX_SUBJECT_LENGTH, example: 'The lawyer never joined the call' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxChars(MAX_SUBJECT_LENGTH, { message: `subject must be at most ${MAX_SUBJECT_LENGTH} characters` })
  subject?: string;

  @ApiProperty({ minLength: MIN_DESCRIPTION_LENGTH, maxLength: MAX_DESCRIPTION_LENGTH, example: 'I waited in the call for 20 minutes and nobody came.' })
  @Transform(trim)
  @IsString()
  @MinLength(MIN_DESCRIPTION_LENGTH, { message: `description must be at least ${MIN_DESCRIPTION_LENGTH} characters` })
  @MaxChars(MAX_DESCRIPTION_LENGTH, { message: `description must be at most ${MAX_DESCRIPTION_LENGTH} characters` })
  description: string;
}

export class PostTicketMessageDto {
  @ApiProperty({ minLength: 1, maxLength: MAX_MESSAGE_LENGTH, example: 'Here is what happened…' })
  @Transform(trim)
  @IsString()
  @Matches(/\S/, { message: 'body must not be blank' })
  @MaxChars(MAX_MESSAGE_LENGTH, { message: `body must be at most ${MAX_MESSAGE_LENGTH} characters` })
  body: string;
}

export class ListMyTicketsQueryDto extends PageQueryDto {}

export class ListAdminTicketsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: TICKET_STATUSES })
  @IsOptional()
  @IsIn(TICKET_STATUSES)
  status?: TicketStatus;

  @ApiPropertyOptional({ enum: TICKET_CATEGORIES })
  @IsOptional()
  @IsIn(TICKET_CATEGORIES)
  category?: TicketCategory;

  /** `me`: assigned to the caller; `unassigned`: nobody has taken it yet. */
  @ApiPropertyOptional({ enum: ['me', 'unassigned'] })
  @IsOptional()
  @IsIn(['me', 'unassigned'])
  assignee?: 'me' | 'unassigned';
}

export class ChangeTicketStatusDto {
  /** RESOLVED and REJECTED close the ticket for good (a no-show report closes through its decision instead). */
  @ApiProperty({ enum: SETTABLE_STATUSES })
  @IsIn(SETTABLE_STATUSES, { message: `status must be one of ${SETTABLE_STATUSES.join(', ')}` })
  status: SettableStatus;

  /** Shown to the reporter when the ticket is closed. */
  @ApiPropertyOptional({ example: 'Asked the lawyer for their side', maxLength: MAX_NOTE_LENGTH })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxChars(MAX_NOTE_LENGTH, { message: `note must be at most ${MAX_NOTE_LENGTH} characters` })
  note?: string;
}

export class NoShowResolutionDto {
  /** LAWYER_NO_SHOW: session NO_SHOW_LAWYER and a full refund; CLIENT_NO_SHOW: NO_SHOW_CLIENT, the lawyer keeps the payment; DISMISS: no change. */
  @ApiProperty({ enum: NO_SHOW_DECISIONS })
  @IsIn(NO_SHOW_DECISIONS, { message: `decision must be one of ${NO_SHOW_DECISIONS.join(', ')}` })
  decision: NoShowDecision;

  /** Shown to the reporter and kept with the decision. */
  @ApiPropertyOptional({ example: 'Lawyer confirmed the missed session; full refund.', maxLength: MAX_NOTE_LENGTH })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxChars(MAX_NOTE_LENGTH, { message: `note must be at most ${MAX_NOTE_LENGTH} characters` })
  note?: string;
}
