import { Body, Controller, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '../../common/auth/auth-user';
import { Authenticated, CurrentUser, Scopes } from '../../common/auth/auth.decorators';
import { ApiErrorResponses } from '../../common/http/api-error-responses.decorator';
import { UuidParam } from '../../common/http/uuid-param';
import {
  ListNotificationsQueryDto,
  MarkAllReadResponse,
  NotificationPageResponse,
  NotificationPreferencesDto,
  NotificationResponse,
  toNotificationResponse,
  UnreadCountResponse,
} from './dto/notification.dto';
import { NotificationsService } from './notifications.service';

/** The caller's own notification centre (every role). */
@ApiTags('notifications')
@Authenticated()
@Controller('notifications')
export class NotificationsController {
  constructor(private readonly notifications: NotificationsService) {}

  @Get()
  @Scopes('profile:read')
  @ApiOperation({ operationId: 'listNotifications', summary: 'Your notifications, newest first (optionally only unread ones).' })
  @ApiOkResponse({ type: NotificationPageResponse })
  @ApiErrorResponses(400)
  async list(@CurrentUser() actor: AuthUser, @Query() query: ListNotificationsQueryDto): Promise<NotificationPageResponse> {
    const { items, total } = await this.notifications.list(actor, query);
    return { items: items.map(toNotificationResponse), total, page: query.page, pageSize: query.pageSize };
  }

  @Get('unread-count')
  @Scopes('profile:read')
  @ApiOperation({ operationId: 'countUnreadNotifications', summary: 'How many of your notifications are unread.' })
  @ApiOkResponse({ type: UnreadCountResponse })
  async unreadCount(@CurrentUser() actor: AuthUser): Promise<UnreadCountResponse> {
    return { unread: await this.notifications.unreadCount(actor) };
  }

  @Post('read-all')
  @Scopes('profile:write')
  @HttpCode(200)
  @ApiOperation({ operationId: 'markAllNotificationsRead', summary: 'Mark all your notifications read.' })
  @ApiOkResponse({ type: MarkAllReadResponse })
  async readAll(@CurrentUser() actor: AuthUser): Promise<MarkAllReadResponse> {
    return { marked: await this.notifications.markAllRead(actor) };
  }

  @Get('preferences')
  @Scopes('profile:read')
  @ApiOperation({ operationId: 'getNotificationPreferences', summary: 'Which non-essential messages you receive by email.' })
  @ApiOkResponse({ type: NotificationPreferencesDto })
  async preferences(@CurrentUser() actor: AuthUser): Promise<NotificationPreferencesDto> {
    return this.notifications.preferences(actor);
  }

  @Put('preferences')
  @Scopes('profile:write')
  @ApiOperation({
    operationId: 'updateNotificationPreferences',
    summary: 'Choose which non-essential messages you receive by email (essential ones — payments, bookings, changes, cancellations, refunds — always go out).',
  })
  @ApiOkResponse({ type: NotificationPreferencesDto })
  @ApiErrorResponses(400)
  async updatePreferences(@CurrentUser() actor: AuthUser, @Body() body: NotificationPreferencesDto): Promise<NotificationPreferencesDto> {
    return this.notifications.updatePreferences(actor, { emailReminders: body.emailReminders, emailSessionUpdates: body.emailSessionUpdates });
  }

  @Post(':id/read')
  @Scopes('profile:write')
  @HttpCode(200)
  @ApiOperation({ operationId: 'markNotificationRead', summary: 'Mark one of your notifications read (404 for anyone else’s).' })
  @ApiOkResponse({ type: NotificationResponse })
  @ApiErrorResponses(400, 404)
  async read(@CurrentUser() actor: AuthUser, @Param('id', UuidParam('id')) id: string): Promise<NotificationResponse> {
    return toNotificationResponse(await this.notifications.markRead(actor, id));
  }
}
