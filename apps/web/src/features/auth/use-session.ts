import { ApiError, settle, unwrap } from '@lm/api-client';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { accessToken } from '../../lib/access-token';
import { api } from '../../lib/api';
import { authKeys, fetchCurrentUser } from './auth.queries';

export interface SignInInput {
  email: string;
  password: string;
}

/** A refused sign-in; `retryAfterSeconds` is set for 429 (from the Retry-After header). */
export class SignInError extends Error {
  constructor(
    readonly kind: 'invalid' | 'throttled' | 'suspended' | 'other',
    readonly apiError: ApiError,
    readonly retryAfterSeconds?: number,
  ) {
    super(apiError.message);
    this.name = 'SignInError';
  }
}

/** `POST /api/auth/login`, then loads the account into the current-user query. */
export function useSignIn() {
  const queryClient = useQueryClient();
  return useMutation({
    meta: { errorToast: false },
    mutationFn: async (input: SignInInput) => {
      const { data, error, response } = await settle(api.POST('/api/auth/login', { body: input }));
      if (!data) {
        const apiError = ApiError.fromResponse(error, response);
        if (response.status === 429) {
          const retryAfter = Number(response.headers.get('retry-after'));
          throw new SignInError('throttled', apiError, Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined);
        }
        if (response.status === 401) throw new SignInError('invalid', apiError);
        if (response.status === 403) throw new SignInError('suspended', apiError);
        throw new SignInError('other', apiError);
      }
      accessToken.set(data.accessToken);
      const user = await fetchCurrentUser();
      queryClient.setQueryData(authKeys.me(), user);
      return user;
    },
  });
}

/** `POST /api/auth/logout`; forgets the token and every cached answer of the old account. */
export function useSignOut() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async () => {
      try {
        await unwrap(api.POST('/api/auth/logout'));
      } finally {
        accessToken.set(null);
        queryClient.removeQueries();
        queryClient.setQueryData(authKeys.me(), null);
      }
    },
  });
}
