import { isPracticeArea } from '@lm/domain';
import { Button, Container, Group, Pagination, Stack, Text } from '@mantine/core';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { PageHeader } from '../../components/page-header';
import { EmptyState, ErrorState, LoadingState } from '../../components/query-state';
import { usePagedListParams } from '../../hooks/use-paged-list-params';
import { currencyForLocale, parsePrice } from '../../lib/money';
import { zoneLabel } from '../../lib/time';
import { useTimeZone } from '../auth/use-time-zone';
import { DirectoryFilters } from './components/directory-filters';
import { DIRECTORY_PARAMS } from './directory.params';
import { LawyerCard } from './components/lawyer-card';
import {
  directoryMoreQueryOptions,
  directorySearchQueryOptions,
  type DirectoryQuery,
  type DirectorySort,
} from './directory.queries';

const PAGE_SIZE = 10;
/**
 * The public directory (`GET /api/lawyers`): verified lawyers with an active offering. Every
 * filter lives in the address, so a search can be shared and the back button restores it.
 */
export function DirectoryPage() {
  const { zone, locale } = useTimeZone();
  const list = usePagedListParams(DIRECTORY_PARAMS);
  const { q, practiceArea, jurisdiction, language, currency, maxPrice, minRating, sort: sortParam } = list.filters;
  const sort: DirectorySort = sortParam ?? (q ? 'relevance' : 'soonest');

  // "Lowest price" compares prices in one currency only (amounts are never converted): the one
  // chosen, or the viewer's own, so EUR 40 never sits between USD 35 and USD 50.
  const priceCurrency = currency || (sort === 'price' ? currencyForLocale(locale) : '');
  const price = maxPrice
    ? currency
      ? parsePrice(maxPrice, currency)
      : { error: 'Choose a currency for the price limit' }
    : null;
  const priceError = price && 'error' in price ? price.error : undefined;

  const query: DirectoryQuery = {
    page: list.page,
    pageSize: PAGE_SIZE,
    sort,
    ...(q ? { q } : {}),
    ...(practiceArea && isPracticeArea(practiceArea) ? { practiceArea } : {}),
    ...(jurisdiction ? { jurisdiction } : {}),
    ...(language ? { language } : {}),
    ...(priceCurrency ? { currency: priceCurrency } : {}),
    ...(price && 'minor' in price ? { maxPriceMinor: price.minor } : {}),
    ...(minRating ? { minRating: Number(minRating) } : {}),
  };
  const results = useQuery(directorySearchQueryOptions(query));
  const totalPages = results.data ? Math.max(1, Math.ceil(results.data.total / PAGE_SIZE)) : 1;
  // Past 1,000 matches the total is capped: the last numbered page continues with "Load more" (by cursor).
  const continueFrom = results.data?.totalCapped && list.page === totalPages ? results.data.nextCursor : null;
  const [moreFrom, setMoreFrom] = useState<string | null>(null);
  const more = useInfiniteQuery({
    ...directoryMoreQueryOptions(query, moreFrom ?? ''),
    enabled: moreFrom !== null && moreFrom === continueFrom,
  });
  const moreItems = moreFrom !== null && moreFrom === continueFrom ? (more.data?.pages.flatMap((p) => p.items) ?? []) : [];
  const canLoadMore = continueFrom !== null && (moreFrom !== continueFrom || more.hasNextPage);
  // The sort order alone is not a filter: it never hides a lawyer.
  const filtered = Boolean(q || practiceArea || jurisdiction || language || currency || maxPrice || minRating);

  return (
    <Container size="lg" py="xl">
      <Stack gap="lg">
        <PageHeader
          title="Find a lawyer"
          description="Verified lawyers with fixed-price consultations. Pay first, then pick a time that suits you."
        />
        <DirectoryFilters
          filters={list.filters}
          sort={sort}
          locale={locale}
          priceCurrency={priceCurrency || null}
          priceError={priceError}
          filtered={filtered}
          onChange={list.setFilters}
          onClear={list.clear}
        />

        {results.isPending ? (
          <LoadingState label="Searching lawyers" />
        ) : results.isError ? (
          <ErrorState error={results.error} onRetry={() => void results.refetch()} />
        ) : results.data.items.length === 0 ? (
          <EmptyState title="No lawyers match">
            {filtered ? 'Try fewer filters or other words.' : 'No lawyer is taking bookings right now. Please check back soon.'}
          </EmptyState>
        ) : (
          <Stack gap="md">
            <Text size="sm" c="gray.7" role="status">
              {results.data.totalCapped ? `${results.data.total.toLocaleString(locale)}+` : results.data.total} lawyer
              {results.data.total === 1 && !results.data.totalCapped ? '' : 's'} found · times in {zoneLabel(zone)}
            </Text>
            <Stack gap="md" component="ul" aria-label="Lawyers" p={0} m={0} style={{ listStyle: 'none' }}>
              {[...results.data.items, ...moreItems].map((lawyer) => (
                <li key={lawyer.id}>
                  <LawyerCard lawyer={lawyer} zone={zone} locale={locale} />
                </li>
              ))}
            </Stack>
          </Stack>
        )}

        {results.data && results.data.total > PAGE_SIZE && (
          <Group justify="flex-end">
            <Pagination total={totalPages} value={list.page} onChange={list.setPage} aria-label="Result pages" />
          </Group>
        )}
        {canLoadMore && (
          <Group justify="center">
            <Button
              variant="light"
              loading={more.isFetching}
              onClick={() => (moreFrom === continueFrom ? void more.fetchNextPage() : setMoreFrom(continueFrom))}
            >
              Load more
            </Button>
          </Group>
        )}
      </Stack>
    </Container>
  );
}
