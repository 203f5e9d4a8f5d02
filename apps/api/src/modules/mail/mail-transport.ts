import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { createTransport, Transporter } from 'nodemailer';
import { AppConfig } from '../../config/app-config';

export interface OutgoingEmail {
  to: string;
  subject: string;
  text: string;
  html?: string | null;
}

/**
 * SMTP delivery through nodemailer when SMTP_URL is set (Mailpit in docker-compose, a real
 * relay in production). Without it there is no transport and messages are captured.
 */
@Injectable()
export class MailTransport implements OnModuleDestroy {
  private readonly transporter?: Transporter;

  constructor(private readonly config: AppConfig) {
    if (config.SMTP_URL) this.transporter = createTransport(config.SMTP_URL);
  }

  get enabled(): boolean {
    return this.transporter !== undefined;
  }

  async send(email: OutgoingEmail): Promise<void> {
    if (!this.transporter) throw new Error('SMTP is not configured');
    await this.transporter.sendMail({ from: this.config.MAIL_FROM, to: email.to, subject: email.subject, text: email.text, ...(email.html ? { html: email.html } : {}) });
  }

  onModuleDestroy(): void {
    this.transporter?.close();
  }
}
