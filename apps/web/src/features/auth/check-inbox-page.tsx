import { Alert, Anchor, Stack, Text } from '@mantine/core';
import { Link } from 'react-router-dom';
import { homeFor } from '../../app/paths';
import { AuthCard } from './components/auth-card';
import { ResendVerificationButton } from './components/resend-verification-button';
import { useCurrentUser } from './use-current-user';

/** Shown right after sign-up (and from a used verification link once signed in). */
export function CheckInboxPage() {
  const { user } = useCurrentUser();
  if (!user) return null; // RequireRole renders this page only for a signed-in person.
  const continueLink = (
    <Anchor component={Link} to={homeFor(user.role)}>
      Continue to LexMarket
    </Anchor>
  );
  if (user.emailVerified) {
    return (
      <AuthCard title="Your email is verified" footer={continueLink}>
        <Alert color="green" role="status">
          {user.email} is confirmed. You are all set.
        </Alert>
      </AuthCard>
    );
  }
  return (
    <AuthCard title="Check your inbox" footer={continueLink}>
      <Stack gap="md">
        <Text>
          We sent a verification link to <strong>{user.email}</strong>. Open it to confirm your address.
        </Text>
        <Text size="sm" c="gray.7">
          Nothing arrived after a few minutes? Check your spam folder, or send a new link (at most 5 per hour).
        </Text>
        <ResendVerificationButton email={user.email} />
      </Stack>
    </AuthCard>
  );
}
