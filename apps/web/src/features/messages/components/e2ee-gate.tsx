import { useQueryClient } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { LoadingState } from '../../../components/query-state';
import { useE2ee, useE2eeStatus } from '../e2ee-context';
import { messagesKeys } from '../messages.keys';
import { E2eeErrorState } from './e2ee-error-state';
import { RestoreKeys } from './restore-keys';
import { SetUpKeys } from './set-up-keys';

/**
 * Shows `children` once this device has its keys; before that, the first-use set-up or the
 * restore screen. After either, everything cached for this user is read again with the keys.
 */
export function E2eeGate({ children }: { children: ReactNode }) {
  const { userId } = useE2ee();
  const status = useE2eeStatus();
  const queryClient = useQueryClient();
  const done = () => void queryClient.invalidateQueries({ queryKey: messagesKeys.user(userId) });

  if (status.isPending) return <LoadingState label="Checking this device’s keys" />;
  if (status.isError) return <E2eeErrorState error={status.error} onRetry={() => void status.refetch()} />;
  switch (status.data) {
    case 'needs-setup':
      return <SetUpKeys onDone={done} />;
    case 'needs-restore':
      return <RestoreKeys onDone={done} />;
    case 'ready':
      return children;
  }
}
