import { Alert, Badge, Button, Group, Paper, Stack, Text, Textarea, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import { paths } from '../../../app/paths';
import { formatDateTime } from '../../../lib/time';
import { useCurrentUser } from '../../auth/use-current-user';
import { useTimeZone } from '../../auth/use-time-zone';
import { E2eeProvider, useE2ee, useE2eeStatus } from '../../messages/e2ee-context';
import { e2eeErrorMessage, isServerError } from '../../messages/e2ee-errors';
import { MAX_NOTE_BYTES, noteBodyBytes } from '../../messages/message-limits';
import {
  conversationSessionQueryOptions,
  sessionNotesQueryOptions,
  type DecryptedNote,
  type NoteKind,
} from '../../messages/messages.queries';
import { messagesKeys } from '../../messages/messages.keys';

/**
 * "Agenda & notes" on a session's page: an agenda shared with the other party and a private
 * note only the author sees, both end-to-end encrypted with the conversation's key. Locked
 * until this device has its keys (set up or restored on the Messages page).
 */
export function SessionNotesCard({ sessionId, counterpartName }: { sessionId: string; counterpartName: string }) {
  const { user } = useCurrentUser();
  return (
    <Paper withBorder p="lg" radius="md" component="section" aria-labelledby="session-notes-heading">
      <Stack gap="md">
        <Group justify="space-between" gap="xs">
          <Title order={2} fz="lg" id="session-notes-heading">
            Agenda & notes
          </Title>
          <Badge variant="light" color="indigo">
            End-to-end encrypted
          </Badge>
        </Group>
        {user && (
          <E2eeProvider key={user.id} userId={user.id}>
            <NotesBody sessionId={sessionId} counterpartName={counterpartName} />
          </E2eeProvider>
        )}
      </Stack>
    </Paper>
  );
}

function NotesBody({ sessionId, counterpartName }: { sessionId: string; counterpartName: string }) {
  const status = useE2eeStatus();
  if (status.isPending) {
    return (
      <Text size="sm" c="gray.7">
        Checking this device’s keys…
      </Text>
    );
  }
  if (status.isError) {
    return (
      <Text size="sm" c="red.8" role="alert">
        {e2eeErrorMessage(status.error)}
      </Text>
    );
  }
  if (status.data !== 'ready') {
    return (
      <Stack gap="xs" align="flex-start">
        <Text size="sm">
          The agenda and your notes are encrypted so that only you and {counterpartName} can read them.{' '}
          {status.data === 'needs-setup'
            ? 'Set up secure messaging to read and write them.'
            : 'Unlock your keys on this device with your recovery code to read and write them.'}
        </Text>
        <Button component={Link} to={paths.messages.home} size="xs" variant="default">
          {status.data === 'needs-setup' ? 'Set up secure messaging' : 'Unlock on this device'}
        </Button>
      </Stack>
    );
  }
  return <Notes sessionId={sessionId} counterpartName={counterpartName} />;
}

function Notes({ sessionId, counterpartName }: { sessionId: string; counterpartName: string }) {
  const { userId, client, transport } = useE2ee();
  const notes = useQuery(sessionNotesQueryOptions(userId, client, transport, sessionId));

  if (notes.isPending) {
    return (
      <Text size="sm" c="gray.7">
        Decrypting the notes…
      </Text>
    );
  }
  if (notes.isError) {
    const notYet = isServerError(notes.error, 'SESSION_NOT_FOUND');
    return notYet ? (
      <Text size="sm" c="gray.7">
        The agenda and notes open once the session is paid.
      </Text>
    ) : (
      <Stack gap="xs" align="flex-start">
        <Text size="sm" c="red.8" role="alert">
          The notes could not be loaded. {e2eeErrorMessage(notes.error)}
        </Text>
        <Button size="xs" variant="default" onClick={() => void notes.refetch()}>
          Try again
        </Button>
      </Stack>
    );
  }
  return (
    <Stack gap="lg">
      <NoteEditor
        sessionId={sessionId}
        conversationId={notes.data.conversationId}
        kind="AGENDA"
        label="Agenda"
        description={`Shared with ${counterpartName}: what you want to talk about. Either of you can edit it.`}
        note={notes.data.agenda}
        counterpartName={counterpartName}
      />
      <NoteEditor
        sessionId={sessionId}
        conversationId={notes.data.conversationId}
        kind="PRIVATE"
        label="Private note"
        description="Only you can see this note."
        note={notes.data.private}
        counterpartName={counterpartName}
      />
    </Stack>
  );
}

/** Saving found a newer version than the one the text was written from (the library itself would save over it). */
class ChangedElsewhere extends Error {}

/**
 * One note: edited here, saved on demand. If someone saved it after it was loaded here (the
 * other party, or this account on another device), saving stops: the latest version is loaded
 * and "updated elsewhere" says so, with the text typed here kept aside to put back.
 */
function NoteEditor({
  sessionId,
  conversationId,
  kind,
  label,
  description,
  note,
  counterpartName,
}: {
  sessionId: string;
  conversationId: string;
  kind: NoteKind;
  label: string;
  description: string;
  note: DecryptedNote | null;
  counterpartName: string;
}) {
  const { userId, client, transport } = useE2ee();
  const { zone, locale } = useTimeZone();
  const queryClient = useQueryClient();
  const serverText = note?.text ?? '';
  const serverVersion = note?.version ?? 0;
  const [draft, setDraft] = useState(serverText);
  /** The version the draft was started from. */
  const [base, setBase] = useState({ text: serverText, version: serverVersion });
  const [mine, setMine] = useState<string | null>(null);
  const dirty = draft !== base.text;
  const tooLong = noteBodyBytes(draft) > MAX_NOTE_BYTES;

  // A newer version arrived (live event or reload): show it, unless there are unsaved edits here
  // (then saving reports the conflict instead of overwriting it).
  useEffect(() => {
    if (serverVersion === base.version || dirty) return;
    setDraft(serverText);
    setBase({ text: serverText, version: serverVersion });
  }, [base.version, dirty, serverText, serverVersion]);

  const save = useMutation({
    mutationFn: async (text: string) => {
      const session = await queryClient.fetchQuery(conversationSessionQueryOptions(userId, client, conversationId));
      const current = await session.readNotes(sessionId);
      if (((kind === 'AGENDA' ? current.agenda : current.private)?.version ?? 0) !== base.version) throw new ChangedElsewhere();
      await session.saveNote(sessionId, kind, text);
    },
    onSuccess: (_result, text) => {
      setBase({ text, version: base.version + 1 });
      setMine(null);
      return queryClient.invalidateQueries({ queryKey: messagesKeys.notes(userId, sessionId) });
    },
    onError: async (error, text) => {
      if (!(error instanceof ChangedElsewhere) && !isServerError(error, 'NOTE_VERSION_CONFLICT')) return;
      // Someone saved first: show their version, keep this text aside to put back.
      const fresh = await queryClient.fetchQuery({
        ...sessionNotesQueryOptions(userId, client, transport, sessionId),
        staleTime: 0,
      });
      const latest = kind === 'AGENDA' ? fresh.agenda : fresh.private;
      setMine(text);
      setDraft(latest?.text ?? '');
      setBase({ text: latest?.text ?? '', version: latest?.version ?? 0 });
    },
    meta: { errorToast: false },
  });
  const conflict = mine !== null;

  const author = note ? (note.authorUserId === userId ? 'you' : counterpartName) : null;
  const state = save.isPending
    ? 'Saving…'
    : dirty
      ? serverVersion !== base.version
        ? 'Unsaved changes — updated elsewhere meanwhile'
        : 'Unsaved changes'
      : note
        ? `Saved ${formatDateTime(note.updatedAt, zone, locale)}${kind === 'AGENDA' ? ` by ${author}` : ''}`
        : 'Nothing written yet';

  return (
    <Stack gap="xs">
      <Textarea
        label={label}
        description={description}
        value={draft}
        onChange={(event) => setDraft(event.currentTarget.value)}
        autosize
        minRows={3}
        maxRows={12}
        error={tooLong ? 'This note is too long.' : undefined}
      />
      {conflict && (
        <Alert color="yellow" title="Updated elsewhere" role="alert">
          <Stack gap="xs">
            <Text size="sm">
              {kind === 'AGENDA' ? `${counterpartName} (or you, on another device)` : 'You, on another device,'} saved this note
              while you were editing. The latest version is shown above; your text was not saved.
            </Text>
            <Group gap="xs">
              <Button
                size="xs"
                variant="white"
                onClick={() => {
                  setDraft(mine);
                  setMine(null);
                }}
              >
                Put my text back
              </Button>
              <Button size="xs" variant="subtle" onClick={() => setMine(null)}>
                Keep the latest version
              </Button>
            </Group>
          </Stack>
        </Alert>
      )}
      {save.isError && !conflict && (
        <Text size="sm" c="red.8" role="alert">
          Not saved: {e2eeErrorMessage(save.error)}
        </Text>
      )}
      <Group justify="space-between" gap="xs">
        <Text size="xs" c="gray.7" role="status">
          {state}
        </Text>
        <Button size="xs" onClick={() => save.mutate(draft)} loading={save.isPending} disabled={!dirty || tooLong}>
          Save {label.toLowerCase()}
        </Button>
      </Group>
    </Stack>
  );
}
