import { ApiError, unwrap } from '@lm/api-client';
import { Alert, Button, Stack } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api';
import { describeError } from '../../../lib/errors';
import { authKeys } from '../auth.queries';

/** `POST /api/auth/verify-email/resend` for the signed-in account (earlier links stop working). */
export function useResendVerification() {
  const queryClient = useQueryClient();
  return useMutation({
    meta: { errorToast: false },
    mutationFn: () => unwrap(api.POST('/api/auth/verify-email/resend')),
    onError: (error) => {
      // Verified in another tab meanwhile: show it.
      if (error instanceof ApiError && error.code === 'EMAIL_ALREADY_VERIFIED') void queryClient.invalidateQueries({ queryKey: authKeys.me() });
    },
  });
}

/** The resend button with its outcome, for the check-inbox page and a used verification link. */
export function ResendVerificationButton({ email }: { email: string }) {
  const resend = useResendVerification();
  const alreadyVerified = resend.error instanceof ApiError && resend.error.code === 'EMAIL_ALREADY_VERIFIED';
  return (
    <Stack gap="xs">
      <Button variant="light" onClick={() => resend.mutate()} loading={resend.isPending} disabled={resend.isSuccess}>
        Resend the verification email
      </Button>
      {resend.isSuccess && (
        <Alert color="green" role="status">
          A new link is on its way to {email}. Earlier links no longer work.
        </Alert>
      )}
      {resend.isError && (
        <Alert color={alreadyVerified ? 'green' : 'red'} role={alreadyVerified ? 'status' : 'alert'}>
          {alreadyVerified ? 'Your email address is already verified.' : describeError(resend.error).message}
        </Alert>
      )}
    </Stack>
  );
}
