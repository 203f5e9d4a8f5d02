import { Button, Code, Table, Text } from '@mantine/core';
import { DataTable } from '../../../components/data-table';
import { formatDateTimeZoned } from '../../../lib/time';
import { useDownloadVersion } from '../contracts.queries';
import type { ContractDetail } from '../contracts.types';

/** Every saved version, newest first: its hash (each chained to the one before) and its PDF. */
export function ContractVersions({ contract, zone, locale }: { contract: ContractDetail; zone: string; locale: string }) {
  const download = useDownloadVersion();
  const versions = [...contract.versions].sort((a, b) => b.number - a.number);
  return (
    <DataTable
      label="Versions"
      columns={['Version', 'Saved', 'SHA-256 of the PDF', { label: 'Download', visuallyHidden: true }]}
      withPaper={false}
    >
      {versions.map((v) => (
        <Table.Tr key={v.id}>
          <Table.Td style={{ whiteSpace: 'nowrap' }}>
            Version {v.number}
            {v.id === contract.currentVersion.id && (
              <Text span size="xs" c="gray.7">
                {' '}
                (current)
              </Text>
            )}
          </Table.Td>
          <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTimeZoned(v.createdAt, zone, locale)}</Table.Td>
          <Table.Td>
            <Code style={{ wordBreak: 'break-all', whiteSpace: 'normal' }} title={v.sha256}>
              {v.sha256}
            </Code>
          </Table.Td>
          <Table.Td>
            <Button
              size="xs"
              variant="default"
              loading={download.isPending && download.variables?.versionId === v.id}
              onClick={() => download.mutate({ id: contract.id, versionId: v.id, name: `${contract.number}-v${v.number}.pdf` })}
              aria-label={`Download version ${v.number} as PDF`}
            >
              PDF
            </Button>
          </Table.Td>
        </Table.Tr>
      ))}
    </DataTable>
  );
}
