import { Alert, Modal, Stack, Text, Textarea } from '@mantine/core';
import { useState } from 'react';
import { ConfirmActions } from '../../../components/confirm-actions';
import { describeContractError } from '../contract-errors';

export const REASON_MAX = 1000;

/**
 * Asks for the reason of a decline or a void (it goes into the signer events and the audit
 * trail, and the other party reads it), then confirms.
 */
export function ReasonModal({
  opened,
  title,
  explanation,
  confirmLabel,
  pending,
  error,
  onClose,
  onConfirm,
}: {
  opened: boolean;
  title: string;
  explanation: string;
  confirmLabel: string;
  pending: boolean;
  error: unknown;
  onClose: () => void;
  onConfirm: (reason: string) => void;
}) {
  return (
    <Modal opened={opened} onClose={onClose} title={title} centered>
      {opened && (
        <ReasonForm
          explanation={explanation}
          confirmLabel={confirmLabel}
          pending={pending}
          error={error}
          onClose={onClose}
          onConfirm={onConfirm}
        />
      )}
    </Modal>
  );
}

function ReasonForm({
  explanation,
  confirmLabel,
  pending,
  error,
  onClose,
  onConfirm,
}: {
  explanation: string;
  confirmLabel: string;
  pending: boolean;
  error: unknown;
  onClose: () => void;
  onConfirm: (reason: string) => void;
}) {
  const [reason, setReason] = useState('');
  const [checked, setChecked] = useState(false);
  const trimmed = reason.trim();
  const reasonError =
    checked && !trimmed ? 'Give a reason' : reason.length > REASON_MAX ? `Use at most ${REASON_MAX} characters` : undefined;
  return (
    <Stack gap="md">
      <Text size="sm">{explanation}</Text>
      <Textarea
        label="Reason"
        value={reason}
        onChange={(e) => setReason(e.currentTarget.value)}
        error={reasonError}
        description={`${reason.length} / ${REASON_MAX} characters`}
        required
        autosize
        minRows={3}
        data-autofocus
      />
      {error ? (
        <Alert color="red" role="alert">
          {describeContractError(error)}
        </Alert>
      ) : null}
      <ConfirmActions
        pending={pending}
        color="red"
        onCancel={onClose}
        onConfirm={() => {
          setChecked(true);
          if (trimmed && reason.length <= REASON_MAX) onConfirm(trimmed);
        }}
      >
        {confirmLabel}
      </ConfirmActions>
    </Stack>
  );
}
