import { notifications } from '@mantine/notifications';
import { useCloseContract } from '../contracts.queries';
import { ReasonModal } from './reason-modal';

/** A party declines to sign, with a reason; `onDeclined` runs after the confirmation is shown. */
export function DeclineContractModal({
  contractId,
  opened,
  onClose,
  onDeclined,
}: {
  contractId: string;
  opened: boolean;
  onClose: () => void;
  onDeclined?: () => void;
}) {
  const decline = useCloseContract('decline');
  return (
    <ReasonModal
      opened={opened}
      title="Decline to sign?"
      explanation="The contract closes and nobody can sign it any more. The other party sees your reason."
      confirmLabel="Decline"
      pending={decline.isPending}
      error={decline.error}
      onClose={onClose}
      onConfirm={(reason) =>
        decline.mutate(
          { id: contractId, reason },
          {
            onSuccess: () => {
              onClose();
              notifications.show({ color: 'green', title: 'Declined', message: 'The other party has been told.' });
              onDeclined?.();
            },
          },
        )
      }
    />
  );
}
