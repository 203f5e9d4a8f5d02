import { Alert, Modal, Stack, Text, Textarea } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { ConfirmActions } from '../../../components/confirm-actions';
import { describeError } from '../../../lib/errors';
import { useReissueStatement } from '../finance.queries';
import type { Statement } from '../finance.types';
import { REASON_MAX } from './reverse-payout-modal';

/** "Re-issue": a corrected statement with a new number that supersedes this one (which stays, marked superseded). */
export function ReissueStatementModal({ statement, onClose }: { statement: Statement | null; onClose: () => void }) {
  return (
    <Modal opened={statement !== null} onClose={onClose} title={statement ? `Re-issue ${statement.number}?` : ''} centered>
      {statement && <ReissueForm statement={statement} onClose={onClose} />}
    </Modal>
  );
}

function ReissueForm({ statement, onClose }: { statement: Statement; onClose: () => void }) {
  const reissue = useReissueStatement();
  const [reason, setReason] = useState('');
  const [checked, setChecked] = useState(false);
  const trimmed = reason.trim();
  const reasonError = !checked
    ? undefined
    : !trimmed
      ? 'Say what the new statement corrects'
      : trimmed.length > REASON_MAX
        ? `Use at most ${REASON_MAX} characters (now ${trimmed.length})`
        : undefined;
  const problem =
    reissue.error && (reissue.error as { code?: string }).code === 'STATEMENT_ALREADY_SUPERSEDED'
      ? 'This statement has already been replaced by a corrected one; re-issue the newest one instead.'
      : reissue.error
        ? describeError(reissue.error).message
        : null;

  const confirm = () => {
    setChecked(true);
    if (!trimmed || trimmed.length > REASON_MAX) return;
    reissue.mutate(
      { id: statement.id, reason: trimmed },
      {
        onSuccess: (created) => {
          notifications.show({
            color: 'green',
            title: 'Statement re-issued',
            message: `${created.number} supersedes ${statement.number}.`,
          });
          onClose();
        },
      },
    );
  };

  return (
    <Stack gap="md">
      <Text size="sm">
        A new statement with a new number is issued from the ledger as it is now, and supersedes {statement.number}. Issued
        statements never change: the old one stays, marked superseded.
      </Text>
      <Textarea
        label="Reason"
        value={reason}
        onChange={(e) => setReason(e.currentTarget.value)}
        error={reasonError}
        description={`Shown on the new statement; ${trimmed.length} / ${REASON_MAX} characters.`}
        required
        autosize
        minRows={2}
      />
      {problem && (
        <Alert color="red" role="alert">
          {problem}
        </Alert>
      )}
      <ConfirmActions pending={reissue.isPending} onCancel={onClose} onConfirm={confirm}>
        Re-issue
      </ConfirmActions>
    </Stack>
  );
}
