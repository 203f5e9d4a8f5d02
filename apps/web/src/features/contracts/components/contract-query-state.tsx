import { ApiError } from '@lm/api-client';
import { Container } from '@mantine/core';
import type { UseQueryResult } from '@tanstack/react-query';
import type { ReactElement } from 'react';
import { NotFoundPage } from '../../../app/not-found-page';
import { ErrorState, LoadingState } from '../../../components/query-state';
import type { ContractDetail } from '../contracts.types';

/**
 * What a contract page shows before it has its contract: a loading state, the not-found page
 * (someone else's contract, a draft not yet sent to a client, or a malformed id: the API says
 * 404 or 400 and never which), or the error with a retry. Null once the contract is loaded.
 */
export function contractQueryFallback(contract: UseQueryResult<ContractDetail>, loadingLabel: string): ReactElement | null {
  if (contract.isPending) return <LoadingState label={loadingLabel} />;
  if (!contract.isError) return null;
  if (contract.error instanceof ApiError && (contract.error.status === 404 || contract.error.status === 400))
    return <NotFoundPage />;
  return (
    <Container size="md" py="xl">
      <ErrorState error={contract.error} onRetry={() => void contract.refetch()} />
    </Container>
  );
}
