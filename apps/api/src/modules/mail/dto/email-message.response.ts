import { PagedResponse } from '../../../common/http/paged.response';
import { ApiProperty } from '@nestjs/swagger';
import { EMAIL_STATUSES, type EmailMessage, type EmailStatus } from '../email-message.entity';

export class EmailMessageResponse {
  id: string;
  to: string;
  template: string;
  subject: string;
  @ApiProperty({ enum: EMAIL_STATUSES })
  status: EmailStatus;
  attempts: number;
  lastError: string | null;
  createdAt: Date;
  sentAt: Date | null;
  /**
   * The text, only for CAPTURED messages (embedded mode, where no SMTP server delivers them and
   * admins read them here). Sent messages' bodies are not exposed: they may carry one-time links.
   */
  body: string | null;
  /** The HTML alternative, under the same rule as `body` (CAPTURED only); null for text-only messages. */
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
