import { formatMoney } from '@lm/domain';
import { ApiError } from '@lm/api-client';
import {
  Alert,
  Badge,
  Button,
  Container,
  Group,
  Loader,
  Paper,
  SimpleGrid,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useQuery } from '@tanstack/react-query';
import { lazy, Suspense, useState, type ReactNode } from 'react';
import { Link, useParams, useSearchParams } from 'react-router-dom';
import { NotFoundPage } from '../../app/not-found-page';
import { paths } from '../../app/paths';
import { PageHeader } from '../../components/page-header';
import { ErrorState, LoadingState } from '../../components/query-state';
import { describeError } from '../../lib/errors';
import { formatDateTimeZoned, formatDuration, formatWhenZoned, zoneLabel } from '../../lib/time';
import { useTimeZone } from '../auth/use-time-zone';
import { SessionContractsCard } from '../contracts/components/session-contracts-card';
import { SessionReviewsPanel } from '../reviews/components/session-reviews-panel';
import { VideoPanel } from '../video/video-panel';
import { SessionSupportCard } from '../support/components/session-support-card';
import { CancelSessionModal } from './components/cancel-session-modal';
import { SessionStatusBadge } from './components/session-status-badge';
import { SessionTimelineCard } from './components/session-timeline';
import { SlotPicker } from './components/slot-picker';
import { REFUND_LOOK } from './session-labels';
import {
  sessionQueryOptions,
  useAcceptProposal,
  useDeclineProposal,
  useProposeReschedule,
  useWithdrawProposal,
  useCompleteSession,
  useDownloadCalendar,
  useRescheduleSession,
  useResumeCheckout,
  useScheduleSession,
  type SessionDetail,
} from './sessions.queries';

// The notes card brings the E2EE library (WebCrypto, HPKE, Argon2id): loaded only for a paid session.
const SessionNotesCard = lazy(() => import('./components/session-notes-card').then((module) => ({ default: module.SessionNotesCard })));

/** After this long without a confirmed payment, say that it can take a while (polling goes on). */
const SLOW_CONFIRMATION_MS = 45_000;

function pollInterval(session: SessionDetail | undefined, returnedFromCheckout: boolean): number | false {
  if (!session) return false;
  if (session.status === 'PENDING_PAYMENT' && returnedFromCheckout) return 1500;
  if (session.refunds.some((r) => r.status === 'PENDING')) return 2000;
  return false;
}

/**
 * One session for its client or lawyer (`/sessions/:id`). It is also Stripe's return page
 * (`?checkout=success|cancelled`): it waits for the webhook to mark the session PAID, then
 * offers the slot picker. Further down: reschedule, cancel (refund shown first), calendar file,
 * payment and refunds, and the timeline.
 */
export function SessionPage() {
  const { id = '' } = useParams();
  const [params] = useSearchParams();
  const checkout = params.get('checkout');
  const { zone, locale } = useTimeZone();
  const [waitingSince] = useState(() => Date.now());
  const session = useQuery({
    ...sessionQueryOptions(id),
    refetchInterval: (query) => pollInterval(query.state.data, checkout === 'success'),
  });

  if (session.isPending) return <LoadingState label="Loading the session" />;
  if (session.isError) {
    if (session.error instanceof ApiError && (session.error.status === 404 || session.error.status === 400)) return <NotFoundPage />;
    return (
      <Container size="md" py="xl">
        <ErrorState error={session.error} onRetry={() => void session.refetch()} />
      </Container>
    );
  }
  const s = session.data;
  const slow = session.dataUpdatedAt - waitingSince > SLOW_CONFIRMATION_MS;
  const asClient = s.counterpart.role === 'LAWYER';

  return (
    <Container size="md" py="xl">
      <Stack gap="lg">
        <PageHeader
          title={s.offeringTitle}
          description={
            <>
              {formatDuration(s.durationMinutes)} with {s.counterpart.displayName}
              {asClient ? '' : ' (client)'}
            </>
          }
          actions={<SessionStatusBadge status={s.status} size="lg" />}
        />
        {asClient && <ClientNextStep session={s} checkout={checkout} slow={slow} zone={zone} locale={locale} />}
        {!asClient && s.status === 'PAID' && (
          <Alert color="blue" title="Paid, no time booked yet">
            The client has paid and will pick one of your free times.
          </Alert>
        )}
        {/* After the consultation: leave a review (double-blind, within the review window). */}
        {s.status === 'COMPLETED' && (
          <SessionReviewsPanel sessionId={s.id} asClient={asClient} counterpartName={s.counterpart.displayName} zone={zone} locale={locale} />
        )}
        {/* The video call (from when its window opens) and, after it, its recordings. */}
        <VideoPanel sessionId={s.id} status={s.status} zone={zone} locale={locale} />
        <SessionSummary session={s} zone={zone} locale={locale} asClient={asClient} />
        {/* The agenda and private notes (end-to-end encrypted): the conversation opens with the payment. */}
        {s.status !== 'PENDING_PAYMENT' && s.status !== 'EXPIRED' && (
          <Suspense fallback={null}>
            <SessionNotesCard sessionId={s.id} counterpartName={s.counterpart.displayName} />
          </Suspense>
        )}
        {/* The engagement letter and other contracts for this session ("Create contract" for the lawyer). */}
        <SessionContractsCard sessionId={s.id} sessionStatus={s.status} asLawyer={!asClient} />
        <PaymentCard session={s} locale={locale} zone={zone} />
        <SessionSupportCard session={s} side={asClient ? 'CLIENT' : 'LAWYER'} locale={locale} />
        <SessionTimelineCard events={s.events} zone={zone} locale={locale} />
        <Group>
          <Button component={Link} to={asClient ? paths.client.sessions : paths.lawyer.dashboard} variant="default">
            {asClient ? 'Back to my sessions' : 'Back to the dashboard'}
          </Button>
        </Group>
      </Stack>
    </Container>
  );
}

/** What the client has to do (or wait for) next: payment confirmation, then picking a time. */
function ClientNextStep({
  session: s,
  checkout,
  slow,
  zone,
  locale,
}: {
  session: SessionDetail;
  checkout: string | null;
  slow: boolean;
  zone: string;
  locale: string;
}) {
  const schedule = useScheduleSession();
  const resume = useResumeCheckout();
  const [cancelling, { open: openCancel, close: closeCancel }] = useDisclosure(false);

  if (s.status === 'PENDING_PAYMENT' && checkout === 'success') {
    return (
      <Paper withBorder p="xl" radius="md">
        <Group gap="md" wrap="nowrap" role="status">
          <Loader size="sm" aria-hidden />
          <Stack gap={2}>
            <Text fw={600}>Confirming your payment…</Text>
            <Text size="sm" c="gray.7">
              {slow
                ? 'This is taking longer than usual. You can stay here or come back later: this page updates by itself, and the session is in My sessions.'
                : 'We are waiting for Stripe to confirm the payment. This usually takes a few seconds.'}
            </Text>
          </Stack>
        </Group>
      </Paper>
    );
  }
  if (s.status === 'PENDING_PAYMENT') {
    return (
      <>
        <Alert color="yellow" title={checkout === 'cancelled' ? 'Payment not completed' : 'Waiting for payment'}>
          <Stack gap="sm">
            <Text size="sm">
              {checkout === 'cancelled'
                ? 'You left the checkout before paying. Nothing was charged.'
                : 'This session is not paid yet. If you just paid, the confirmation can take a moment.'}
            </Text>
            {resume.error && (
              <Text size="sm" c="red.8" role="alert">
                {describeError(resume.error).message}
              </Text>
            )}
            <Group gap="xs">
              <Button size="xs" onClick={() => resume.mutate(s.id)} loading={resume.isPending}>
                Continue to payment
              </Button>
              <Button component={Link} to={paths.lawyerProfile(s.lawyer.id)} size="xs" variant="white">
                Back to {s.lawyer.displayName}
              </Button>
              {s.actions.canCancel && (
                <Button size="xs" variant="white" color="red" onClick={openCancel}>
                  Cancel this booking
                </Button>
              )}
            </Group>
          </Stack>
        </Alert>
        <CancelSessionModal
          sessionId={s.id}
          subject={`${s.offeringTitle} with ${s.lawyer.displayName}`}
          opened={cancelling}
          onClose={closeCancel}
          locale={locale}
        />
      </>
    );
  }
  if (s.status === 'EXPIRED') {
    return (
      <Alert color="gray" title="Checkout expired">
        <Stack gap="sm">
          <Text size="sm">The payment was not completed in time, so nothing was charged.</Text>
          <Group>
            <Button component={Link} to={paths.lawyerProfile(s.lawyer.id)} size="xs" variant="white">
              Book {s.lawyer.displayName} again
            </Button>
          </Group>
        </Stack>
      </Alert>
    );
  }
  if (s.status === 'PAID' && s.actions.canSchedule) {
    return (
      <>
        <Alert color="green" title="Payment confirmed" role="status">
          Thank you! You paid {formatMoney(s.priceMinor, s.currency, locale)}. Now choose a time that suits you.
        </Alert>
        <SlotPicker
          sessionId={s.id}
          durationMinutes={s.durationMinutes}
          zone={zone}
          locale={locale}
          title="Choose a time"
          confirmLabel="Confirm booking"
          showPolicy
          onConfirm={(startAt) =>
            schedule.mutateAsync(
              { sessionId: s.id, startAt },
              {
                onSuccess: () =>
                  notifications.show({ color: 'green', title: 'Session booked', message: 'Your consultation is scheduled.' }),
              },
            )
          }
        />
      </>
    );
  }
  return null;
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Stack gap={2}>
      <Text size="xs" c="gray.7" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text>{children}</Text>
    </Stack>
  );
}

/** When, how long, with whom; and the actions the server allows right now. */
function SessionSummary({
  session: s,
  zone,
  locale,
  asClient,
}: {
  session: SessionDetail;
  zone: string;
  locale: string;
  asClient: boolean;
}) {
  const [rescheduling, setRescheduling] = useState(false);
  const [proposing, setProposing] = useState(false);
  const [cancelling, { open: openCancel, close: closeCancel }] = useDisclosure(false);
  const reschedule = useRescheduleSession();
  const propose = useProposeReschedule();
  const counterpartZone = asClient ? s.lawyerTimeZone : s.clientTimeZone;
  const complete = useCompleteSession();
  const calendar = useDownloadCalendar();
  const hasCalendar = s.startAt !== null && (s.status === 'SCHEDULED' || s.status === 'IN_PROGRESS' || s.status === 'COMPLETED');
  const subject = `${s.offeringTitle} with ${s.counterpart.displayName}`;

  return (
    <>
      <Paper withBorder p="lg" radius="md" component="section" aria-labelledby="summary-heading">
        <Stack gap="md">
          <Title order={2} fz="lg" id="summary-heading">
            Details
          </Title>
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
            <Fact label="When">
              {s.startAt && s.endAt ? formatWhenZoned(s.startAt, s.endAt, zone, locale) : 'Not booked yet'}
            </Fact>
            <Fact label="Time zone">{zoneLabel(zone, s.startAt ?? new Date())}</Fact>
            {s.startAt && s.endAt && counterpartZone !== zone && (
              <Fact label={asClient ? 'For the lawyer' : 'For the client'}>{formatWhenZoned(s.startAt, s.endAt, counterpartZone, locale)}</Fact>
            )}
            <Fact label={asClient ? 'Lawyer' : 'Client'}>{s.counterpart.displayName}</Fact>
            <Fact label="Price">{formatMoney(s.priceMinor, s.currency, locale)}</Fact>
          </SimpleGrid>
          {s.status === 'CANCELLED' && s.cancelledAt && (
            <Text size="sm" c="gray.7">
              Cancelled on {formatDateTimeZoned(s.cancelledAt, zone, locale)}.
            </Text>
          )}
          <ProposalBox session={s} zone={zone} locale={locale} />
          {(hasCalendar || s.actions.canReschedule || s.actions.canProposeReschedule || s.actions.canCancel || s.actions.canComplete) && (
            <Group gap="xs">
              {hasCalendar && (
                <Button variant="default" loading={calendar.isPending} onClick={() => calendar.mutate(s.id)}>
                  Add to calendar
                </Button>
              )}
              {s.actions.canReschedule && !rescheduling && (
                <Button variant="default" onClick={() => setRescheduling(true)}>
                  Reschedule
                </Button>
              )}
              {s.actions.canProposeReschedule && !proposing && (
                <Button variant="default" onClick={() => setProposing(true)}>
                  Propose a new time
                </Button>
              )}
              {s.actions.canComplete && (
                <Button
                  color="green"
                  loading={complete.isPending}
                  onClick={() =>
                    complete.mutate(s.id, {
                      onSuccess: () =>
                        notifications.show({ color: 'green', title: 'Session completed', message: 'Marked as completed.' }),
                    })
                  }
                >
                  Mark completed
                </Button>
              )}
              {s.actions.canCancel && s.status !== 'PENDING_PAYMENT' && (
                <Button color="red" variant="light" onClick={openCancel}>
                  Cancel session
                </Button>
              )}
            </Group>
          )}
          {asClient && s.status === 'SCHEDULED' && !s.actions.canReschedule && (
            <Text size="sm" c="gray.7">
              Less than 24 hours before the start the time can no longer be changed.
            </Text>
          )}
        </Stack>
      </Paper>
      {rescheduling && s.actions.canReschedule && (
        <SlotPicker
          sessionId={s.id}
          durationMinutes={s.durationMinutes}
          zone={zone}
          locale={locale}
          title="Choose a new time"
          description="Your payment is kept: moving the session never charges again."
          confirmLabel="Confirm new time"
          currentStartAt={s.startAt}
          onCancel={() => setRescheduling(false)}
          onConfirm={(startAt) =>
            reschedule.mutateAsync(
              { sessionId: s.id, startAt },
              {
                onSuccess: () => {
                  setRescheduling(false);
                  notifications.show({ color: 'green', title: 'Session moved', message: 'The new time is booked.' });
                },
              },
            )
          }
        />
      )}
      {proposing && s.actions.canProposeReschedule && (
        <SlotPicker
          sessionId={s.id}
          durationMinutes={s.durationMinutes}
          zone={zone}
          locale={locale}
          title="Propose a new time"
          description="The session keeps its current time until the client accepts your proposal. The client may also decline, or cancel with a full refund."
          confirmLabel="Send proposal"
          currentStartAt={s.startAt}
          onCancel={() => setProposing(false)}
          onConfirm={(startAt) =>
            propose.mutateAsync(
              { sessionId: s.id, startAt },
              {
                onSuccess: () => {
                  setProposing(false);
                  notifications.show({ color: 'green', title: 'Proposal sent', message: 'The client will accept or decline the new time.' });
                },
              },
            )
          }
        />
      )}
      <CancelSessionModal
        sessionId={s.id}
        subject={subject}
        opened={cancelling}
        onClose={closeCancel}
        locale={locale}
        onCancelled={(result) =>
          notifications.show({
            color: 'green',
            title: 'Session cancelled',
            message:
              result.refundMinor > 0
                ? `A refund of ${formatMoney(result.refundMinor, result.currency, locale)} is on its way.`
                : 'No refund applies.',
          })
        }
      />
    </>
  );
}

/** What was paid and every refund with its status (pending until Stripe confirms). */
function PaymentCard({ session: s, locale, zone }: { session: SessionDetail; locale: string; zone: string }) {
  if (!s.payment && s.refunds.length === 0) return null;
  return (
    <Paper withBorder p="lg" radius="md" component="section" aria-labelledby="payment-heading">
      <Stack gap="sm">
        <Title order={2} fz="lg" id="payment-heading">
          Payment
        </Title>
        {s.payment && (
          <Text>
            Paid {formatMoney(s.payment.amountMinor, s.payment.currency, locale)} on{' '}
            {formatDateTimeZoned(s.payment.createdAt, zone, locale)}
            {s.payment.refundedMinor > 0 && ` · ${formatMoney(s.payment.refundedMinor, s.payment.currency, locale)} refunded`}
          </Text>
        )}
        {s.refunds.length > 0 && (
          <Stack gap={6} component="ul" aria-label="Refunds" p={0} m={0} style={{ listStyle: 'none' }}>
            {s.refunds.map((r) => (
              <Group key={r.id} component="li" gap="sm" wrap="nowrap">
                <Text fw={600}>Refund of {formatMoney(r.amountMinor, r.currency, locale)}</Text>
                <Badge color={REFUND_LOOK[r.status].color} variant="light" tt="none" style={{ flexShrink: 0 }}>
                  {REFUND_LOOK[r.status].label}
                </Badge>
                <Text size="sm" c="gray.7">
                  {r.reason}
                </Text>
              </Group>
            ))}
          </Stack>
        )}
      </Stack>
    </Paper>
  );
}

/**
 * The lawyer's open proposal of a new time: the client accepts it, keeps the booked time, or
 * cancels with a full refund; the lawyer sees it pending and may withdraw it.
 */
function ProposalBox({ session: s, zone, locale }: { session: SessionDetail; zone: string; locale: string }) {
  const accept = useAcceptProposal();
  const decline = useDeclineProposal();
  const withdraw = useWithdrawProposal();
  if (!s.proposedStartAt || !s.proposedEndAt) return null;
  const proposed = formatWhenZoned(s.proposedStartAt, s.proposedEndAt, zone, locale);
  const current = s.startAt && s.endAt ? formatWhenZoned(s.startAt, s.endAt, zone, locale) : '';
  const error = accept.error ?? decline.error;
  if (!s.actions.canAnswerProposal) {
    return (
      <Alert color="indigo" title="New time proposed" role="status">
        <Stack gap="xs">
          <Text size="sm">
            You proposed {proposed}. The session stays at {current} until the client accepts.
          </Text>
          {s.actions.canWithdrawProposal && (
            <Group>
              <Button size="xs" variant="white" loading={withdraw.isPending} onClick={() => withdraw.mutate(s.id)}>
                Withdraw proposal
              </Button>
            </Group>
          )}
        </Stack>
      </Alert>
    );
  }
  return (
    <Alert color="indigo" title="The lawyer asks to move this session">
      <Stack gap="xs">
        <Text size="sm">
          Proposed new time: <strong>{proposed}</strong>. Your booked time stays {current} unless you accept.
        </Text>
        <Text size="sm">If neither suits you, you can cancel with a full refund, because the lawyer asked for the change.</Text>
        {error && (
          <Text size="sm" c="red.8" role="alert">
            {describeError(error).message}
          </Text>
        )}
        <Group gap="xs">
          <Button
            size="xs"
            loading={accept.isPending}
            onClick={() =>
              accept.mutate(s.id, {
                onSuccess: () => notifications.show({ color: 'green', title: 'Session moved', message: 'You accepted the new time.' }),
              })
            }
          >
            Accept new time
          </Button>
          <Button
            size="xs"
            variant="default"
            loading={decline.isPending && decline.variables?.outcome === 'keep'}
            onClick={() => decline.mutate({ sessionId: s.id, outcome: 'keep' })}
          >
            Keep my current time
          </Button>
          <Button
            size="xs"
            variant="light"
            color="red"
            loading={decline.isPending && decline.variables?.outcome === 'cancel'}
            onClick={() => decline.mutate({ sessionId: s.id, outcome: 'cancel' })}
          >
            Decline and cancel (full refund)
          </Button>
        </Group>
      </Stack>
    </Alert>
  );
}
