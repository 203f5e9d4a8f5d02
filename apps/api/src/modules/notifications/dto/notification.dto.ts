import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional } from 'class-validator';
import { PageQueryDto } from '../../../common/http/page-query.dto';
import { PagedResponse } from '../../../common/http/paged.response';
import { NOTIFICATION_KINDS, type NotificationKind } from '../notification-kinds';
import type { EmailPreferences, NotificationRow } from '../notifications.repository';

const toBool = ({ value }: { value: unknown }): unknown => (value === 'true' ? true : value === 'false' ? false : value);

export class ListNotificationsQueryDto extends PageQueryDto {
  /** Only unread notifications. */
  @ApiPropertyOptional({ type: Boolean })
  @IsOptional()
  @Transform(toBool)
  @IsBoolean()
  unread?: boolean;
}

export class NotificationResponse {
  @ApiProperty({ format: 'uuid' })
  id: string;
  @ApiProperty({ enum: NOTIFICATION_KINDS })
  kind: NotificationKind;
  /** Rendered for the recipient, times with their zone. */
  @ApiProperty({ example: 'Session scheduled' })
  title: string;
  @ApiProperty({ example: 'Your session with Maria López is on 12 March 2026 at 15:00.' })
  body: string;
  /** The SPA page it is about (e.g. `/sessions/<id>`), or null. */
  @ApiProperty({ example: '/sessions/5b1f0e9c-2d4a-4c61-9a7e-0c3f1d2b8e47', type: String, nullable: true })
  linkPath: string | null;
  /** The template's parameters (instants as ISO strings, amounts in minor units). */
  @ApiProperty({
    example: { sessionId: '5b1f0e9c-2d4a-4c61-9a7e-0c3f1d2b8e47', startAt: '2026-03-12T14:00:00.000Z' },
    type: 'object',
    additionalProperties: true,
  })
  params: Record<string, unknown>;
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  readAt: Date | null;
  createdAt: Date;
}

export class NotificationPageResponse extends PagedResponse(NotificationResponse) {}

export class UnreadCountResponse {
  @ApiProperty({ type: 'integer', minimum: 0 })
  unread: number;
}

export class MarkAllReadResponse {
  /** How many notifications were unread and are now read. */
  @ApiProperty({ type: 'integer', minimum: 0 })
  marked: number;
}

/** Email for non-essential messages; payments, bookings, changes, cancellations, refunds and verification always go out. */
export class NotificationPreferencesDto implements EmailPreferences {
  /** Emails 24 h and 1 h before a session (the in-app reminder stays). */
  @IsBoolean()
  emailReminders: boolean;

  /** Emails about expired checkouts and completed sessions (the in-app notice stays). */
  @IsBoolean()
  emailSessionUpdates: boolean;
}

export function toNotificationResponse(n: NotificationRow): NotificationResponse {
  return {
    id: n.id,
    kind: n.kind as NotificationKind,
    title: n.title,
    body: n.body,
    linkPath: n.linkPath,
    params: n.params,
    readAt: n.readAt,
    createdAt: n.createdAt,
  };
}
