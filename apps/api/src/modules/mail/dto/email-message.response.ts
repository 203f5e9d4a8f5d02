import { PagedResponse } from '../../../common/http/paged.response';
import { ApiProperty } from '@nestjs/swagger';
import { EMAIL_STATUSES, type EmailMessage, type EmailStatus } from '../email-message.entity';

export class EmailMessageResponse {
  @ApiProperty({ example: '42' })
  id: string;
  to: string;
  @ApiProperty({ example: 'session.scheduled' })
  template: string;
  @ApiProperty({ example: 'Your session is scheduled' })
  subject: string;
  @ApiProperty({ enum: EMAIL_STATUSES })
  status: EmailStatus;
  attempts: number;
  @ApiProperty({ example: 'SMTP 451 4.7.1 try again later' })
  lastError: string | null;
  createdAt: Date;
  sentAt: Date | null;
  /**
   * The text, only for CAPTURED messages (embedded mode, where no SMTP server delivers them and
   * admins read them here). Sent messages' bodies are not exposed: they may carry one-time links.
   */
  @ApiProperty({ example: 'Your session with Maria López is confirmed for 12 March 2026, 15:00.' })
  body: string | null;
  /** The HTML alternative, under the same rule as `body` (CAPTURED only); null for text-only messages. */
  @ApiProperty({ example: '<p>Your session with Maria López is confirmed for 12 March 2026, 15:00.</p>' })
  html: string | null;
}

export class EmailOutboxPageResponse extends PagedResponse(EmailMessageResponse) {}

export function toEmailMessageResponse(m: EmailMessage): EmailMessageResponse {
  return {
    id: m.id,
    to: m.toAddress,
    template: m.template,
    subject: m.subject,
    status: m.status,
    attempts: m.attempts,
    lastError: m.lastError,
    createdAt: m.createdAt,
    sentAt: m.sentAt,
    body: m.status === 'CAPTURED' ? m.bodyText : null,
    html: m.status === 'CAPTURED' ? m.bodyHtml : null,
  };
}
