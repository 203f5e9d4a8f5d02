import { Anchor, Container, Paper, Stack } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link, useSearchParams } from 'react-router-dom';
import { paths } from '../../app/paths';
import { PageHeader } from '../../components/page-header';
import { ErrorState, LoadingState } from '../../components/query-state';
import { useCurrentUser } from '../auth/use-current-user';
import { sessionQueryOptions } from '../sessions/sessions.queries';
import { ReportProblemForm } from './components/report-problem-form';

/**
 * `/support/new`: "Contact support" from the account menu or the footer. With `?sessionId=` the
 * report is about that session (and offers the other side's no-show to a participant).
 */
export function NewTicketPage() {
  const [params] = useSearchParams();
  const sessionId = params.get('sessionId');
  const { user, isLoading } = useCurrentUser();
  const participant = user?.role === 'CLIENT' || user?.role === 'LAWYER';
  const session = useQuery({ ...sessionQueryOptions(sessionId ?? ''), enabled: Boolean(sessionId) && participant });
  const side = user?.role === 'CLIENT' || user?.role === 'LAWYER' ? user.role : null;

  return (
    <Container size="sm" py="xl">
      <Stack gap="lg">
        <Anchor component={Link} to={paths.support.tickets} size="sm">
          ← My support tickets
        </Anchor>
        <PageHeader
          title="Contact support"
          description={
            session.data
              ? `About “${session.data.offeringTitle}” with ${session.data.counterpart.displayName}.`
              : 'Tell us what is wrong; support answers in the ticket and by email.'
          }
        />
        <Paper withBorder p="lg" radius="md">
          {sessionId && (isLoading || (participant && session.isPending)) ? (
            <LoadingState label="Loading the session" />
          ) : sessionId && participant && session.isError ? (
            <ErrorState error={session.error} onRetry={() => void session.refetch()} />
          ) : (
            <ReportProblemForm session={session.data} side={session.data ? side : null} />
          )}
        </Paper>
      </Stack>
    </Container>
  );
}
