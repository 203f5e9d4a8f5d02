import { unwrap } from '@lm/api-client';
import { Alert, Anchor, Button, Center, Loader, Stack } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { paths } from '../../app/paths';
import { api } from '../../lib/api';
import { ResendVerificationButton } from './components/resend-verification-button';
import { AuthCard } from './components/auth-card';
import { useCurrentUser } from './use-current-user';

/** Opened from the emailed link: confirms the address as soon as the page loads. */
export function VerifyEmailPage() {
  const [params] = useSearchParams();
  const { user } = useCurrentUser();
  const token = params.get('token') ?? '';
  const { mutate, status } = useMutation({
    meta: { errorToast: false },
    mutationFn: (value: string) => unwrap(api.POST('/api/auth/verify-email', { body: { token: value } })),
  });

  const posted = useRef(false);
  useEffect(() => {
    // A one-time token: post it once, even under StrictMode's double effects.
    if (!token || posted.current) return;
    posted.current = true;
    mutate(token);
  }, [token, mutate]);

  const footer = (
    <Anchor component={Link} to={paths.signIn}>
      Go to sign in
    </Anchor>
  );

  return (
    <AuthCard title="Verify your email" footer={footer}>
      {!token || status === 'error' ? (
        <Stack gap="md">
          <Alert color="red" role="alert" title="This link cannot be used">
            The verification link is missing, has expired or was already used.{' '}
            {user?.emailVerified ? 'Your email address is already verified.' : 'Request a new one below.'}
          </Alert>
          {user ? (
            !user.emailVerified && <ResendVerificationButton email={user.email} />
          ) : (
            // Resending needs the account: sign in, then land on "check your inbox" with its resend button.
            <Button component={Link} to={paths.signIn} state={{ from: paths.checkInbox }}>
              Sign in to get a new link
            </Button>
          )}
        </Stack>
      ) : status === 'success' ? (
        <Alert color="green" role="status" title="Email verified">
          Thank you — your email address is confirmed.
        </Alert>
      ) : (
        <Center py="md">
          <Loader role="progressbar" aria-label="Verifying your email" />
        </Center>
      )}
    </AuthCard>
  );
}
