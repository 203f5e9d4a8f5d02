import { ApiError } from '@lm/api-client';
import { formatMoney } from '@lm/domain';
import { Alert, Badge, Button, Group, Modal, Paper, Stack, Text, Textarea, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { ConfirmActions } from '../../../components/confirm-actions';
import { REFUND_LOOK } from '../../sessions/session-labels';
import { DECISION_LOOK, RESOLUTION_TEXT } from '../support-labels';
import { useResolveNoShow, type AdminSupportTicketDetail, type NoShowDecision } from '../support.queries';

/** The API's limit for a decision's or a status change's note. */
export const NOTE_MAX = 2000;
const DECISIONS: NoShowDecision[] = ['LAWYER_NO_SHOW', 'CLIENT_NO_SHOW', 'DISMISS'];

/** The API's refusal of a decision, in words for the admin. */
function resolutionError(error: unknown): unknown {
  if (error instanceof ApiError && error.code === 'TICKET_ALREADY_RESOLVED') {
    return new ApiError({
      status: error.status,
      code: error.code,
      message: 'This report was already decided differently (perhaps by another admin). Reload to see the decision.',
      requestId: error.requestId,
    });
  }
  return error;
}

/**
 * The decision on a no-show report: before it, three buttons, each asking for confirmation with
 * its consequence spelled out and an optional note; after it, the outcome and the refund's state.
 */
export function NoShowResolution({ ticket: t, locale }: { ticket: AdminSupportTicketDetail; locale: string }) {
  const resolve = useResolveNoShow(t.id);
  const [pending, setPending] = useState<NoShowDecision | null>(null);
  const [note, setNote] = useState('');
  const close = () => {
    setPending(null);
    setNote('');
    resolve.reset();
  };
  const confirm = () => {
    if (!pending) return;
    resolve.mutate(
      { decision: pending, ...(note.trim() ? { note: note.trim() } : {}) },
      {
        onSuccess: () => {
          notifications.show({ color: 'green', title: 'Decision recorded', message: 'The reporter has been told.' });
          close();
        },
      },
    );
  };

  return (
    <Paper withBorder p="lg" radius="md" component="section" aria-labelledby="resolution-heading">
      <Stack gap="md">
        <Title order={2} fz="lg" id="resolution-heading">
          No-show decision
        </Title>
        {t.resolution ? (
          <Outcome ticket={t} locale={locale} />
        ) : (
          <>
            <Text size="sm" c="gray.7">
              Read the attendance evidence and the thread first. The decision changes the session and, for a lawyer no-show,
              refunds the client; it cannot be undone here.
            </Text>
            <Group gap="sm">
              {DECISIONS.map((d) => (
                <Button
                  key={d}
                  color={DECISION_LOOK[d].color}
                  variant={d === 'DISMISS' ? 'default' : 'light'}
                  onClick={() => setPending(d)}
                >
                  {DECISION_LOOK[d].button}
                </Button>
              ))}
            </Group>
          </>
        )}
      </Stack>
      <Modal opened={pending !== null} onClose={close} title={pending ? DECISION_LOOK[pending].title : ''} centered>
        {pending && (
          <Stack gap="md">
            <Text size="sm">{DECISION_LOOK[pending].consequence}</Text>
            <Textarea
              label="Note (optional)"
              description={`Kept with the decision and shown to the reporter. ${note.trim().length} / ${NOTE_MAX} characters.`}
              value={note}
              onChange={(e) => setNote(e.currentTarget.value)}
              maxLength={NOTE_MAX}
              autosize
              minRows={2}
            />
            <ConfirmActions
              error={resolve.isError ? resolutionError(resolve.error) : null}
              pending={resolve.isPending}
              color={DECISION_LOOK[pending].color}
              onCancel={close}
              onConfirm={confirm}
            >
              {pending === 'DISMISS' ? 'Dismiss the report' : 'Confirm decision'}
            </ConfirmActions>
          </Stack>
        )}
      </Modal>
    </Paper>
  );
}

function Outcome({ ticket: t, locale }: { ticket: AdminSupportTicketDetail; locale: string }) {
  if (!t.resolution) return null;
  const refunds = t.session?.refunds ?? [];
  return (
    <Alert color={t.resolution === 'DISMISSED' ? 'gray' : 'green'} title="Decided" role="status">
      <Stack gap={6}>
        <Text size="sm">{RESOLUTION_TEXT[t.resolution]}</Text>
        {t.resolutionNote && <Text size="sm">Note: “{t.resolutionNote}”</Text>}
        {t.resolution === 'LAWYER_NO_SHOW' &&
          (refunds.length === 0 ? (
            <Text size="sm">No refund is recorded for the session (nothing was left to refund).</Text>
          ) : (
            <Stack gap={4} component="ul" aria-label="Refunds" p={0} m={0} style={{ listStyle: 'none' }}>
              {refunds.map((r) => (
                <Group component="li" key={r.id} gap="xs">
                  <Text size="sm">Refund of {formatMoney(r.amountMinor, r.currency, locale)}</Text>
                  <Badge size="sm" variant="light" tt="none" color={REFUND_LOOK[r.status].color}>
                    {REFUND_LOOK[r.status].label}
                  </Badge>
                </Group>
              ))}
            </Stack>
          ))}
      </Stack>
    </Alert>
  );
}
