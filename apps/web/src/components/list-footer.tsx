import { Group, Pagination, Text } from '@mantine/core';

interface ListFooterProps {
  /** Rows across all pages. */
  total: number;
  pageSize: number;
  /** 1-based. */
  page: number;
  onPageChange: (page: number) => void;
  /** What one row is, in the singular ("session"); the count reads "1 session", "12 sessions". */
  noun: string;
  /** The plural when adding an "s" is wrong ("delivery" → "deliveries"). */
  plural?: string;
  /** Accessible name of the page switcher ("Session pages"). */
  pagesLabel: string;
}

/** Under a paged list: how many rows there are, and the page switcher when they fill more than one page. */
export function ListFooter({ total, pageSize, page, onPageChange, noun, plural, pagesLabel }: ListFooterProps) {
  if (total <= 0) return null;
  const pages = Math.max(1, Math.ceil(total / pageSize));
  return (
    <Group justify="space-between">
      <Text size="sm" c="gray.7">
        {total} {total === 1 ? noun : (plural ?? `${noun}s`)}
      </Text>
      {pages > 1 && <Pagination total={pages} value={page} onChange={onPageChange} aria-label={pagesLabel} />}
    </Group>
  );
}
