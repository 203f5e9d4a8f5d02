import { formatMoney } from '@lm/domain';
import { Alert, Anchor, Button, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { paths } from '../../../app/paths';
import type { SessionDetail } from '../../sessions/sessions.queries';
import type { ViewerSide } from '../support-labels';
import { ReportProblemForm } from './report-problem-form';

/**
 * The session page's support corner: the outcome of a no-show decision when there was one, and
 * "Report a problem" (a no-show of the other side, billing, technical, abuse, other).
 */
export function SessionSupportCard({ session: s, side, locale }: { session: SessionDetail; side: ViewerSide; locale: string }) {
  const [reporting, setReporting] = useState(false);
  // Once support decided a no-show, that question is settled; other problems can still be reported.
  const decided = s.status === 'NO_SHOW_LAWYER' || s.status === 'NO_SHOW_CLIENT';
  return (
    <Paper withBorder p="lg" radius="md" component="section" aria-labelledby="support-heading">
      <Stack gap="sm">
        <Title order={2} fz="lg" id="support-heading">
          Problem with this session?
        </Title>
        <NoShowOutcome session={s} side={side} locale={locale} />
        {reporting ? (
          <ReportProblemForm session={s} side={side} onCancel={() => setReporting(false)} />
        ) : (
          <>
            <Text size="sm" c="gray.7">
              {decided
                ? 'Something else about this session (a question about the refund, say)? Tell support: they answer in a ticket and by email.'
                : `If the ${side === 'CLIENT' ? 'lawyer' : 'client'} did not show up, or something went wrong with the payment or the call, tell support. They answer in a ticket and by email.`}
            </Text>
            <Group gap="md">
              <Button variant="default" onClick={() => setReporting(true)}>
                Report a problem
              </Button>
              <Anchor component={Link} to={paths.support.tickets} size="sm">
                My support tickets
              </Anchor>
            </Group>
          </>
        )}
      </Stack>
    </Paper>
  );
}

/** After support decided a no-show: who did not attend and what happened to the money. */
function NoShowOutcome({ session: s, side, locale }: { session: SessionDetail; side: ViewerSide; locale: string }) {
  if (s.status !== 'NO_SHOW_LAWYER' && s.status !== 'NO_SHOW_CLIENT') return null;
  if (s.status === 'NO_SHOW_CLIENT') {
    return (
      <Alert color="orange" title="The client did not attend">
        {side === 'CLIENT'
          ? 'Support found that you did not attend this session, so the lawyer keeps the payment.'
          : 'Support confirmed that the client did not attend. You keep the payment.'}
      </Alert>
    );
  }
  const refunded = s.refunds.filter((r) => r.status === 'SUCCEEDED').reduce((sum, r) => sum + r.amountMinor, 0);
  const pending = s.refunds.some((r) => r.status === 'PENDING');
  const failed = s.refunds.some((r) => r.status === 'FAILED');
  const money = refunded > 0 ? formatMoney(refunded, s.currency, locale) : null;
  const refundText = pending
    ? 'The refund is on its way; this page updates when Stripe confirms it.'
    : money
      ? `${money} has been refunded to ${side === 'CLIENT' ? 'you' : 'the client'}.`
      : failed
        ? 'The refund did not go through; support has been alerted and will retry.'
        : 'The client is refunded in full.';
  return (
    <Alert color="orange" title="The lawyer did not attend">
      {side === 'CLIENT'
        ? `Support confirmed that the lawyer did not attend. ${refundText}`
        : `Support found that you did not attend this session. ${refundText}`}
    </Alert>
  );
}
