import { formatMoney } from '@lm/domain';
import { Alert, Button, Group, Modal, Stack, Text, Textarea } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { ErrorState, LoadingState } from '../../../components/query-state';
import { describeError } from '../../../lib/errors';
import { POLICY_TEXT } from '../session-labels';
import { cancellationQuoteQueryOptions, useCancelSession, type CancelResult } from '../sessions.queries';

interface CancelSessionModalProps {
  sessionId: string;
  /** "Initial consultation with Ana López" — what is being cancelled. */
  subject: string;
  opened: boolean;
  onClose: () => void;
  onCancelled?: (result: CancelResult) => void;
  locale: string;
}

/**
 * Cancels a session after showing what the policy refunds right now
 * (`GET /api/sessions/:id/cancellation-quote`); the server decides again when cancelling.
 */
export function CancelSessionModal({ sessionId, subject, opened, onClose, onCancelled, locale }: CancelSessionModalProps) {
  const quote = useQuery({ ...cancellationQuoteQueryOptions(sessionId), enabled: opened });
  const cancel = useCancelSession();
  const [reason, setReason] = useState('');

  const close = () => {
    cancel.reset();
    setReason('');
    onClose();
  };

  return (
    <Modal opened={opened} onClose={close} title="Cancel this session?" centered>
      <Stack gap="md">
        <Text size="sm">{subject}</Text>
        {quote.isPending ? (
          <LoadingState label="Working out the refund" />
        ) : quote.isError ? (
          <ErrorState error={quote.error} onRetry={() => void quote.refetch()} />
        ) : (
          <Alert
            color={quote.data.refundMinor > 0 ? 'green' : 'orange'}
            title={
              quote.data.refundMinor > 0
                ? `Refund: ${formatMoney(quote.data.refundMinor, quote.data.currency, locale)}`
                : 'No refund'
            }
          >
            {POLICY_TEXT[quote.data.policy]}
          </Alert>
        )}
        <Textarea
          data-autofocus
          label="Reason (optional)"
          description="Shown to the other participant."
          value={reason}
          onChange={(e) => setReason(e.currentTarget.value)}
          maxLength={500}
          autosize
          minRows={2}
        />
        {cancel.isError && (
          <Alert color="red" role="alert" title="Could not cancel">
            {describeError(cancel.error).message}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={close} disabled={cancel.isPending}>
            Keep the session
          </Button>
          <Button
            color="red"
            loading={cancel.isPending}
            disabled={!quote.isSuccess}
            onClick={() =>
              cancel.mutate(
                { sessionId, reason: reason.trim() || undefined },
                {
                  onSuccess: (result) => {
                    onCancelled?.(result);
                    close();
                  },
                },
              )
            }
          >
            Confirm cancellation
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
