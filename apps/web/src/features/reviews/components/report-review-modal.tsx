import { Modal, Select, Stack, Text, Textarea } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { ConfirmActions } from '../../../components/confirm-actions';
import { isReportReason, REPORT_REASON_OPTIONS, TARGET_LABELS } from '../review-labels';
import { NOTE_MAX, useReportReview, type ReportReason, type ReviewTarget } from '../reviews.queries';

export interface ReportRequest {
  reviewId: string;
  target: ReviewTarget;
}

/** Reports a review (or its response) to the moderators, with a reason and an optional note. */
export function ReportReviewModal({ request, onClose }: { request: ReportRequest | null; onClose: () => void }) {
  return (
    <Modal
      opened={request !== null}
      onClose={onClose}
      title={request?.target === 'RESPONSE' ? 'Report this response' : 'Report this review'}
      centered
    >
      {request && <ReportForm key={`${request.reviewId}-${request.target}`} request={request} onClose={onClose} />}
    </Modal>
  );
}

function ReportForm({ request, onClose }: { request: ReportRequest; onClose: () => void }) {
  const report = useReportReview();
  const [reason, setReason] = useState<ReportReason | null>(null);
  const [note, setNote] = useState('');
  const [checked, setChecked] = useState(false);
  const reasonError = checked && !reason ? 'Choose a reason' : undefined;
  const noteError = note.length > NOTE_MAX ? `Use at most ${NOTE_MAX} characters` : undefined;

  const confirm = () => {
    setChecked(true);
    if (!reason || noteError) return;
    report.mutate(
      { ...request, reason, note },
      {
        onSuccess: () => {
          notifications.show({ color: 'green', title: 'Report sent', message: 'Our moderators will look at it.' });
          onClose();
        },
      },
    );
  };

  return (
    <Stack gap="md">
      <Text size="sm">
        {TARGET_LABELS[request.target]} stays visible while a moderator reviews the report. Reports are confidential.
      </Text>
      <Select
        label="Reason"
        placeholder="Choose a reason"
        data={REPORT_REASON_OPTIONS}
        value={reason}
        onChange={(value) => setReason(isReportReason(value) ? value : null)}
        error={reasonError}
        required
        allowDeselect={false}
      />
      <Textarea
        label="Note for the moderators (optional)"
        value={note}
        onChange={(e) => setNote(e.currentTarget.value)}
        error={noteError}
        description={`${note.length} / ${NOTE_MAX} characters`}
        autosize
        minRows={2}
      />
      <ConfirmActions error={report.error} pending={report.isPending} color="red" onCancel={onClose} onConfirm={confirm}>
        Send report
      </ConfirmActions>
    </Stack>
  );
}
