import { Container, Stack, Text, Title } from '@mantine/core';
import { PageTitle } from '../../components/page-title';
import { useCurrentUser } from '../auth/use-current-user';
import { AccountProfileForm } from './components/account-profile-form';

/** The client's profile (the route is behind RequireRole, so a user is present). */
export function ProfilePage() {
  const { user } = useCurrentUser();
  return (
    <Container size="sm" py="xl">
      <PageTitle>Profile</PageTitle>
      <Stack gap="lg">
        <Stack gap={4}>
          <Title order={1}>Profile</Title>
          <Text c="gray.7">How you appear to lawyers and when we show your session times.</Text>
        </Stack>
        {user && <AccountProfileForm key={user.id} user={user} />}
      </Stack>
    </Container>
  );
}
