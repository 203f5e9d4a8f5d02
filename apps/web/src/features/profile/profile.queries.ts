import { unwrap, type components } from '@lm/api-client';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../lib/api';
import { authKeys } from '../auth/auth.queries';

export type UpdateProfileInput = components['schemas']['UpdateProfileDto'];

/** `PATCH /api/auth/me`; the account is the current-user query, so that is what refreshes. */
export function useUpdateProfile() {
  const queryClient = useQueryClient();
  return useMutation({
    meta: { errorToast: false },
    mutationFn: (input: UpdateProfileInput) => unwrap(api.PATCH('/api/auth/me', { body: input })),
    onSuccess: (user) => {
      queryClient.setQueryData(authKeys.me(), user);
      return queryClient.invalidateQueries({ queryKey: authKeys.me() });
    },
  });
}
