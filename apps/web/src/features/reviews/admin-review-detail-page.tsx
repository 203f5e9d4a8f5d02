import { Anchor, Button, Group, Paper, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { paths } from '../../app/paths';
import { DataTable } from '../../components/data-table';
import { DetailPage } from '../../components/detail-page';
import { Field } from '../../components/field';
import { PageTitle } from '../../components/page-title';
import { formatDateTime } from '../../lib/time';
import { useTimeZone } from '../auth/use-time-zone';
import { ModerationModal, type ModerationRequest } from './components/moderation-modal';
import { HiddenBadge, ReviewItem } from './components/review-item';
import { ReviewStateBadges } from './components/review-state-badges';
import { MODERATION_REASON_LABELS, REPORT_REASON_LABELS, TARGET_LABELS } from './review-labels';
import { adminReviewQueryOptions, type AdminReviewDetail } from './reviews.queries';

/** `/admin/reviews/:id`: one review, its response, the reports and every moderation decision; hide or unhide. */
export function AdminReviewDetailPage() {
  const { id = '' } = useParams();
  const review = useQuery(adminReviewQueryOptions(id));
  return (
    <DetailPage back={{ to: paths.admin.reviews, label: '← Review moderation' }} query={review} loadingLabel="Loading the review">
      {(r) => <ReviewDetail review={r} />}
    </DetailPage>
  );
}

function ReviewDetail({ review: r }: { review: AdminReviewDetail }) {
  const { zone, locale } = useTimeZone();
  const [pending, setPending] = useState<ModerationRequest | null>(null);
  const ask = (target: ModerationRequest['target'], hidden: boolean) =>
    setPending({ reviewId: r.id, target, action: hidden ? 'UNHIDE' : 'HIDE' });
  const author = r.authorName ?? 'Unknown account';
  const subject = r.subjectName ?? 'unknown account';
  const who = r.authorSide === 'CLIENT' ? `Client ${author} about lawyer ${subject}` : `Lawyer ${author} about client ${subject}`;

  return (
    <>
      <PageTitle>Review moderation</PageTitle>
      <Group justify="space-between" align="flex-end">
        <Stack gap={4}>
          <Title order={1}>Review</Title>
          <Text c="gray.7">{who}</Text>
        </Stack>
        <ReviewStateBadges review={r} />
      </Group>
      <Paper withBorder radius="md" p="lg">
        <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="md">
          <Field label="Submitted">{formatDateTime(r.createdAt, zone, locale)}</Field>
          <Field label="Published">{r.publishedAt ? formatDateTime(r.publishedAt, zone, locale) : 'Not yet'}</Field>
          <Field label="Session">
            <Anchor component={Link} to={paths.admin.session(r.sessionId)}>
              Open the session
            </Anchor>
          </Field>
        </SimpleGrid>
      </Paper>
      <ReviewItem
        rating={r.rating}
        comment={r.comment}
        at={r.createdAt}
        byline={`${author} (${r.authorSide === 'CLIENT' ? 'client' : 'lawyer'}) · ${r.offeringTitle}`}
        response={r.response}
        responseBy={`Response from ${subject}${r.responseHidden ? ' (hidden)' : ''}`}
        zone={zone}
        locale={locale}
        badges={r.hidden ? <HiddenBadge /> : undefined}
      />
      <Group gap="xs">
        <Button
          color={r.hidden ? undefined : 'red'}
          variant={r.hidden ? 'default' : 'light'}
          onClick={() => ask('REVIEW', r.hidden)}
        >
          {r.hidden ? 'Unhide review' : 'Hide review'}
        </Button>
        {r.response && (
          <Button
            color={r.responseHidden ? undefined : 'red'}
            variant={r.responseHidden ? 'default' : 'light'}
            onClick={() => ask('RESPONSE', r.responseHidden)}
          >
            {r.responseHidden ? 'Unhide response' : 'Hide response'}
          </Button>
        )}
        {(['REVIEW', 'RESPONSE'] as const)
          .filter((target) => r.reports.some((rep) => rep.status === 'OPEN' && rep.target === target))
          .map((target) => (
            <Button key={target} variant="default" onClick={() => setPending({ reviewId: r.id, target, action: 'DISMISS' })}>
              {target === 'REVIEW' ? 'Dismiss the reports' : 'Dismiss the response’s reports'}
            </Button>
          ))}
      </Group>

      <Stack gap="xs" component="section" aria-labelledby="reports-heading">
        <Title order={2} fz="lg" id="reports-heading">
          Reports
        </Title>
        {r.reports.length === 0 ? (
          <Text size="sm" c="gray.7">
            Nobody has reported this review.
          </Text>
        ) : (
          <DataTable label="Reports" columns={['Reported', 'About', 'Reason', 'Note', 'By', 'Status']} minWidth={760}>
            {r.reports.map((rep) => (
              <Table.Tr key={rep.id}>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(rep.createdAt, zone, locale)}</Table.Td>
                <Table.Td>{TARGET_LABELS[rep.target]}</Table.Td>
                <Table.Td>{REPORT_REASON_LABELS[rep.reason] ?? rep.reason}</Table.Td>
                <Table.Td style={{ overflowWrap: 'anywhere' }}>{rep.note || '—'}</Table.Td>
                <Table.Td>{rep.reporterName ?? '—'}</Table.Td>
                <Table.Td>{rep.status === 'OPEN' ? 'Open' : 'Closed'}</Table.Td>
              </Table.Tr>
            ))}
          </DataTable>
        )}
      </Stack>

      <Stack gap="xs" component="section" aria-labelledby="decisions-heading">
        <Title order={2} fz="lg" id="decisions-heading">
          Decision history
        </Title>
        {r.decisions.length === 0 ? (
          <Text size="sm" c="gray.7">
            No moderation decision yet.
          </Text>
        ) : (
          <DataTable label="Decisions" columns={['When', 'About', 'Decision', 'Reason', 'Note', 'Admin']} minWidth={760}>
            {r.decisions.map((d) => (
              <Table.Tr key={d.id}>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(d.createdAt, zone, locale)}</Table.Td>
                <Table.Td>{TARGET_LABELS[d.target]}</Table.Td>
                <Table.Td>
                  {d.action === 'HIDE' ? 'Hidden' : d.action === 'DISMISS' ? 'Reports dismissed' : 'Shown again'}
                </Table.Td>
                <Table.Td>
                  {d.reasonCode === 'SESSION_NO_SHOW'
                    ? 'The session was decided a no-show'
                    : (MODERATION_REASON_LABELS[d.reasonCode] ?? d.reasonCode)}
                </Table.Td>
                <Table.Td style={{ overflowWrap: 'anywhere' }}>{d.note || '—'}</Table.Td>
                <Table.Td>{d.adminId === null ? 'System (no-show decision)' : (d.adminName ?? '—')}</Table.Td>
              </Table.Tr>
            ))}
          </DataTable>
        )}
      </Stack>
      <ModerationModal request={pending} onClose={() => setPending(null)} />
    </>
  );
}
