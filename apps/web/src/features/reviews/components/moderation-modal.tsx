import { Modal, Select, Stack, Text, Textarea } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { ConfirmActions } from '../../../components/confirm-actions';
import { isModerationReason, MODERATION_REASON_OPTIONS } from '../review-labels';
import { NOTE_MAX, useModerateReview, type ModerationAction, type ModerationReason, type ReviewTarget } from '../reviews.queries';

export interface ModerationRequest {
  reviewId: string;
  target: ReviewTarget;
  action: ModerationAction;
}

const TITLES: Record<ReviewTarget, Record<ModerationAction, string>> = {
  REVIEW: { HIDE: 'Hide this review', UNHIDE: 'Show this review again', DISMISS: 'Dismiss the reports of this review' },
  RESPONSE: {
    HIDE: 'Hide the lawyer’s response',
    UNHIDE: 'Show the lawyer’s response again',
    DISMISS: 'Dismiss the reports of the lawyer’s response',
  },
};

/**
 * Hide or unhide a review or its response, with a reason code and a note. The content never
 * changes; the decision is recorded for good, closes the open reports of that target and
 * recomputes the lawyer's rating.
 */
export function ModerationModal({ request, onClose }: { request: ModerationRequest | null; onClose: () => void }) {
  return (
    <Modal opened={request !== null} onClose={onClose} title={request ? TITLES[request.target][request.action] : ''} centered>
      {request && <ModerationForm key={`${request.target}-${request.action}`} request={request} onClose={onClose} />}
    </Modal>
  );
}

function ModerationForm({ request, onClose }: { request: ModerationRequest; onClose: () => void }) {
  const moderate = useModerateReview();
  const [reasonCode, setReasonCode] = useState<ModerationReason | null>(null);
  const [note, setNote] = useState('');
  const [checked, setChecked] = useState(false);
  const hiding = request.action === 'HIDE';
  const reasonError = checked && !reasonCode ? 'Choose a reason' : undefined;
  const noteError = note.length > NOTE_MAX ? `Use at most ${NOTE_MAX} characters` : undefined;

  const confirm = () => {
    setChecked(true);
    if (!reasonCode || noteError) return;
    moderate.mutate(
      { ...request, reasonCode, note },
      {
        onSuccess: () => {
          notifications.show({
            color: 'green',
            title: hiding ? 'Hidden' : request.action === 'DISMISS' ? 'Reports dismissed' : 'Visible again',
            message:
              request.action === 'DISMISS'
                ? 'The decision is recorded and the open reports are closed; the review stays as it is.'
                : 'The decision is recorded and the open reports are closed.',
          });
          onClose();
        },
      },
    );
  };

  return (
    <Stack gap="md">
      <Text size="sm">
        {hiding
          ? 'It disappears from the public page at once (a hidden review no longer counts in the rating). Its text is kept unchanged.'
          : 'It shows on the public page again and counts in the rating.'}{' '}
        The decision is permanent in the history and closes the open reports.
      </Text>
      <Select
        label="Reason"
        placeholder="Choose a reason"
        data={MODERATION_REASON_OPTIONS}
        value={reasonCode}
        onChange={(value) => setReasonCode(isModerationReason(value) ? value : null)}
        error={reasonError}
        required
        allowDeselect={false}
      />
      <Textarea
        label="Note (optional)"
        value={note}
        onChange={(e) => setNote(e.currentTarget.value)}
        error={noteError}
        description={`For the audit trail; ${note.length} / ${NOTE_MAX} characters.`}
        autosize
        minRows={2}
      />
      <ConfirmActions
        error={moderate.error}
        pending={moderate.isPending}
        color={hiding ? 'red' : undefined}
        onCancel={onClose}
        onConfirm={confirm}
      >
        {hiding ? 'Hide' : 'Unhide'}
      </ConfirmActions>
    </Stack>
  );
}
