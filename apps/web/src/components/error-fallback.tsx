import { Button, Code, Container, Group, Stack, Text, Title } from '@mantine/core';
import { describeError } from '../lib/errors';
import { PageTitle } from './page-title';

interface ErrorFallbackProps {
  error: unknown;
  onRetry?: () => void;
}

/**
 * The friendly full-page error used by the route errorElement and the top-level error
 * boundary. Plain anchors (not router links) so it also works outside the router.
 */
export function ErrorFallback({ error, onRetry }: ErrorFallbackProps) {
  const { title, message, requestId } = describeError(error);

  return (
    <Container size="sm" py={80}>
      <PageTitle>{title}</PageTitle>
      <Stack gap="md" role="alert">
        <Title order={1}>{title}</Title>
        <Text size="lg" c="gray.7">
          {message}
        </Text>
        {requestId && (
          <Text size="sm">
            If this keeps happening, contact support and quote request ID <Code>{requestId}</Code>.
          </Text>
        )}
        <Group mt="sm">
          {onRetry && <Button onClick={onRetry}>Try again</Button>}
          <Button component="a" href="/" variant="default">
            Go to the home page
          </Button>
        </Group>
      </Stack>
    </Container>
  );
}
