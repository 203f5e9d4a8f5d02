import { Alert, Anchor, Button, Group, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { Link } from 'react-router-dom';
import { paths } from '../../../app/paths';
import { Field } from '../../../components/field';
import { formatDateTimeZoned } from '../../../lib/time';
import { describeContractError } from '../contract-errors';
import { formatBytes, formatUtc } from '../contract-labels';
import { useDownloadExecuted } from '../contracts.queries';
import type { ContractDetail } from '../contracts.types';
import { HashValue } from './hash-value';

/**
 * The executed contract: the sealed PDF every party may download, its SHA-256 (what the verify
 * page and the audit trail know it by), when it was sealed and its audit entry. After a download
 * the browser hashes the file it received and says whether it is that exact copy.
 */
export function ExecutedCopy({ contract, zone, locale }: { contract: ContractDetail; zone: string; locale: string }) {
  const download = useDownloadExecuted();
  const executed = contract.executed;
  if (!executed) return null;
  const matches = download.data === undefined ? null : download.data === executed.sha256;
  return (
    <Paper withBorder p="lg" radius="md" component="section" aria-labelledby="executed-heading">
      <Stack gap="md">
        <Title order={2} fz="lg" id="executed-heading">
          Executed copy
        </Title>
        <Text size="sm">
          Signed by every party and sealed by LexMarket: any change to the file, even of one byte, breaks the seal and changes its
          fingerprint.
        </Text>
        <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="md">
          <Field label="Sealed">
            <time dateTime={executed.sealedAt}>{formatUtc(executed.sealedAt)}</time>
            <Text size="xs" c="gray.7">
              {formatDateTimeZoned(executed.sealedAt, zone, locale)}
            </Text>
          </Field>
          <Field label="Size">{formatBytes(executed.size)}</Field>
          <Field label="Audit entry">{executed.auditSeq !== null ? `#${executed.auditSeq}` : '—'}</Field>
        </SimpleGrid>
        <Field label="SHA-256 of the executed PDF">
          <HashValue sha256={executed.sha256} label="the executed PDF’s SHA-256" testId="executed-sha256" />
        </Field>
        <Group gap="sm">
          {contract.allowedActions.downloadExecuted && (
            <Button loading={download.isPending} onClick={() => download.mutate({ id: contract.id, number: contract.number })}>
              Download executed PDF
            </Button>
          )}
          <Anchor component={Link} to={paths.verify} size="sm">
            Verify a copy
          </Anchor>
        </Group>
        {download.isError && (
          <Alert color="red" role="alert">
            {describeContractError(download.error)}
          </Alert>
        )}
        {matches !== null && (
          <Alert color={matches ? 'green' : 'red'} role="status" title={matches ? 'Downloaded' : 'The download does not match'}>
            {matches
              ? 'Your browser computed the downloaded file’s SHA-256: it is exactly the executed copy above.'
              : 'The downloaded file’s SHA-256 differs from the executed copy’s. Download it again, and contact support if this persists.'}
          </Alert>
        )}
      </Stack>
    </Paper>
  );
}
