import type { EmailMessage } from '../email-message.entity';
import { toEmailMessageResponse } from './email-message.response';

const message = (status: EmailMessage['status']): EmailMessage => ({
  id: '7d1f9c1e-0000-4000-8000-000000000001',
  toAddress: 'client@example.com',
  template: 'password-reset',
  subject: 'Reset your password',
  bodyText: 'https://app.example/reset?token=one-time-secret',
  bodyHtml: '<a href="https://app.example/reset?token=one-time-secret">Reset</a>',
  status,
  attempts: 1,
  lastError: null,
  userId: null,
  createdAt: new Date('2026-11-24T10:00:00Z'),
  sentAt: new Date('2026-11-24T10:00:01Z'),
});

describe('toEmailMessageResponse', () => {
  it('shows the text of captured messages (embedded mode, no SMTP)', () => {
    expect(toEmailMessageResponse(message('CAPTURED')).body).toContain('one-time-secret');
  });

  it.each(['SENT', 'PENDING', 'FAILED'] as const)('never exposes the text of a %s message', (status) => {
    const response = toEmailMessageResponse(message(status));
    expect(response.body).toBeNull();
    expect(JSON.stringify(response)).not.toContain('one-time-secret');
  });
});
