import { Alert, Anchor, Button, PasswordInput, Stack, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { Link, Navigate, useLocation, useNavigate } from 'react-router-dom';
import { homeFor, paths } from '../../app/paths';
import { describeError } from '../../lib/errors';
import { AuthCard } from './components/auth-card';
import { useCurrentUser } from './use-current-user';
import { SignInError, useSignIn } from './use-session';

function formatWait(seconds: number): string {
  if (seconds < 60) return `${seconds} second${seconds === 1 ? '' : 's'}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minute${minutes === 1 ? '' : 's'}`;
}

function signInErrorMessage(error: unknown): string {
  if (error instanceof SignInError) {
    switch (error.kind) {
      case 'invalid':
        return 'The email or password is incorrect.';
      case 'throttled':
        return error.retryAfterSeconds
          ? `Too many failed attempts. Try again in ${formatWait(error.retryAfterSeconds)}.`
          : 'Too many failed attempts. Try again later.';
      case 'suspended':
        return 'This account is suspended. Contact support if you think this is a mistake.';
      case 'other':
        return describeError(error.apiError).message;
    }
  }
  return describeError(error).message;
}

export function SignInPage() {
  const { user } = useCurrentUser();
  const location = useLocation();
  const navigate = useNavigate();
  const signIn = useSignIn();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const from = (location.state as { from?: string } | null)?.from;

  if (user && !signIn.isPending && !signIn.isSuccess) return <Navigate to={homeFor(user.role)} replace />;

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    signIn.mutate(
      { email, password },
      { onSuccess: (signedIn) => signedIn && void navigate(from ?? homeFor(signedIn.role), { replace: true }) },
    );
  };

  return (
    <AuthCard
      title="Sign in"
      description="Welcome back to LexMarket."
      footer={
        <>
          New here?{' '}
          <Anchor component={Link} to={paths.signUp}>
            Create an account
          </Anchor>
        </>
      }
    >
      <form onSubmit={onSubmit} noValidate>
        <Stack gap="md">
          {signIn.isError && (
            <Alert color="red" role="alert" title="Could not sign in">
              {signInErrorMessage(signIn.error)}
            </Alert>
          )}
          <TextInput
            label="Email"
            type="email"
            autoComplete="email"
            required
            value={email}
            onChange={(e) => setEmail(e.currentTarget.value)}
          />
          <PasswordInput
            label="Password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.currentTarget.value)}
          />
          <Anchor component={Link} to={paths.forgotPassword} size="sm">
            Forgot your password?
          </Anchor>
          <Button type="submit" loading={signIn.isPending} fullWidth>
            Sign in
          </Button>
        </Stack>
      </form>
    </AuthCard>
  );
}
