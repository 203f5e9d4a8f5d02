import { Anchor, Button, Container, Grid, Paper, Stack, Text } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { Link, useParams } from 'react-router-dom';
import { paths } from '../../app/paths';
import { PageHeader } from '../../components/page-header';
import { useCurrentUser } from '../auth/use-current-user';
import { ConversationList } from './components/conversation-list';
import { ConversationThread } from './components/conversation-thread';
import { E2eeGate } from './components/e2ee-gate';
import { E2eeProvider } from './e2ee-context';

/**
 * `/messages` and `/messages/:conversationId`: a client's conversations with their lawyers (a
 * lawyer's with their clients), end-to-end encrypted. First use sets up this device's keys; a
 * new browser restores them with the recovery code. On a phone the list and the open thread
 * take turns; from `md` they sit side by side.
 */
export function MessagesPage() {
  const { user } = useCurrentUser();
  return (
    <Container size="lg" py="xl">
      <Stack gap="lg">
        <PageHeader
          title="Messages"
          description="End-to-end encrypted: only you and the other party can read your messages and files."
          actions={
            <Button component={Link} to={paths.messages.security} variant="default">
              Devices and recovery
            </Button>
          }
        />
        {/* Keyed by the account: another user's keys and decrypted messages never carry over. */}
        {user && (
          <E2eeProvider key={user.id} userId={user.id}>
            <E2eeGate>
              <MessagesLayout />
            </E2eeGate>
          </E2eeProvider>
        )}
      </Stack>
    </Container>
  );
}

function MessagesLayout() {
  const { conversationId } = useParams();
  const wide = useMediaQuery('(min-width: 62em)', undefined, { getInitialValueInEffect: false });

  if (!wide) {
    return conversationId ? (
      <Stack gap="sm">
        <Anchor component={Link} to={paths.messages.home} size="sm">
          All conversations
        </Anchor>
        <ConversationThread key={conversationId} conversationId={conversationId} />
      </Stack>
    ) : (
      <ConversationList />
    );
  }
  return (
    <Grid gap="md" align="flex-start">
      <Grid.Col span={4}>
        <ConversationList activeId={conversationId} />
      </Grid.Col>
      <Grid.Col span={8}>
        {conversationId ? (
          <ConversationThread key={conversationId} conversationId={conversationId} />
        ) : (
          <Paper withBorder radius="md" p="xl">
            <Text c="gray.7" ta="center">
              Choose a conversation to read and write messages.
            </Text>
          </Paper>
        )}
      </Grid.Col>
    </Grid>
  );
}
