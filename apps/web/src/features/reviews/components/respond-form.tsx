import { Alert, Button, Group, Stack, Textarea } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { describeError } from '../../../lib/errors';
import { RESPONSE_MAX, useRespondToReview } from '../reviews.queries';

/** The lawyer's one public response to a review. It cannot be changed once published. */
export function RespondForm({ reviewId, onDone }: { reviewId: string; onDone: () => void }) {
  const respond = useRespondToReview();
  const [body, setBody] = useState('');
  const [checked, setChecked] = useState(false);
  const error =
    checked && !body.trim()
      ? 'Write your response'
      : body.length > RESPONSE_MAX
        ? `Use at most ${RESPONSE_MAX} characters`
        : undefined;

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    setChecked(true);
    if (!body.trim() || body.length > RESPONSE_MAX) return;
    respond.mutate({ reviewId, body: body.trim() }, { onSuccess: onDone });
  };

  return (
    <form onSubmit={onSubmit} noValidate aria-label="Respond to this review">
      <Stack gap="xs">
        <Textarea
          label="Your public response"
          description={`Shown under the review on your profile. One response per review; it cannot be edited. ${body.length} / ${RESPONSE_MAX} characters.`}
          value={body}
          onChange={(e) => setBody(e.currentTarget.value)}
          error={error}
          autosize
          minRows={3}
          required
          data-autofocus
        />
        {respond.error ? (
          <Alert color="red" role="alert">
            {describeError(respond.error).message}
          </Alert>
        ) : null}
        <Group justify="flex-end" gap="xs">
          <Button variant="default" onClick={onDone}>
            Cancel
          </Button>
          <Button type="submit" loading={respond.isPending}>
            Publish response
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
