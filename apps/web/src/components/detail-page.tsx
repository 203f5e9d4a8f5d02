import { Anchor, Container, Stack } from '@mantine/core';
import type { UseQueryResult } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { Link } from 'react-router-dom';
import { ErrorState, LoadingState } from './query-state';

/** A page about one record: a link back to its list, then the record once loaded (or why not). */
export function DetailPage<T>({
  back,
  query,
  loadingLabel,
  children,
}: {
  back: { to: string; label: string };
  query: UseQueryResult<T>;
  loadingLabel: string;
  children: (data: T) => ReactNode;
}) {
  return (
    <Container size="lg" py="xl">
      <Stack gap="lg">
        <Anchor component={Link} to={back.to} size="sm">
          {back.label}
        </Anchor>
        {query.isPending ? (
          <LoadingState label={loadingLabel} />
        ) : query.isError ? (
          <ErrorState error={query.error} onRetry={() => void query.refetch()} />
        ) : (
          children(query.data)
        )}
      </Stack>
    </Container>
  );
}
