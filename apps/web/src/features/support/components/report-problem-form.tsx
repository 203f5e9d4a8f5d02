import { ApiError } from '@lm/api-client';
import { Alert, Anchor, Button, Group, Radio, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { useRef, useState, type FormEvent } from 'react';
import { Link } from 'react-router-dom';
import { paths } from '../../../app/paths';
import { describeError } from '../../../lib/errors';
import { fieldErrorsOf, useFocusFirstError } from '../../../lib/field-errors';
import { CATEGORY_LABEL, categoriesFor, isNoShow, noShowWindow, NO_SHOW_REPORT_HOURS, type ViewerSide } from '../support-labels';
import { useOpenTicket, type SupportTicket, type TicketCategory } from '../support.queries';

export const DESCRIPTION_MIN = 10;
export const DESCRIPTION_MAX = 5000;
export const SUBJECT_MAX = 140;

export interface ReportedSession {
  id: string;
  status: string;
  startAt: string | null;
  endAt: string | null;
}

interface ReportProblemFormProps {
  /** The session the problem is about; without it, a general message to support. */
  session?: ReportedSession;
  /** The viewer's side in that session: it decides which no-show they may report. */
  side: ViewerSide | null;
  /** Called after "Cancel" (only shown when given). */
  onCancel?: () => void;
}

type Errors = Partial<Record<'category' | 'subject' | 'description', string>>;

function validate(category: TicketCategory | null, subject: string, description: string): Errors {
  const errors: Errors = {};
  if (!category) errors.category = 'Choose what the problem is about.';
  if (subject.trim().length > SUBJECT_MAX) errors.subject = `Use at most ${SUBJECT_MAX} characters.`;
  const length = description.trim().length;
  if (length === 0) errors.description = 'Describe the problem.';
  else if (length < DESCRIPTION_MIN) errors.description = `Describe the problem in at least ${DESCRIPTION_MIN} characters.`;
  else if (length > DESCRIPTION_MAX) errors.description = `Use at most ${DESCRIPTION_MAX} characters.`;
  return errors;
}

/** The API's refusals, in words that say what to do next. */
function refusalOf(error: unknown): { title: string; message: string; showTickets?: boolean } | null {
  if (!(error instanceof ApiError))
    return error ? { title: 'Could not send the report', message: describeError(error).message } : null;
  if (error.fields?.length) return null;
  switch (error.code) {
    case 'NO_SHOW_ALREADY_REPORTED':
      return {
        title: 'Already reported',
        message:
          'This no-show has already been reported for this session. Support is looking into it; you can follow it in your tickets.',
        showTickets: true,
      };
    case 'NO_SHOW_REPORT_NOT_ALLOWED':
      return {
        title: 'The report window is closed',
        message: `A no-show can be reported only from the session's start until ${NO_SHOW_REPORT_HOURS} hours after its scheduled end. For anything else, choose another category.`,
      };
    case 'SESSION_NOT_FOUND':
      return { title: 'Session not found', message: 'This session is not one of yours, so it cannot be reported here.' };
    default:
      return { title: 'Could not send the report', message: describeError(error).message };
  }
}

/**
 * "Report a problem": what kind (for a session, the no-show of the other side among them),
 * an optional subject and a description with a counter. Checked here first, then by the API;
 * its refusals (already reported, window closed) are explained above the button. After sending,
 * the form gives way to a link to the new ticket.
 */
export function ReportProblemForm({ session, side, onCancel }: ReportProblemFormProps) {
  const open = useOpenTicket();
  const [category, setCategory] = useState<TicketCategory | null>(null);
  const [subject, setSubject] = useState('');
  const [description, setDescription] = useState('');
  const [attempt, setAttempt] = useState(0);
  const [shown, setShown] = useState<Errors>({});
  const [created, setCreated] = useState<SupportTicket | null>(null);
  const formRef = useRef<HTMLFormElement>(null);
  const noShow = session ? noShowWindow(session) : null;

  const serverFields = fieldErrorsOf(open.error, {
    description: { blank: 'Describe the problem.', noun: 'a description' },
    subject: { noun: 'a subject' },
    category: { noun: 'a category' },
  });
  const errors: Errors = {
    ...shown,
    ...(serverFields.category ? { category: serverFields.category } : {}),
    ...(serverFields.subject ? { subject: serverFields.subject } : {}),
    ...(serverFields.description ? { description: serverFields.description } : {}),
  };
  useFocusFirstError(formRef, errors as Record<string, string>, attempt);
  const refusal = refusalOf(open.error);

  if (created) {
    return (
      <Alert color="green" title="Report sent" role="status">
        <Stack gap="xs">
          <Text size="sm">Support will look into it and answer in the ticket; you will also get an email when they do.</Text>
          <Group>
            <Anchor component={Link} to={paths.support.ticket(created.id)} size="sm" fw={600}>
              View your ticket
            </Anchor>
          </Group>
        </Stack>
      </Alert>
    );
  }

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const found = validate(category, subject, description);
    setShown(found);
    setAttempt((n) => n + 1);
    if (Object.keys(found).length > 0 || !category) return;
    open.mutate(
      {
        category,
        description: description.trim(),
        ...(subject.trim() ? { subject: subject.trim() } : {}),
        ...(session ? { sessionId: session.id } : {}),
      },
      { onSuccess: setCreated },
    );
  };

  const length = description.trim().length;
  return (
    <form
      ref={formRef}
      onSubmit={submit}
      noValidate
      aria-label={session ? 'Report a problem with this session' : 'Contact support'}
    >
      <Stack gap="md">
        <Radio.Group
          label="What is the problem?"
          withAsterisk
          value={category}
          onChange={(value) => {
            setCategory(value as TicketCategory);
            setShown((e) => ({ ...e, category: undefined }));
            open.reset();
          }}
          error={errors.category}
        >
          <Stack gap={8} mt={6}>
            {categoriesFor(session ? side : null).map((c) => {
              const closed = isNoShow(c) && noShow && !noShow.open ? noShow.reason : null;
              return (
                <Radio
                  key={c}
                  value={c}
                  label={CATEGORY_LABEL[c]}
                  disabled={closed !== null}
                  description={
                    closed ??
                    (isNoShow(c)
                      ? 'Support checks the call records and decides; a lawyer no-show is refunded in full.'
                      : undefined)
                  }
                />
              );
            })}
          </Stack>
        </Radio.Group>
        <TextInput
          label="Subject (optional)"
          value={subject}
          onChange={(e) => setSubject(e.currentTarget.value)}
          error={errors.subject}
          maxLength={SUBJECT_MAX}
        />
        <Textarea
          label="Describe what happened"
          withAsterisk
          description={`${length} / ${DESCRIPTION_MAX} characters (at least ${DESCRIPTION_MIN}). Do not include card numbers or passwords.`}
          value={description}
          onChange={(e) => {
            setDescription(e.currentTarget.value);
            if (shown.description) setShown((s) => ({ ...s, description: undefined }));
          }}
          error={errors.description}
          autosize
          minRows={4}
          maxRows={12}
        />
        {refusal && (
          <Alert color="red" role="alert" title={refusal.title}>
            <Stack gap={4}>
              <Text size="sm">{refusal.message}</Text>
              {refusal.showTickets && (
                <Anchor component={Link} to={paths.support.tickets} size="sm">
                  My support tickets
                </Anchor>
              )}
            </Stack>
          </Alert>
        )}
        <Group justify="flex-end">
          {onCancel && (
            <Button variant="default" onClick={onCancel} disabled={open.isPending}>
              Cancel
            </Button>
          )}
          <Button type="submit" loading={open.isPending}>
            Send report
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
