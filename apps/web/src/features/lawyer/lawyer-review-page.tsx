import { PRACTICE_AREA_LABELS, type PracticeArea } from '@lm/domain';
import { Alert, Anchor, Avatar, Badge, Button, Group, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { paths } from '../../app/paths';
import { DetailPage } from '../../components/detail-page';
import { Field } from '../../components/field';
import { PageHeader } from '../../components/page-header';
import { fileNameOf, saveBlob } from '../../lib/download';
import { describeError } from '../../lib/errors';
import { formatDateTime } from '../../lib/time';
import { useTimeZone } from '../auth/use-time-zone';
import { LawyerStatusBadge } from './components/lawyer-status-badge';
import { RejectLawyerModal } from './components/reject-lawyer-modal';
import { VerifyLawyerModal } from './components/verify-lawyer-modal';
import { adminLawyerPhotoQueryOptions, adminLawyerQueryOptions, downloadLicence, type AdminLawyer } from './lawyer.queries';

function displayNames(locale: string, type: 'language' | 'region'): (code: string) => string {
  let names: Intl.DisplayNames | null = null;
  try {
    names = new Intl.DisplayNames([locale, 'en'], { type });
  } catch {
    names = null;
  }
  return (code) => {
    const name = names?.of(type === 'region' ? code.toUpperCase() : code);
    return name && name !== code ? `${name} (${code})` : code;
  };
}

/** `/admin/verification/:id`: everything an admin checks before verifying or rejecting a lawyer. */
export function LawyerReviewPage() {
  const { id = '' } = useParams();
  const lawyer = useQuery(adminLawyerQueryOptions(id));
  return (
    <DetailPage back={{ to: paths.admin.verification, label: '← Verification queue' }} query={lawyer} loadingLabel="Loading the lawyer">
      {(data) => <Review lawyer={data} />}
    </DetailPage>
  );
}

function Review({ lawyer: l }: { lawyer: AdminLawyer }) {
  const { zone, locale } = useTimeZone();
  const [verifying, setVerifying] = useState(false);
  const [rejecting, setRejecting] = useState(false);
  const photo = useQuery(adminLawyerPhotoQueryOptions(l.userId, l.photoUrl ? l.photoSha256 : null));
  const licence = useMutation({
    meta: { errorToast: false },
    mutationFn: async () => {
      const { blob, response } = await downloadLicence(l.userId);
      saveBlob(blob, fileNameOf(response, 'licence'));
    },
  });
  const language = displayNames(locale, 'language');
  const region = displayNames(locale, 'region');
  const at = (iso: string) => `${formatDateTime(iso, zone, locale)} (${zone})`;

  return (
    <>
      <PageHeader title={l.displayName} description={`${l.email} · signed up ${at(l.createdAt)}`} />
      <Group gap="sm">
        <LawyerStatusBadge status={l.status} />
        {l.accountStatus === 'SUSPENDED' && (
          <Badge color="red" variant="light" tt="none">
            Account suspended
          </Badge>
        )}
      </Group>
      {l.status === 'REJECTED' && l.rejectionReason && (
        <Alert color="yellow" title="Rejected">
          {l.rejectionReason}
        </Alert>
      )}

      <Paper withBorder p="lg" radius="md" component="section" aria-labelledby="review-profile-heading">
        <Stack gap="md">
          <Title order={2} fz="lg" id="review-profile-heading">
            Profile
          </Title>
          <Group align="flex-start" gap="lg" wrap="nowrap">
            <Avatar src={photo.data ?? null} size={96} radius="md" alt={l.photoUrl ? `Photo of ${l.displayName}` : ''}>
              {l.displayName.slice(0, 1)}
            </Avatar>
            <Stack gap="xs" style={{ flex: 1, minWidth: 0 }}>
              <Text size="sm" c={l.photoUrl ? undefined : 'gray.7'}>
                {l.photoUrl ? (photo.isError ? 'The photo could not be loaded.' : 'Photo as uploaded.') : 'No photo uploaded.'}
              </Text>
              <Field label="Bio">
                <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
                  {l.bio || '—'}
                </Text>
              </Field>
            </Stack>
          </Group>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <Field label="Bar number">
              <Text size="sm">{l.barNumber ?? '—'}</Text>
            </Field>
            <Field label="Bar association">
              <Text size="sm">{l.barJurisdiction ?? '—'}</Text>
            </Field>
            <Field label="Jurisdictions">
              <Text size="sm">{l.jurisdictions.length ? l.jurisdictions.map(region).join(', ') : '—'}</Text>
            </Field>
            <Field label="Languages">
              <Text size="sm">{l.languages.length ? l.languages.map(language).join(', ') : '—'}</Text>
            </Field>
            <Field label="Practice areas">
              <Group gap={4}>
                {l.practiceAreas.length === 0 ? (
                  <Text size="sm">—</Text>
                ) : (
                  l.practiceAreas.map((a) => (
                    <Badge key={a} variant="outline" color="gray" tt="none" size="sm">
                      {PRACTICE_AREA_LABELS[a as PracticeArea] ?? a}
                    </Badge>
                  ))
                )}
              </Group>
            </Field>
            {l.verifiedAt && (
              <Field label="Verified">
                <Text size="sm">{at(l.verifiedAt)}</Text>
              </Field>
            )}
          </SimpleGrid>
        </Stack>
      </Paper>

      <Paper withBorder p="lg" radius="md" component="section" aria-labelledby="review-licence-heading">
        <Stack gap="sm">
          <Title order={2} fz="lg" id="review-licence-heading">
            Licence document
          </Title>
          {l.licence ? (
            <>
              <Text size="sm">
                {l.licence.contentType === 'application/pdf' ? 'PDF' : l.licence.contentType === 'image/png' ? 'PNG image' : 'JPEG image'},{' '}
                {(l.licence.size / 1024).toFixed(0)} KB, uploaded {at(l.licence.uploadedAt)}.
              </Text>
              <Text size="xs" c="gray.7">
                Each download is recorded in the audit log under your name.
              </Text>
              <Group>
                <Button variant="light" onClick={() => licence.mutate()} loading={licence.isPending}>
                  Download licence document
                </Button>
              </Group>
              {licence.isError && (
                <Alert color="red" role="alert">
                  {describeError(licence.error).message}
                </Alert>
              )}
            </>
          ) : (
            <Text size="sm">The lawyer has not uploaded a licence document yet.</Text>
          )}
        </Stack>
      </Paper>

      <Group justify="flex-end">
        {l.status === 'VERIFIED' && (
          <Anchor component={Link} to={paths.lawyerProfile(l.userId)}>
            Public profile
          </Anchor>
        )}
        {l.status !== 'REJECTED' && (
          <Button variant="light" color="red" onClick={() => setRejecting(true)}>
            {l.status === 'VERIFIED' ? 'Revoke…' : 'Reject…'}
          </Button>
        )}
        {l.status === 'PENDING_VERIFICATION' && <Button onClick={() => setVerifying(true)}>Verify…</Button>}
      </Group>

      <VerifyLawyerModal lawyer={verifying ? l : null} onClose={() => setVerifying(false)} />
      <RejectLawyerModal lawyer={rejecting ? l : null} onClose={() => setRejecting(false)} />
    </>
  );
}
