import { ApiError, unwrap } from '@lm/api-client';
import { Alert, Anchor, Button, PasswordInput, Stack } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { paths } from '../../app/paths';
import { api } from '../../lib/api';
import { describeError } from '../../lib/errors';
import { fieldErrorsOf } from '../../lib/field-errors';
import { AuthCard } from './components/auth-card';
import { PASSWORD_RULE } from './sign-up-page';

export function ResetPasswordPage() {
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const [newPassword, setNewPassword] = useState('');
  const confirm = useMutation({
    meta: { errorToast: false },
    mutationFn: () => unwrap(api.POST('/api/auth/password-reset/confirm', { body: { token, newPassword } })),
  });
  const fields = fieldErrorsOf(confirm.error);
  const invalidLink = !token || (confirm.error instanceof ApiError && confirm.error.code === 'RESET_TOKEN_INVALID');

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    confirm.mutate();
  };

  const footer = (
    <Anchor component={Link} to={paths.signIn}>
      Back to sign in
    </Anchor>
  );

  if (confirm.isSuccess) {
    return (
      <AuthCard title="Password changed" footer={footer}>
        <Stack gap="md">
          <Alert color="green" role="status">
            Your password has been changed and every other sign-in has ended.
          </Alert>
          <Button component={Link} to={paths.signIn}>
            Sign in
          </Button>
        </Stack>
      </AuthCard>
    );
  }

  if (invalidLink) {
    return (
      <AuthCard title="Choose a new password" footer={footer}>
        <Stack gap="md">
          <Alert color="red" role="alert" title="This link cannot be used">
            The reset link is missing, has expired or was already used. Request a new one.
          </Alert>
          <Button component={Link} to={paths.forgotPassword} variant="default">
            Request a new link
          </Button>
        </Stack>
      </AuthCard>
    );
  }

  return (
    <AuthCard title="Choose a new password" footer={footer}>
      <form onSubmit={onSubmit} noValidate>
        <Stack gap="md">
          {confirm.isError && !fields.newPassword && (
            <Alert color="red" role="alert">
              {describeError(confirm.error).message}
            </Alert>
          )}
          <PasswordInput
            label="New password"
            autoComplete="new-password"
            description={PASSWORD_RULE}
            required
            value={newPassword}
            onChange={(e) => setNewPassword(e.currentTarget.value)}
            error={fields.newPassword}
          />
          <Button type="submit" loading={confirm.isPending} fullWidth>
            Change password
          </Button>
        </Stack>
      </form>
    </AuthCard>
  );
}
