import { ApiError, unwrap } from '@lm/api-client';
import { TERMS_VERSION } from '@lm/domain';
import { Alert, Anchor, Button, Checkbox, Group, PasswordInput, Radio, Stack, Text, TextInput } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link, Navigate, useNavigate, useSearchParams } from 'react-router-dom';
import { homeFor, paths } from '../../app/paths';
import { api } from '../../lib/api';
import { describeError } from '../../lib/errors';
import { fieldErrorsOf } from '../../lib/field-errors';
import { browserLocale, browserTimeZone } from '../../lib/time';
import { AuthCard } from './components/auth-card';
import { useCurrentUser } from './use-current-user';
import { useSignIn } from './use-session';

export const PASSWORD_RULE =
  'Use 12 to 128 characters with at least 5 different ones; avoid common passwords and your email address. A few unrelated words make a good password.';

type SignUpRole = 'CLIENT' | 'LAWYER' | 'PARTNER';

const ROLE_CHOICES: { value: SignUpRole; label: string; description: string }[] = [
  { value: 'CLIENT', label: 'I need legal advice', description: 'Book consultations with verified lawyers.' },
  { value: 'LAWYER', label: 'I am a lawyer', description: 'Offer consultations once your bar membership is verified.' },
  { value: 'PARTNER', label: 'I refer clients', description: 'Share your referral link and follow sign-ups.' },
];

export function SignUpPage() {
  const { user } = useCurrentUser();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const signIn = useSignIn();
  const [role, setRole] = useState<SignUpRole>('CLIENT');
  const [displayName, setDisplayName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [referralCode, setReferralCode] = useState(params.get('ref') ?? '');
  const [accepted, setAccepted] = useState(false);
  const [consentError, setConsentError] = useState<string | null>(null);

  const register = useMutation({
    meta: { errorToast: false },
    mutationFn: () =>
      unwrap(
        api.POST('/api/auth/register', {
          body: {
            role,
            displayName: displayName.trim(),
            email: email.trim(),
            password,
            timeZone: browserTimeZone(),
            locale: browserLocale(),
            acceptedTermsVersion: TERMS_VERSION,
            ...(referralCode.trim() ? { referralCode: referralCode.trim() } : {}),
          },
        }),
      ),
    onSuccess: () =>
      signIn.mutate(
        { email: email.trim(), password },
        // "Check your inbox": names the address and offers to resend the link.
        { onSuccess: (signedIn) => signedIn && void navigate(paths.checkInbox, { replace: true }) },
      ),
  });

  if (user && register.isIdle) return <Navigate to={homeFor(user.role)} replace />;

  const fields = fieldErrorsOf(register.error);
  const termsRefused = register.error instanceof ApiError && register.error.code === 'TERMS_NOT_ACCEPTED';
  const generalError =
    register.isError && !termsRefused && Object.keys(fields).length === 0 ? describeError(register.error).message : null;
  const consentMessage =
    consentError ?? (termsRefused ? 'The terms have changed since this page was loaded: reload the page and accept the current version.' : null);

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (!accepted) {
      setConsentError('Accept the terms of service and the privacy policy to create an account.');
      document.getElementById('sign-up-consent')?.focus();
      return;
    }
    setConsentError(null);
    register.mutate();
  };

  return (
    <AuthCard
      title="Create your account"
      description="Join LexMarket as a client, a lawyer or a referral partner."
      footer={
        <>
          Already have an account?{' '}
          <Anchor component={Link} to={paths.signIn}>
            Sign in
          </Anchor>
        </>
      }
    >
      <form onSubmit={onSubmit} noValidate>
        <Stack gap="md">
          {generalError && (
            <Alert color="red" role="alert" title="Could not create the account">
              {generalError}
            </Alert>
          )}
          {fields.role && (
            <Alert color="red" role="alert">
              {fields.role}
            </Alert>
          )}
          <Radio.Group label="Account type" value={role} onChange={(value) => setRole(value as SignUpRole)} required>
            <Stack gap="xs" mt="xs">
              {ROLE_CHOICES.map((choice) => (
                <Radio key={choice.value} value={choice.value} label={choice.label} description={choice.description} />
              ))}
            </Stack>
          </Radio.Group>
          <TextInput
            label="Full name"
            autoComplete="name"
            required
            value={displayName}
            onChange={(e) => setDisplayName(e.currentTarget.value)}
            error={fields.displayName}
          />
          <TextInput
            label="Email"
            type="email"
            autoComplete="email"
            required
            value={email}
            onChange={(e) => setEmail(e.currentTarget.value)}
            error={fields.email}
          />
          <PasswordInput
            label="Password"
            autoComplete="new-password"
            required
            description={PASSWORD_RULE}
            value={password}
            onChange={(e) => setPassword(e.currentTarget.value)}
            error={fields.password}
          />
          <TextInput
            label="Referral code"
            description="Optional: the code from a partner's link."
            value={referralCode}
            onChange={(e) => setReferralCode(e.currentTarget.value)}
            error={fields.referralCode}
          />
          <Checkbox
            id="sign-up-consent"
            checked={accepted}
            onChange={(e) => {
              setAccepted(e.currentTarget.checked);
              if (e.currentTarget.checked) setConsentError(null);
            }}
            error={consentMessage}
            label={
              <>
                I accept the{' '}
                <Anchor component={Link} to={paths.terms} target="_blank">
                  terms of service
                </Anchor>{' '}
                and the{' '}
                <Anchor component={Link} to={paths.privacy} target="_blank">
                  privacy policy
                </Anchor>{' '}
                (version {TERMS_VERSION})
              </>
            }
          />
          <Button type="submit" loading={register.isPending || signIn.isPending} fullWidth>
            Create account
          </Button>
          {signIn.isError && (
            <Group gap={4}>
              <Text size="sm">Your account was created.</Text>
              <Anchor component={Link} to={paths.signIn} size="sm">
                Sign in
              </Anchor>
            </Group>
          )}
        </Stack>
      </form>
    </AuthCard>
  );
}
