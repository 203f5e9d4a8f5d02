import { isPracticeArea, PRACTICE_AREA_OPTIONS } from '@lm/domain';
import { Button, Container, Grid, Group, Pagination, Paper, Select, Stack, Text, TextInput } from '@mantine/core';
import { useDebouncedCallback } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { PageHeader } from '../../components/page-header';
import { EmptyState, ErrorState, LoadingState } from '../../components/query-state';
import { CURRENCY_OPTIONS, parsePrice } from '../../lib/money';
import { zoneLabel } from '../../lib/time';
import { useTimeZone } from '../auth/use-time-zone';
import { LawyerCard } from './components/lawyer-card';
import { directorySearchQueryOptions, type DirectoryQuery, type DirectorySort } from './directory.queries';

const PAGE_SIZE = 10;
const LANGUAGE_CODES = ['en', 'es', 'fr', 'de', 'it', 'pt', 'nl', 'pl', 'ro', 'ca', 'sv', 'da', 'el', 'ru', 'uk', 'tr', 'ar', 'zh', 'ja', 'hi'];
const SORTS: { value: DirectorySort; label: string }[] = [
  { value: 'relevance', label: 'Best match' },
  { value: 'soonest', label: 'Soonest available' },
  { value: 'price', label: 'Lowest price' },
  { value: 'newest', label: 'Newest' },
];

function languageOptions(locale: string) {
  let names: Intl.DisplayNames | null = null;
  try {
    names = new Intl.DisplayNames([locale, 'en'], { type: 'language' });
  } catch {
    names = null;
  }
  return LANGUAGE_CODES.map((code) => ({ value: code, label: names?.of(code) ?? code.toUpperCase() })).sort((a, b) =>
    a.label.localeCompare(b.label),
  );
}

/**
 * The public directory (`GET /api/lawyers`): verified lawyers with an active offering. Every
 * filter lives in the address, so a search can be shared and the back button restores it.
 */
export function DirectoryPage() {
  const { zone, locale } = useTimeZone();
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const practiceArea = params.get('practiceArea');
  const jurisdiction = params.get('jurisdiction') ?? '';
  const language = params.get('language');
  const currency = params.get('currency');
  const maxPrice = params.get('maxPrice') ?? '';
  const sortParam = params.get('sort') as DirectorySort | null;
  const sort: DirectorySort = sortParam && SORTS.some((s) => s.value === sortParam) ? sortParam : q ? 'relevance' : 'soonest';
  const page = Math.max(1, Number(params.get('page')) || 1);

  // Text fields update the address (and the search) once typing pauses.
  const [qText, setQText] = useState(q);
  const [jurisdictionText, setJurisdictionText] = useState(jurisdiction);
  const [maxPriceText, setMaxPriceText] = useState(maxPrice);
  const languages = useMemo(() => languageOptions(locale), [locale]);

  const update = (changes: Record<string, string | null>) =>
    setParams(
      (current) => {
        const next = new URLSearchParams(current);
        for (const [key, value] of Object.entries(changes)) {
          if (value) next.set(key, value);
          else next.delete(key);
        }
        if (!('page' in changes)) next.delete('page');
        return next;
      },
      { replace: true },
    );
  const updateLater = useDebouncedCallback(update, 350);

  const price = maxPrice ? (currency ? parsePrice(maxPrice, currency) : { error: 'Choose a currency for the price limit' }) : null;
  const priceError = price && 'error' in price ? price.error : undefined;

  const query: DirectoryQuery = {
    page,
    pageSize: PAGE_SIZE,
    sort,
    ...(q.trim() ? { q: q.trim() } : {}),
    ...(practiceArea && isPracticeArea(practiceArea) ? { practiceArea } : {}),
    ...(jurisdiction.trim() ? { jurisdiction: jurisdiction.trim() } : {}),
    ...(language ? { language } : {}),
    ...(currency ? { currency } : {}),
    ...(price && 'minor' in price ? { maxPriceMinor: price.minor } : {}),
  };
  const results = useQuery(directorySearchQueryOptions(query));
  const totalPages = results.data ? Math.max(1, Math.ceil(results.data.total / PAGE_SIZE)) : 1;
  const filtered = Boolean(q || practiceArea || jurisdiction || language || currency || maxPrice);

  const clear = () => {
    setQText('');
    setJurisdictionText('');
    setMaxPriceText('');
    setParams(new URLSearchParams(), { replace: true });
  };

  return (
    <Container size="lg" py="xl">
      <Stack gap="lg">
        <PageHeader
          title="Find a lawyer"
          description="Verified lawyers with fixed-price consultations. Pay first, then pick a time that suits you."
        />
        <Paper withBorder p="md" radius="md" role="search" aria-label="Search lawyers">
          <Grid gap="md" align="flex-end">
            <Grid.Col span={{ base: 12, md: 6 }}>
              <TextInput
                label="Search"
                placeholder="Name, topic or place, e.g. immigration madrid"
                value={qText}
                onChange={(e) => {
                  setQText(e.currentTarget.value);
                  updateLater({ q: e.currentTarget.value.trim() || null });
                }}
                type="search"
              />
            </Grid.Col>
            <Grid.Col span={{ base: 12, sm: 6, md: 3 }}>
              <Select
                label="Practice area"
                placeholder="Any area"
                data={PRACTICE_AREA_OPTIONS}
                value={practiceArea && isPracticeArea(practiceArea) ? practiceArea : null}
                onChange={(value) => update({ practiceArea: value })}
                clearable
              />
            </Grid.Col>
            <Grid.Col span={{ base: 12, sm: 6, md: 3 }}>
              <TextInput
                label="Jurisdiction"
                placeholder="e.g. ES or US-NY"
                value={jurisdictionText}
                onChange={(e) => {
                  setJurisdictionText(e.currentTarget.value);
                  updateLater({ jurisdiction: e.currentTarget.value.trim() || null });
                }}
              />
            </Grid.Col>
            <Grid.Col span={{ base: 12, sm: 6, md: 3 }}>
              <Select
                label="Language"
                placeholder="Any language"
                data={languages}
                value={language}
                onChange={(value) => update({ language: value })}
                searchable
                clearable
              />
            </Grid.Col>
            <Grid.Col span={{ base: 6, sm: 3, md: 2 }}>
              <Select
                label="Currency"
                placeholder="Any"
                data={CURRENCY_OPTIONS}
                value={currency}
                onChange={(value) => update({ currency: value })}
                clearable
              />
            </Grid.Col>
            <Grid.Col span={{ base: 6, sm: 3, md: 2 }}>
              <TextInput
                label="Max price"
                placeholder="e.g. 120"
                inputMode="decimal"
                value={maxPriceText}
                error={priceError}
                onChange={(e) => {
                  setMaxPriceText(e.currentTarget.value);
                  updateLater({ maxPrice: e.currentTarget.value.trim() || null });
                }}
              />
            </Grid.Col>
            <Grid.Col span={{ base: 12, sm: 6, md: 3 }}>
              <Select
                label="Sort by"
                data={SORTS.filter((s) => s.value !== 'relevance' || q)}
                value={sort}
                onChange={(value) => update({ sort: value })}
                allowDeselect={false}
              />
            </Grid.Col>
            <Grid.Col span={{ base: 12, md: 2 }}>
              <Button variant="default" onClick={clear} disabled={!filtered} fullWidth>
                Clear filters
              </Button>
            </Grid.Col>
          </Grid>
        </Paper>

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
              {results.data.total} lawyer{results.data.total === 1 ? '' : 's'} found · times in {zoneLabel(zone)}
            </Text>
            <Stack gap="md" component="ul" aria-label="Lawyers" p={0} m={0} style={{ listStyle: 'none' }}>
              {results.data.items.map((lawyer) => (
                <li key={lawyer.id}>
                  <LawyerCard lawyer={lawyer} zone={zone} locale={locale} />
                </li>
              ))}
            </Stack>
          </Stack>
        )}

        {results.data && results.data.total > PAGE_SIZE && (
          <Group justify="flex-end">
            <Pagination
              total={totalPages}
              value={page}
              onChange={(p) => update({ page: p > 1 ? String(p) : null })}
              aria-label="Result pages"
            />
          </Group>
        )}
      </Stack>
    </Container>
  );
}
