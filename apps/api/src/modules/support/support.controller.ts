import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '../../common/auth/auth-user';
import { Authenticated, CurrentUser, Scopes } from '../../common/auth/auth.decorators';
import { ApiErrorResponses } from '../../common/http/api-error-responses.decorator';
import { UuidParam } from '../../common/http/uuid-param';
import { CreateTicketDto, ListMyTicketsQueryDto, PostTicketMessageDto } from './dto/ticket-requests.dto';
import {
  SupportMessageResponse,
  SupportTicketDetailResponse,
  SupportTicketPageResponse,
  toSupportMessageResponse,
  toSupportTicketDetailResponse,
  toSupportTicketResponse,
} from './dto/ticket.response';
import { SupportService } from './support.service';

/** The caller's own support tickets (anyone signed in); someone else's ticket is a 404. */
@ApiTags('support')
@Authenticated()
@Controller('support/tickets')
export class SupportController {
  constructor(private readonly support: SupportService) {}

  @Post()
  @Scopes('support:write')
  @ApiOperation({
    operationId: 'openSupportTicket',
    summary:
      'Open a ticket. A no-show report (NO_SHOW_LAWYER by the client, NO_SHOW_CLIENT by the lawyer) needs one of the caller’s sessions, ' +
      'once it has started and until 48 h after its scheduled end, once per session and side (409 NO_SHOW_REPORT_NOT_ALLOWED / NO_SHOW_ALREADY_REPORTED; ' +
      '400 NO_SHOW_WRONG_SIDE; someone else’s session: 404 SESSION_NOT_FOUND).',
  })
  @ApiCreatedResponse({ type: SupportTicketDetailResponse })
  @ApiErrorResponses(400, 404, 409)
  async open(@CurrentUser() actor: AuthUser, @Body() body: CreateTicketDto): Promise<SupportTicketDetailResponse> {
    return toSupportTicketDetailResponse(await this.support.open(actor, body));
  }

  @Get()
  @Scopes('support:read')
  @ApiOperation({ operationId: 'listMySupportTickets', summary: 'The caller’s tickets, most recent activity first.' })
  @ApiOkResponse({ type: SupportTicketPageResponse })
  @ApiErrorResponses(400)
  async list(@CurrentUser() actor: AuthUser, @Query() query: ListMyTicketsQueryDto): Promise<SupportTicketPageResponse> {
    const page = await this.support.listMine(actor, query);
    return { ...page, items: page.items.map(toSupportTicketResponse) };
  }

  @Get(':id')
  @Scopes('support:read')
  @ApiOperation({ operationId: 'getMySupportTicket', summary: 'One of the caller’s tickets with its message thread (admins sign as the support team).' })
  @ApiOkResponse({ type: SupportTicketDetailResponse })
  @ApiErrorResponses(400, 404)
  async get(@CurrentUser() actor: AuthUser, @Param('id', UuidParam('id')) id: string): Promise<SupportTicketDetailResponse> {
    return toSupportTicketDetailResponse(await this.support.getMine(actor, id));
  }

  @Post(':id/messages')
  @Scopes('support:write')
  @ApiOperation({ operationId: 'postSupportTicketMessage', summary: 'Write on the caller’s ticket; the assigned admin (or every admin while unassigned) is told by email.' })
  @ApiCreatedResponse({ type: SupportMessageResponse })
  @ApiErrorResponses(400, 404)
  async post(@CurrentUser() actor: AuthUser, @Param('id', UuidParam('id')) id: string, @Body() body: PostTicketMessageDto): Promise<SupportMessageResponse> {
    return toSupportMessageResponse(await this.support.postAsReporter(actor, id, body.body), 'reporter', actor.id);
  }
}
