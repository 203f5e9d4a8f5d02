import { Button, Container, Stack, Text, Title } from '@mantine/core';
import { Link } from 'react-router-dom';
import { PageTitle } from '../components/page-title';
import { paths } from './paths';

export function NotFoundPage() {
  return (
    <Container size="sm" py={80}>
      <PageTitle>Page not found</PageTitle>
      <Stack gap="md" align="flex-start">
        <Text c="indigo.7" fw={700} ff="monospace" aria-hidden>
          404
        </Text>
        <Title order={1}>Page not found</Title>
        <Text size="lg" c="gray.7">
          The page you are looking for does not exist or has moved.
        </Text>
        <Button component={Link} to={paths.home} mt="sm">
          Back to the home page
        </Button>
      </Stack>
    </Container>
  );
}
