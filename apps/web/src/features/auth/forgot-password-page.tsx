import { unwrap } from '@lm/api-client';
import { Alert, Anchor, Button, Stack, TextInput } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link } from 'react-router-dom';
import { paths } from '../../app/paths';
import { api } from '../../lib/api';
import { describeError } from '../../lib/errors';
import { fieldErrorsOf } from '../../lib/field-errors';
import { AuthCard } from './components/auth-card';

export function ForgotPasswordPage() {
  const [email, setEmail] = useState('');
  const request = useMutation({
    meta: { errorToast: false },
    mutationFn: () => unwrap(api.POST('/api/auth/password-reset/request', { body: { email: email.trim() } })),
  });
  const fields = fieldErrorsOf(request.error);

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    request.mutate();
  };

  return (
    <AuthCard
      title="Reset your password"
      description="Enter your account's email and we will send you a link to choose a new password."
      footer={
        <Anchor component={Link} to={paths.signIn}>
          Back to sign in
        </Anchor>
      }
    >
      {request.isSuccess ? (
        <Alert color="green" role="status" title="Check your inbox">
          {request.data.message}
        </Alert>
      ) : (
        <form onSubmit={onSubmit} noValidate>
          <Stack gap="md">
            {request.isError && !fields.email && (
              <Alert color="red" role="alert">
                {describeError(request.error).message}
              </Alert>
            )}
            <TextInput
              label="Email"
              type="email"
              autoComplete="email"
              required
              value={email}
              onChange={(e) => setEmail(e.currentTarget.value)}
              error={fields.email}
            />
            <Button type="submit" loading={request.isPending} fullWidth>
              Send reset link
            </Button>
          </Stack>
        </form>
      )}
    </AuthCard>
  );
}
