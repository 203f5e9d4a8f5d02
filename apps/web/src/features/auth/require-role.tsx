import type { Role } from '@lm/domain';
import { Center, Container, Loader, Stack, Text, Title } from '@mantine/core';
import { Navigate, Outlet, useLocation } from 'react-router-dom';
import { paths } from '../../app/paths';
import { PageTitle } from '../../components/page-title';
import { useCurrentUser } from './use-current-user';

/**
 * Layout route guarding a role's pages: anonymous visitors go to sign-in (with the page
 * they wanted in `state.from`), other roles see an access-denied page. The API enforces
 * the same rule; this only keeps people out of screens that would fail.
 */
/** Without `role`, any signed-in account may enter; with a list, any of those roles. */
export function RequireRole({ role }: { role?: Role | readonly Role[] }) {
  const { user, isLoading } = useCurrentUser();
  const location = useLocation();

  if (isLoading) {
    return (
      <Center py={80}>
        <Loader role="progressbar" aria-label="Loading your account" />
      </Center>
    );
  }
  if (!user) {
    return <Navigate to={paths.signIn} replace state={{ from: `${location.pathname}${location.search}` }} />;
  }
  const allowed = role === undefined || (typeof role === 'string' ? user.role === role : role.includes(user.role));
  if (!allowed) {
    return (
      <Container size="sm" py={80}>
        <PageTitle>Access denied</PageTitle>
        <Stack gap="md">
          <Title order={1}>Access denied</Title>
          <Text size="lg" c="gray.7">
            This area is not available to your account.
          </Text>
        </Stack>
      </Container>
    );
  }
  return <Outlet />;
}
