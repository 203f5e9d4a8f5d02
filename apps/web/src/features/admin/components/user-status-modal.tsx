import { Modal, Stack, Text } from '@mantine/core';
import { ConfirmActions } from '../../../components/confirm-actions';
import { useSetUserStatus } from '../admin.queries';
import type { UserStatusAction } from './users-table';

/** Asks before suspending or reactivating an account, then does it. */
export function UserStatusModal({ pending, onClose }: { pending: UserStatusAction | null; onClose: () => void }) {
  const setUserStatus = useSetUserStatus();
  const confirm = () => {
    if (!pending) return;
    setUserStatus.mutate({ id: pending.user.id, action: pending.action }, { onSettled: onClose });
  };

  return (
    <Modal
      opened={pending !== null}
      onClose={onClose}
      title={pending?.action === 'suspend' ? 'Suspend this account?' : 'Reactivate this account?'}
      centered
    >
      {pending && (
        <Stack gap="md">
          <Text size="sm">
            {pending.action === 'suspend'
              ? `${pending.user.displayName} (${pending.user.email}) will be signed out everywhere and cannot sign in until reactivated.`
              : `${pending.user.displayName} (${pending.user.email}) will be able to sign in again.`}
          </Text>
          <ConfirmActions
            pending={setUserStatus.isPending}
            color={pending.action === 'suspend' ? 'red' : undefined}
            onCancel={onClose}
            onConfirm={confirm}
          >
            {pending.action === 'suspend' ? 'Suspend' : 'Reactivate'}
          </ConfirmActions>
        </Stack>
      )}
    </Modal>
  );
}
