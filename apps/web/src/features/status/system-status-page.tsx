import { Anchor, Container, Stack, Text } from '@mantine/core';
import { PageHeader } from '../../components/page-header';
import { ApiStatusCard } from './components/api-status-card';

/** `/admin/status`: live health of the API and its dependencies, for operators (not consumers). */
export function SystemStatusPage() {
  return (
    <Container size="sm" py="xl">
      <Stack gap="lg">
        <PageHeader title="System status" description="The API, its database, file storage and background jobs, checked live." />
        <ApiStatusCard />
        <Text size="sm" c="gray.7">
          Integrators: the{' '}
          <Anchor href="/api/docs" inherit underline="always">
            API documentation
          </Anchor>{' '}
          describes every endpoint.
        </Text>
      </Stack>
    </Container>
  );
}
