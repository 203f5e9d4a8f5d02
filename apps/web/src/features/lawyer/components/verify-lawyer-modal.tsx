import { List, Modal, Stack, Text } from '@mantine/core';
import { ConfirmActions } from '../../../components/confirm-actions';
import { useDecideLawyer, type AdminLawyer } from '../lawyer.queries';

/** Asks before verifying: the profile becomes public and bookable at once. */
export function VerifyLawyerModal({ lawyer, onClose, onVerified }: { lawyer: AdminLawyer | null; onClose: () => void; onVerified?: () => void }) {
  const decide = useDecideLawyer();
  const close = () => {
    decide.reset();
    onClose();
  };
  return (
    <Modal
      opened={lawyer !== null}
      onClose={close}
      title={`Verify ${lawyer?.displayName ?? ''}?`}
      centered
      closeButtonProps={{ 'aria-label': 'Close' }}
    >
      {lawyer && (
        <Stack gap="md">
          <Text size="sm">Verifying confirms that you checked:</Text>
          <List size="sm" spacing={4}>
            <List.Item>
              bar number {lawyer.barNumber ?? '—'} with {lawyer.barJurisdiction ?? 'no bar given'};
            </List.Item>
            <List.Item>{lawyer.licence ? 'the uploaded licence document;' : 'the licence (no document was uploaded);'}</List.Item>
            <List.Item>the profile text and photo.</List.Item>
          </List>
          <Text size="sm">The profile becomes public and clients can book and pay at once.</Text>
          <ConfirmActions
            error={decide.error}
            pending={decide.isPending}
            onCancel={close}
            onConfirm={() =>
              decide.mutate(
                { id: lawyer.userId, verdict: 'verify' },
                {
                  onSuccess: () => {
                    close();
                    onVerified?.();
                  },
                },
              )
            }
          >
            Verify
          </ConfirmActions>
        </Stack>
      )}
    </Modal>
  );
}
