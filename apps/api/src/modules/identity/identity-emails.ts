import type { EnqueueEmail } from '../mail';

/** Lifetime of a password reset link. */
export const PASSWORD_RESET_TTL_MINUTES = 30;
/** Lifetime of an email verification link. */
export const EMAIL_VERIFICATION_TTL_HOURS = 48;

type Recipient = { id: string; email: string; displayName: string };

/** `${PUBLIC_URL}/<page>?token=…`, whatever trailing slash PUBLIC_URL has. */
export function tokenLink(publicUrl: string, page: 'reset-password' | 'verify-email', token: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/${page}?token=${encodeURIComponent(token)}`;
}

export function passwordResetEmail(publicUrl: string, user: Recipient, token: string): EnqueueEmail {
  return {
    to: user.email,
    userId: user.id,
    template: 'password-reset',
    subject: 'Reset your LexMarket password',
    text:
      `Hello ${user.displayName},\n\n` +
      `Someone (hopefully you) asked to reset the password of your LexMarket account. ` +
      `Open this link within ${PASSWORD_RESET_TTL_MINUTES} minutes to choose a new one:\n\n` +
      `${tokenLink(publicUrl, 'reset-password', token)}\n\n` +
      `The link works once. If you did not ask for it, ignore this email: your password stays as it is.\n`,
  };
}

export function emailVerificationEmail(publicUrl: string, user: Recipient, token: string): EnqueueEmail {
  return {
    to: user.email,
    userId: user.id,
    template: 'email-verification',
    subject: 'Confirm your email address for LexMarket',
    text:
      `Hello ${user.displayName},\n\n` +
      `Please confirm that this is your email address by opening this link ` +
      `(valid for ${EMAIL_VERIFICATION_TTL_HOURS} hours):\n\n` +
      `${tokenLink(publicUrl, 'verify-email', token)}\n\n` +
      `If you did not create a LexMarket account, ignore this email.\n`,
  };
}
