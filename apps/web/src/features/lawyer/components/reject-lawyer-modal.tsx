import { Button, Group, Modal, Stack, Textarea } from '@mantine/core';
import { useState } from 'react';
import { fieldErrorsOf } from '../../../lib/field-errors';
import { useDecideLawyer, type AdminLawyer } from '../lawyer.queries';

/** Rejects (or revokes) a lawyer with a reason the lawyer will read. */
export function RejectLawyerModal({ lawyer, onClose, onRejected }: { lawyer: AdminLawyer | null; onClose: () => void; onRejected?: () => void }) {
  const [reason, setReason] = useState('');
  const decide = useDecideLawyer();
  const rejectErrors = fieldErrorsOf(decide.error);

  const close = () => {
    setReason('');
    decide.reset();
    onClose();
  };

  return (
    <Modal
      opened={lawyer !== null}
      onClose={close}
      title={`${lawyer?.status === 'VERIFIED' ? 'Revoke' : 'Reject'} ${lawyer?.displayName ?? ''}`}
      centered
      closeButtonProps={{ 'aria-label': 'Close' }}
    >
      {lawyer && (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            decide.mutate({ id: lawyer.userId, verdict: 'reject', reason: reason.trim() }, {
              onSuccess: () => {
                close();
                onRejected?.();
              },
            });
          }}
        >
          <Stack gap="md">
            <Textarea
              label="Reason"
              description="Shown to the lawyer, who can fix the profile and resubmit."
              required
              autosize
              minRows={3}
              value={reason}
              onChange={(e) => setReason(e.currentTarget.value)}
              error={rejectErrors.reason}
              data-autofocus
            />
            <Group justify="flex-end">
              <Button variant="default" onClick={close}>
                Cancel
              </Button>
              <Button type="submit" color="red" loading={decide.isPending} disabled={!reason.trim()}>
                Reject
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}
