import { ApiError, NETWORK_ERROR } from '@lm/api-client';

export interface ErrorDescription {
  title: string;
  message: string;
  /** Quote this to support; present when the API produced the error. */
  requestId?: string;
}

/** Turns any thrown value into words for people. Never shows stacks or raw payloads. */
export function describeError(error: unknown): ErrorDescription {
  if (!(error instanceof ApiError)) {
    return {
      title: 'Something went wrong',
      message: 'An unexpected error occurred. Reloading the page usually helps.',
    };
  }
  const { requestId } = error;
  if (error.code === NETWORK_ERROR) {
    return {
      title: 'Cannot reach LexMarket',
      message: 'Check your connection and try again in a moment.',
      requestId,
    };
  }
  if (error.status === 401) {
    return {
      title: 'Please sign in',
      message: 'Your session has ended. Sign in to continue.',
      requestId,
    };
  }
  if (error.code === 'RECENT_SIGN_IN_REQUIRED') {
    // Creating API keys and webhook endpoints (and resetting secure-messaging keys) needs a fresh password sign-in.
    return {
      title: 'Please sign in again',
      message:
        'For your security, this needs a sign-in with your password from the last 15 minutes. Sign out, sign in again, then try once more.',
      requestId,
    };
  }
  if (error.status === 403) {
    return { title: 'Access denied', message: 'Your account cannot do this.', requestId };
  }
  if (error.status >= 500) {
    return {
      title: 'Something went wrong on our side',
      message: 'We have logged the problem. Please try again in a moment.',
      requestId,
    };
  }
  // API messages are written for people and never echo submitted values.
  return { title: 'Request failed', message: error.message, requestId };
}
