import { formatMoney, Role } from '@lm/domain';
import { Alert, Button, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link, useLocation, useNavigate, useSearchParams } from 'react-router-dom';
import { paths } from '../../../app/paths';
import { EmptyState } from '../../../components/query-state';
import { describeError } from '../../../lib/errors';
import { formatDateTime, formatDuration, zoneLabel } from '../../../lib/time';
import { useCurrentUser } from '../../auth/use-current-user';
import { useTimeZone } from '../../auth/use-time-zone';
import { policySummary } from '../../sessions/components/slot-picker';
import {
  bookingPolicyQueryOptions,
  isEmailNotVerified,
  useResendVerification,
  useStartCheckout,
} from '../../sessions/sessions.queries';
import type { PublicLawyer, PublicOffering } from '../lawyer.queries';

/**
 * The lawyer's active offerings with "Book & pay": a client goes straight to checkout; a
 * visitor signs in first and comes back here (`?book=<offering>` asks them to continue).
 */
export function LawyerOfferings({ lawyer }: { lawyer: PublicLawyer }) {
  const { user } = useCurrentUser();
  const { zone, locale } = useTimeZone();
  const location = useLocation();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const checkout = useStartCheckout();
  const policy = useQuery(bookingPolicyQueryOptions());
  const needsVerification = (user?.role === Role.CLIENT && user.emailVerified === false) || isEmailNotVerified(checkout.error);
  const resumed = lawyer.offerings.find((o) => o.id === params.get('book'));
  const canBook = !user || user.role === Role.CLIENT;

  const book = (offering: PublicOffering) => {
    if (!user) {
      void navigate(paths.signIn, { state: { from: `${location.pathname}?book=${offering.id}` } });
      return;
    }
    checkout.mutate(offering.id);
  };

  return (
    <Stack gap="sm" component="section" aria-labelledby="offerings-heading">
      <Title order={2} fz="sm" c="gray.7" tt="uppercase" id="offerings-heading">
        Consultations
      </Title>
      <Text size="sm" c="gray.7">
        {lawyer.nextAvailableAt
          ? `Next free time: ${formatDateTime(lawyer.nextAvailableAt, zone, locale)} (${zoneLabel(zone)}). `
          : ''}
        You pay first, then choose a time from the lawyer’s availability
        {policy.data ? ` (the earliest at least ${policy.data.firstBookingMinimumNoticeHours} hours ahead)` : ''}.
      </Text>
      {policy.data && (
        <Alert color="gray" title="Changes and cancellations" data-testid="booking-policy">
          <Text size="sm">{policySummary(policy.data)}</Text>
        </Alert>
      )}
      {needsVerification && <VerifyEmailPrompt />}
      {checkout.error && !isEmailNotVerified(checkout.error) && (
        <Text size="sm" c="red.8" role="alert">
          {describeError(checkout.error).message}
        </Text>
      )}
      {resumed && user?.role === Role.CLIENT && (
        <Alert color="indigo" title="Continue your booking">
          <Group justify="space-between" gap="sm">
            <Text size="sm">
              {resumed.title} · {formatDuration(resumed.durationMinutes)} ·{' '}
              {formatMoney(resumed.priceMinor, resumed.currency, locale)}
            </Text>
            <Button size="xs" onClick={() => book(resumed)} loading={checkout.isPending && checkout.variables === resumed.id}>
              Continue to payment
            </Button>
          </Group>
        </Alert>
      )}
      {!canBook && (
        <Text size="sm" c="gray.7">
          Only client accounts can book consultations.
        </Text>
      )}
      {lawyer.offerings.length === 0 ? (
        <EmptyState title="No consultations on offer">This lawyer is not taking bookings right now.</EmptyState>
      ) : (
        lawyer.offerings.map((o) => (
          <Paper key={o.id} withBorder radius="md" p="md" component="article" aria-labelledby={`offering-${o.id}`}>
            <Group justify="space-between" align="flex-start" wrap="nowrap" gap="md">
              <Stack gap={4} style={{ minWidth: 0 }}>
                <Title order={3} fz="md" id={`offering-${o.id}`}>
                  {o.title}
                </Title>
                <Text size="sm" c="gray.7">
                  {formatDuration(o.durationMinutes)} · video consultation
                </Text>
                {o.description && (
                  <Text size="sm" style={{ whiteSpace: 'pre-line' }}>
                    {o.description}
                  </Text>
                )}
              </Stack>
              <Stack gap={6} align="flex-end" style={{ flexShrink: 0 }}>
                <Text fw={700} fz="lg">
                  {formatMoney(o.priceMinor, o.currency, locale)}
                </Text>
                <Button
                  onClick={() => book(o)}
                  disabled={!canBook || needsVerification || (checkout.isPending && checkout.variables !== o.id)}
                  loading={checkout.isPending && checkout.variables === o.id}
                >
                  Book &amp; pay
                </Button>
              </Stack>
            </Group>
          </Paper>
        ))
      )}
      {!user && (
        <Text size="sm" c="gray.7">
          New to LexMarket?{' '}
          <Text component={Link} to={paths.signUp} c="indigo.7" size="sm">
            Create a free client account
          </Text>{' '}
          to book.
        </Text>
      )}
    </Stack>
  );
}

/** Booking needs a verified email (403 EMAIL_NOT_VERIFIED): say so, and offer another link. */
function VerifyEmailPrompt() {
  const resend = useResendVerification();
  return (
    <Alert color="orange" title="Verify your email to book" role="alert">
      <Stack gap="xs">
        <Text size="sm">
          We need a verified email address before you pay: your receipt and booking messages go there. Open the link we sent you
          when you signed up, then come back to this page.
        </Text>
        {resend.isSuccess && (
          <Text size="sm" role="status">
            A new verification email is on its way. Check your inbox.
          </Text>
        )}
        {resend.error && (
          <Text size="sm" c="red.8">
            {describeError(resend.error).message}
          </Text>
        )}
        <Group>
          <Button size="xs" variant="white" onClick={() => resend.mutate()} loading={resend.isPending}>
            Resend verification email
          </Button>
        </Group>
      </Stack>
    </Alert>
  );
}
