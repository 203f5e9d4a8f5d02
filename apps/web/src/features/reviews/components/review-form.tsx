import { Alert, Button, Group, Stack, Text, Textarea } from '@mantine/core';
import { useRef, useState, type FormEvent } from 'react';
import { describeError } from '../../../lib/errors';
import { fieldErrorsOf, useFocusFirstError } from '../../../lib/field-errors';
import { COMMENT_MAX, useSubmitReview } from '../reviews.queries';
import { StarRatingInput } from './star-rating-input';

/**
 * "Leave a review": the stars (required), an optional comment (at most 2000 characters, with a
 * counter), and a reminder that it cannot be changed afterwards. Checks run before sending; the
 * API's refusal (window closed meanwhile, already submitted) is shown above the button.
 */
export function ReviewForm({
  sessionId,
  counterpartName,
  onSubmitted,
}: {
  sessionId: string;
  counterpartName: string;
  onSubmitted?: () => void;
}) {
  const submit = useSubmitReview();
  const formRef = useRef<HTMLFormElement>(null);
  const [rating, setRating] = useState<number | null>(null);
  const [comment, setComment] = useState('');
  const [attempt, setAttempt] = useState(0);
  const [checked, setChecked] = useState(false);

  const local: Record<string, string> = {};
  if (checked && rating === null) local.rating = 'Choose from 1 to 5 stars';
  if (comment.length > COMMENT_MAX)
    local.comment = `Use at most ${COMMENT_MAX} characters (${comment.length - COMMENT_MAX} too many)`;
  const server = fieldErrorsOf(submit.error, { rating: { noun: 'a rating' }, comment: { noun: 'a comment' } });
  const errors = { ...server, ...local };
  useFocusFirstError(formRef, errors, attempt);
  const refusal = submit.error && Object.keys(server).length === 0 ? describeError(submit.error).message : null;

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    setChecked(true);
    setAttempt((n) => n + 1);
    if (rating === null || comment.length > COMMENT_MAX) return;
    submit.mutate({ sessionId, rating, comment: comment.trim() }, { onSuccess: () => onSubmitted?.() });
  };

  return (
    <form ref={formRef} onSubmit={onSubmit} noValidate aria-label="Leave a review">
      <Stack gap="md">
        <StarRatingInput
          label={`Your rating of ${counterpartName}`}
          value={rating}
          onChange={(value) => {
            setRating(value);
            submit.reset();
          }}
          error={errors.rating}
          required
        />
        <Textarea
          label="Comment (optional)"
          description={`What went well, what could be better. Shown with your rating; at most ${COMMENT_MAX} characters.`}
          value={comment}
          onChange={(e) => setComment(e.currentTarget.value)}
          error={errors.comment}
          autosize
          minRows={3}
          maxRows={10}
        />
        <Text size="xs" c={comment.length > COMMENT_MAX ? 'red.8' : 'gray.7'} ta="right" mt={-8} aria-live="polite">
          {comment.length} / {COMMENT_MAX} characters
        </Text>
        {refusal && (
          <Alert color="red" role="alert" title="Your review was not saved">
            {refusal}
          </Alert>
        )}
        <Group justify="space-between" align="center">
          <Text size="xs" c="gray.7" maw={420}>
            Reviews cannot be edited or deleted once submitted.
          </Text>
          <Button type="submit" loading={submit.isPending}>
            Submit review
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
