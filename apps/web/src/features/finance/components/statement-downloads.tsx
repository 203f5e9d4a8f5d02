import { Button, Group } from '@mantine/core';
import { useDownloadStatement } from '../finance.queries';
import type { Statement, StatementFormat } from '../finance.types';

/**
 * "Download CSV" and "Download PDF" of one statement. The files need the signed-in user's
 * token, so they are fetched by the API client and saved from memory. `describedBy` names the
 * statement (its number's cell), so the buttons keep short names in a table of many.
 */
export function StatementDownloads({
  statement,
  describedBy,
}: {
  statement: Pick<Statement, 'id' | 'number'>;
  describedBy?: string;
}) {
  const download = useDownloadStatement();
  const pending = (format: StatementFormat) => download.isPending && download.variables?.format === format;
  return (
    <Group gap="xs" wrap="nowrap">
      {(['csv', 'pdf'] as const).map((format) => (
        <Button
          key={format}
          size="xs"
          variant="default"
          loading={pending(format)}
          aria-describedby={describedBy}
          onClick={() => download.mutate({ statement, format })}
        >
          Download {format.toUpperCase()}
        </Button>
      ))}
    </Group>
  );
}
