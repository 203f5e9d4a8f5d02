import { formatMoney } from '@lm/domain';
import { Alert, Modal, Stack, Text, Textarea } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { ConfirmActions } from '../../../components/confirm-actions';
import { formatDate } from '../../../lib/time';
import { useTimeZone } from '../../auth/use-time-zone';
import { useReversePayout } from '../finance.queries';
import type { Payout } from '../finance.types';
import { describePayoutError } from '../payout-errors';

export const REASON_MAX = 500;

/**
 * "Reverse" a payout recorded by mistake: the ledger gets the exact mirror of the payout (the
 * payee is owed the amount again); nothing is deleted. A reason is required, for the audit trail.
 */
export function ReversePayoutModal({ payout, onClose }: { payout: Payout | null; onClose: () => void }) {
  return (
    <Modal opened={payout !== null} onClose={onClose} title="Reverse this payout?" centered>
      {payout && <ReverseForm payout={payout} onClose={onClose} />}
    </Modal>
  );
}

function ReverseForm({ payout, onClose }: { payout: Payout; onClose: () => void }) {
  const { zone, locale } = useTimeZone();
  const reverse = useReversePayout();
  const [reason, setReason] = useState('');
  const [checked, setChecked] = useState(false);
  const trimmed = reason.trim();
  const reasonError = !checked
    ? undefined
    : !trimmed
      ? 'Say why the payout is reversed'
      : trimmed.length > REASON_MAX
        ? `Use at most ${REASON_MAX} characters (now ${trimmed.length})`
        : undefined;
  const amount = formatMoney(payout.amountMinor, payout.currency, locale);
  const problem = reverse.error
    ? describePayoutError(reverse.error, { payeeName: payout.payeeName, currency: payout.currency, locale })
    : null;

  const confirm = () => {
    setChecked(true);
    if (!trimmed || trimmed.length > REASON_MAX) return;
    reverse.mutate(
      { id: payout.id, reason: trimmed },
      {
        onSuccess: () => {
          notifications.show({
            color: 'green',
            title: 'Payout reversed',
            message: `${payout.payeeName} is owed ${amount} again.`,
          });
          onClose();
        },
      },
    );
  };

  return (
    <Stack gap="md">
      <Text size="sm">
        The payout of{' '}
        <Text span fw={700}>
          {amount}
        </Text>{' '}
        to{' '}
        <Text span fw={700}>
          {payout.payeeName}
        </Text>{' '}
        on {formatDate(payout.paidAt, zone, locale)} (reference “{payout.reference}”) is reversed in the ledger: they are owed the
        amount again, and get an email. The payout stays in the history, marked reversed.
      </Text>
      <Textarea
        label="Reason"
        value={reason}
        onChange={(e) => setReason(e.currentTarget.value)}
        error={reasonError}
        description={`For the payee and the audit trail; ${trimmed.length} / ${REASON_MAX} characters.`}
        required
        autosize
        minRows={2}
      />
      {problem && (
        <Alert color="red" role="alert">
          {problem.message}
        </Alert>
      )}
      <ConfirmActions pending={reverse.isPending} color="red" onCancel={onClose} onConfirm={confirm}>
        Reverse payout
      </ConfirmActions>
    </Stack>
  );
}
