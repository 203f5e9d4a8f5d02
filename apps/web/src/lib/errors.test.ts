import { ApiError } from '@lm/api-client';
import { describe, expect, it } from 'vitest';
import { describeWebhookError } from '../features/webhooks/webhook-words';
import { describeError } from './errors';

describe('errors in words for people', () => {
  const recentSignIn = new ApiError({
    status: 403,
    code: 'RECENT_SIGN_IN_REQUIRED',
    message: 'For this action, sign in again with your password (a sign-in from the last 15 minutes is required)',
    requestId: 'req-1',
  });

  it('asks for a fresh sign-in (not "your account cannot do this") when an action needs a recent password sign-in', () => {
    for (const describe of [describeError, describeWebhookError]) {
      const words = describe(recentSignIn);
      expect(words.title).toBe('Please sign in again');
      expect(words.message).toMatch(/sign in again/);
      expect(words.message).not.toMatch(/cannot do this/);
      expect(words.requestId).toBe('req-1');
    }
  });

  it('other 403s stay a refusal', () => {
    expect(describeError(new ApiError({ status: 403, code: 'FORBIDDEN', message: 'x' })).message).toBe(
      'Your account cannot do this.',
    );
  });

  it('the webhook limits in words', () => {
    expect(describeWebhookError(new ApiError({ status: 400, code: 'WEBHOOK_URL_HTTPS_REQUIRED', message: 'x' })).title).toBe(
      'Use https',
    );
    expect(describeWebhookError(new ApiError({ status: 429, code: 'RATE_LIMITED', message: 'x' })).message).toMatch(
      /10 test events/,
    );
  });
});
