import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Role } from '@lm/domain';
import type { AuthUser } from '../../common/auth/auth-user';
import { CurrentUser, Roles, Scopes } from '../../common/auth/auth.decorators';
import { ApiErrorResponses } from '../../common/http/api-error-responses.decorator';
import { UuidParam } from '../../common/http/uuid-param';
import { ChangeTicketStatusDto, ListAdminTicketsQueryDto, NoShowResolutionDto, PostTicketMessageDto } from './dto/ticket-requests.dto';
import {
  AdminSupportTicketDetailResponse,
  AdminSupportTicketPageResponse,
  SupportMessageResponse,
  toAdminSupportTicketDetailResponse,
  toAdminSupportTicketResponse,
  toSupportMessageResponse,
} from './dto/ticket.response';
import { NoShowResolutions } from './no-show-resolutions.service';
import { SupportService } from './support.service';

/** The support queue: every ticket, its evidence, and the decisions. */
@ApiTags('admin')
@Roles(Role.ADMIN)
@Controller('admin/support/tickets')
export class AdminSupportController {
  constructor(
    private readonly support: SupportService,
    private readonly noShows: NoShowResolutions,
  ) {}

  @Get()
  @Scopes('admin')
  @ApiOperation({ operationId: 'listSupportTickets', summary: 'The support queue, most recent activity first, by status, category and assignee (me / unassigned).' })
  @ApiOkResponse({ type: AdminSupportTicketPageResponse })
  @ApiErrorResponses(400)
  async list(@CurrentUser() actor: AuthUser, @Query() query: ListAdminTicketsQueryDto): Promise<AdminSupportTicketPageResponse> {
    const page = await this.support.listForAdmin(actor, query);
    return { ...page, items: page.items.map(toAdminSupportTicketResponse) };
  }

  @Get(':id')
  @Scopes('admin')
  @ApiOperation({
    operationId: 'getSupportTicket',
    summary: 'A ticket with its thread, its history, the session (parties, times, payment and refunds) and the call’s attendance log as evidence.',
  })
  @ApiOkResponse({ type: AdminSupportTicketDetailResponse })
  @ApiErrorResponses(400, 404)
  async get(@CurrentUser() actor: AuthUser, @Param('id', UuidParam('id')) id: string): Promise<AdminSupportTicketDetailResponse> {
    return toAdminSupportTicketDetailResponse(await this.support.getForAdmin(actor, id));
  }

  @Post(':id/assign')
  @Scopes('admin')
  @HttpCode(200)
  @ApiOperation({ operationId: 'assignSupportTicket', summary: 'Take the ticket (an OPEN ticket moves to IN_PROGRESS); 409 TICKET_CLOSED once closed.' })
  @ApiOkResponse({ type: AdminSupportTicketDetailResponse })
  @ApiErrorResponses(400, 404, 409)
  async assign(@CurrentUser() actor: AuthUser, @Param('id', UuidParam('id')) id: string): Promise<AdminSupportTicketDetailResponse> {
    return toAdminSupportTicketDetailResponse(await this.support.assign(actor, id));
  }

  @Post(':id/messages')
  @Scopes('admin')
  @ApiOperation({ operationId: 'answerSupportTicket', summary: 'Write to the reporter on the ticket’s thread; they are told by email, signed by the support team.' })
  @ApiCreatedResponse({ type: SupportMessageResponse })
  @ApiErrorResponses(400, 404)
  async post(@CurrentUser() actor: AuthUser, @Param('id', UuidParam('id')) id: string, @Body() body: PostTicketMessageDto): Promise<SupportMessageResponse> {
    const message = await this.support.postAsAdmin(actor, id, body.body);
    return toSupportMessageResponse(message, 'admin', actor.id);
  }

  @Post(':id/status')
  @Scopes('admin')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'changeSupportTicketStatus',
    summary:
      'Move the ticket to IN_PROGRESS, RESOLVED or REJECTED (closing tells the reporter, with the note). Closed is final (409 TICKET_CLOSED); ' +
      'a no-show report closes only with a decision (409 NO_SHOW_DECISION_REQUIRED).',
  })
  @ApiOkResponse({ type: AdminSupportTicketDetailResponse })
  @ApiErrorResponses(400, 404, 409)
  async status(@CurrentUser() actor: AuthUser, @Param('id', UuidParam('id')) id: string, @Body() body: ChangeTicketStatusDto): Promise<AdminSupportTicketDetailResponse> {
    return toAdminSupportTicketDetailResponse(await this.support.changeStatus(actor, id, body));
  }

  @Post(':id/no-show-resolution')
  // No @Scopes: session only (API keys get 403 API_KEY_NOT_ALLOWED): a decision can refund the client.
  @HttpCode(200)
  @ApiOperation({
    operationId: 'resolveNoShow',
    summary:
      'Decide a no-show report: LAWYER_NO_SHOW (session NO_SHOW_LAWYER, everything still refundable refunded to the client), CLIENT_NO_SHOW ' +
      '(NO_SHOW_CLIENT, the lawyer keeps the payment) or DISMISS (no change; the ticket is REJECTED). Repeating the same decision returns the ' +
      'current state and refunds nothing more; another decision is 409 TICKET_ALREADY_RESOLVED. Signed-in session only (it can move money): an ' +
      'API key gets 403 API_KEY_NOT_ALLOWED.',
  })
  @ApiOkResponse({ type: AdminSupportTicketDetailResponse })
  @ApiErrorResponses(400, 404, 409)
  async resolveNoShow(@CurrentUser() actor: AuthUser, @Param('id', UuidParam('id')) id: string, @Body() body: NoShowResolutionDto): Promise<AdminSupportTicketDetailResponse> {
    return toAdminSupportTicketDetailResponse(await this.noShows.resolve(actor, id, body));
  }
}
