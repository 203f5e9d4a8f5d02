import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { UuidParam } from '../../common/http/uuid-param';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Role } from '@lm/domain';
import type { FastifyReply } from 'fastify';
import type { AuthUser } from '../../common/auth/auth-user';
import { CurrentUser, Roles, Scopes } from '../../common/auth/auth.decorators';
import { ValidationFailed } from '../../common/errors/common.errors';
import { ApiErrorResponses } from '../../common/http/api-error-responses.decorator';

import { SlotWindowQueryDto } from '../marketplace';
import { ConsultationsService } from './consultations.service';
import { CancelSessionDto } from './dto/cancel-session.dto';
import { ListMySessionsQueryDto } from './dto/list-sessions.query.dto';
import { DeclineProposalDto } from './dto/decline-proposal.dto';
import { RescheduleSessionDto } from './dto/reschedule-session.dto';
import { ScheduleSessionDto } from './dto/schedule-session.dto';
import { SessionSlotsResponse, toSessionSlotsResponse } from './dto/session-slots.response';
import {
  CancellationQuoteResponse,
  CancelSessionResponse,
  MySessionPageResponse,
  SessionDetailResponse,
  toMySessionResponse,
  toSessionDetailResponse,
  toSessionRefundResponse,
} from './dto/session.response';

/** A client's or a lawyer's own consultations. Someone else's session is a 404. */
@ApiTags('sessions')
@Controller('sessions')
export class SessionsController {
  constructor(private readonly consultations: ConsultationsService) {}

  @Post('schedule')
  @HttpCode(200)
  @Roles(Role.CLIENT)
  @Scopes('sessions:write')
  @ApiOperation({
    operationId: 'scheduleSession',
    summary: 'Book a free slot of the lawyer for a PAID session of the caller (409 SESSION_NOT_PAID before payment, SLOT_NOT_AVAILABLE when taken).',
  })
  @ApiOkResponse({ type: SessionDetailResponse })
  @ApiErrorResponses(400, 404, 409)
  async schedule(@CurrentUser() actor: AuthUser, @Body() body: ScheduleSessionDto): Promise<SessionDetailResponse> {
    return toSessionDetailResponse(await this.consultations.schedule(actor, { sessionId: body.sessionId, startAt: instant(body.startAt) }));
  }

  @Get()
  @Roles(Role.CLIENT, Role.LAWYER)
  @Scopes('sessions:read')
  @ApiOperation({ operationId: 'listMySessions', summary: 'The caller’s sessions (as client or as lawyer), newest first, or upcoming ones soonest first.' })
  @ApiOkResponse({ type: MySessionPageResponse })
  @ApiErrorResponses(400)
  async list(@CurrentUser() actor: AuthUser, @Query() query: ListMySessionsQueryDto): Promise<MySessionPageResponse> {
    const { items, total } = await this.consultations.listOwn(actor, query);
    const side = actor.role === Role.LAWYER ? 'LAWYER' : 'CLIENT';
    return { items: items.map((s) => toMySessionResponse(s, side)), total, page: query.page, pageSize: query.pageSize };
  }

  @Get(':id')
  @Roles(Role.CLIENT, Role.LAWYER)
  @Scopes('sessions:read')
  @ApiOperation({ operationId: 'getMySession', summary: 'One of the caller’s sessions with payment, refunds, timeline and the actions the caller may take.' })
  @ApiOkResponse({ type: SessionDetailResponse })
  @ApiErrorResponses(400, 404)
  async get(@CurrentUser() actor: AuthUser, @Param('id', UuidParam('id')) id: string): Promise<SessionDetailResponse> {
    return toSessionDetailResponse(await this.consultations.getOwn(actor, id));
  }

  @Get(':id/slots')
  @Roles(Role.CLIENT, Role.LAWYER)
  @Scopes('sessions:read')
  @ApiOperation({
    operationId: 'getSessionSlots',
    summary:
      'Free times (UTC) to book this PAID session at or move this SCHEDULED one to: its frozen duration, its own time not counted as busy (409 when it cannot be scheduled or moved now).',
  })
  @ApiOkResponse({ type: SessionSlotsResponse })
  @ApiErrorResponses(400, 404, 409)
  async slots(@CurrentUser() actor: AuthUser, @Param('id', UuidParam('id')) id: string, @Query() query: SlotWindowQueryDto): Promise<SessionSlotsResponse> {
    return toSessionSlotsResponse(await this.consultations.freeSlots(actor, id, query));
  }

  @Post(':id/reschedule')
  @HttpCode(200)
  @Roles(Role.CLIENT, Role.LAWYER)
  @Scopes('sessions:write')
  @ApiOperation({
    operationId: 'rescheduleSession',
    summary:
      'The client moves their SCHEDULED session to another free slot, keeping its payment (more than 24 h before the start). ' +
      'A lawyer gets 409 RESCHEDULE_NEEDS_CLIENT_CONSENT: they propose a time instead (POST …/reschedule-proposal).',
  })
  @ApiOkResponse({ type: SessionDetailResponse })
  @ApiErrorResponses(400, 404, 409)
  async reschedule(@CurrentUser() actor: AuthUser, @Param('id', UuidParam('id')) id: string, @Body() body: RescheduleSessionDto): Promise<SessionDetailResponse> {
    return toSessionDetailResponse(await this.consultations.reschedule(actor, id, instant(body.startAt)));
  }

  @Post(':id/reschedule-proposal')
  @HttpCode(200)
  @Roles(Role.LAWYER)
  @Scopes('sessions:write')
  @ApiOperation({
    operationId: 'proposeReschedule',
    summary:
      'The lawyer proposes a new free time for a SCHEDULED session; it keeps its time until the client accepts. ' +
      '409 RESCHEDULE_PROPOSAL_OPEN (one at a time), SLOT_NOT_AVAILABLE (not bookable or in the past), SESSION_ALREADY_STARTED.',
  })
  @ApiOkResponse({ type: SessionDetailResponse })
  @ApiErrorResponses(400, 404, 409)
  async propose(@CurrentUser() actor: AuthUser, @Param('id', UuidParam('id')) id: string, @Body() body: RescheduleSessionDto): Promise<SessionDetailResponse> {
    return toSessionDetailResponse(await this.consultations.proposeReschedule(actor, id, instant(body.startAt)));
  }

  @Post(':id/reschedule-proposal/withdraw')
  @HttpCode(200)
  @Roles(Role.LAWYER)
  @Scopes('sessions:write')
  @ApiOperation({ operationId: 'withdrawRescheduleProposal', summary: 'The lawyer withdraws the open proposal; the session keeps its time (409 NO_RESCHEDULE_PROPOSAL).' })
  @ApiOkResponse({ type: SessionDetailResponse })
  @ApiErrorResponses(400, 404, 409)
  async withdraw(@CurrentUser() actor: AuthUser, @Param('id', UuidParam('id')) id: string): Promise<SessionDetailResponse> {
    return toSessionDetailResponse(await this.consultations.withdrawProposal(actor, id));
  }

  @Post(':id/reschedule-proposal/accept')
  @HttpCode(200)
  @Roles(Role.CLIENT)
  @Scopes('sessions:write')
  @ApiOperation({
    operationId: 'acceptRescheduleProposal',
    summary:
      'The client accepts the lawyer’s proposed time: the session moves there (409 SLOT_NOT_AVAILABLE when no longer bookable, NO_RESCHEDULE_PROPOSAL, SESSION_ALREADY_STARTED).',
  })
  @ApiOkResponse({ type: SessionDetailResponse })
  @ApiErrorResponses(400, 404, 409)
  async accept(@CurrentUser() actor: AuthUser, @Param('id', UuidParam('id')) id: string): Promise<SessionDetailResponse> {
    return toSessionDetailResponse(await this.consultations.acceptProposal(actor, id));
  }

  @Post(':id/reschedule-proposal/decline')
  @HttpCode(200)
  @Roles(Role.CLIENT)
  @Scopes('sessions:write')
  @ApiOperation({
    operationId: 'declineRescheduleProposal',
    summary:
      'The client declines the lawyer’s proposed time: keeps the booked time (outcome keep), or cancels with a full refund because the lawyer asked (outcome cancel).',
  })
  @ApiOkResponse({ type: SessionDetailResponse })
  @ApiErrorResponses(400, 404, 409)
  async decline(@CurrentUser() actor: AuthUser, @Param('id', UuidParam('id')) id: string, @Body() body: DeclineProposalDto): Promise<SessionDetailResponse> {
    return toSessionDetailResponse(await this.consultations.declineProposal(actor, id, { outcome: body.outcome, reason: body.reason }));
  }

  @Get(':id/cancellation-quote')
  @Roles(Role.CLIENT, Role.LAWYER)
  @Scopes('sessions:read')
  @ApiOperation({ operationId: 'getCancellationQuote', summary: 'What cancelling now would refund, to show before the caller confirms.' })
  @ApiOkResponse({ type: CancellationQuoteResponse })
  @ApiErrorResponses(400, 404, 409)
  async cancellationQuote(@CurrentUser() actor: AuthUser, @Param('id', UuidParam('id')) id: string): Promise<CancellationQuoteResponse> {
    const quote = await this.consultations.cancellationQuote(actor, id);
    return { policy: quote.policy, refundMinor: quote.refundMinor, currency: quote.currency };
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @Roles(Role.CLIENT, Role.LAWYER)
  @Scopes('sessions:write')
  @ApiOperation({
    operationId: 'cancelSession',
    summary: 'Cancel a session; the refund is decided by the policy at this moment (client > 24 h before or unscheduled: full; later: none; lawyer: full).',
  })
  @ApiOkResponse({ type: CancelSessionResponse })
  @ApiErrorResponses(400, 404, 409)
  async cancel(@CurrentUser() actor: AuthUser, @Param('id', UuidParam('id')) id: string, @Body() body: CancelSessionDto): Promise<CancelSessionResponse> {
    const result = await this.consultations.cancel(actor, id, body.reason);
    return {
      policy: result.policy,
      refundMinor: result.refundMinor,
      currency: result.currency,
      refund: result.refund ? toSessionRefundResponse(result.refund) : null,
      session: toSessionDetailResponse(result.detail),
    };
  }

  @Post(':id/complete')
  @HttpCode(200)
  @Roles(Role.LAWYER)
  @Scopes('sessions:write')
  @ApiOperation({ operationId: 'completeSession', summary: 'The lawyer marks a session COMPLETED after its scheduled end (409 SESSION_NOT_ENDED before).' })
  @ApiOkResponse({ type: SessionDetailResponse })
  @ApiErrorResponses(400, 404, 409)
  async complete(@CurrentUser() actor: AuthUser, @Param('id', UuidParam('id')) id: string): Promise<SessionDetailResponse> {
    return toSessionDetailResponse(await this.consultations.complete(actor, id));
  }

  @Get(':id/calendar.ics')
  @Roles(Role.CLIENT, Role.LAWYER)
  @Scopes('sessions:read')
  @ApiOperation({ operationId: 'getSessionCalendar', summary: 'The booked session as an iCalendar file (UTC times, stable UID, SEQUENCE = version).' })
  @ApiProduces('text/calendar')
  @ApiOkResponse({ schema: { type: 'string' } })
  @ApiErrorResponses(400, 404, 409)
  async calendar(@CurrentUser() actor: AuthUser, @Param('id', UuidParam('id')) id: string, @Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    const file = await this.consultations.calendar(actor, id);
    void reply
      .header('content-type', 'text/calendar; charset=utf-8')
      .header('content-disposition', `attachment; filename="${file.filename}"`)
      .header('cache-control', 'no-store');
    return file.body;
  }
}

/** A validated ISO 8601 instant (see IsInstant) as a Date; 400 if the calendar date does not exist. */
function instant(value: string): Date {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw new ValidationFailed([{ field: 'startAt', messages: ['startAt must be a valid date-time'] }]);
  return date;
}
