import { findJurisdiction, isLanguageCode, isPracticeArea, jurisdictionOptions, languageOptions, PRACTICE_AREA_OPTIONS } from '@lm/domain';
import { Button, Grid, Paper, Select, TextInput } from '@mantine/core';
import { useMemo } from 'react';
import { useDebouncedText } from '../../../hooks/use-debounced-text';
import type { ParamValues } from '../../../hooks/use-paged-list-params';
import { CURRENCY_OPTIONS } from '../../../lib/money';
import { MIN_RATING_OPTIONS, MIN_RATINGS, SORTS, type DIRECTORY_PARAMS } from '../directory.params';
import type { DirectorySort } from '../directory.queries';

type Filters = ParamValues<typeof DIRECTORY_PARAMS>;

interface DirectoryFiltersProps {
  filters: Filters;
  /** The order in effect (the address may leave it to the default). */
  sort: DirectorySort;
  locale: string;
  /** The currency prices are compared in while sorting by price (the chosen one or the viewer's). */
  priceCurrency: string | null;
  priceError: string | undefined;
  /** Whether any filter is set ("Clear filters" is enabled). */
  filtered: boolean;
  onChange: (changes: Partial<Filters>) => void;
  onClear: () => void;
}

/** The search form above the directory. Text fields apply once typing pauses. */
export function DirectoryFilters({ filters, sort, locale, priceCurrency, priceError, filtered, onChange, onClear }: DirectoryFiltersProps) {
  const { q, practiceArea, language, currency } = filters;
  const [qText, setQText] = useDebouncedText(q, (value) => onChange({ q: value }), 350);
  const [maxPriceText, setMaxPriceText] = useDebouncedText(filters.maxPrice, (value) => onChange({ maxPrice: value }), 350);
  const languages = useMemo(() => languageOptions(locale), [locale]);
  const jurisdictions = useMemo(() => jurisdictionOptions(locale), [locale]);
  // A shared link may name the place ("?jurisdiction=Spain"); the picker shows its entry.
  const jurisdiction = filters.jurisdiction ? (findJurisdiction(filters.jurisdiction) ?? null) : null;

  return (
    <Paper withBorder p="md" radius="md" role="search" aria-label="Search lawyers">
      <Grid gap="md" align="flex-end">
        <Grid.Col span={{ base: 12, md: 6 }}>
          <TextInput
            label="Search"
            placeholder="Name, topic or place, e.g. immigration madrid"
            value={qText}
            onChange={(e) => setQText(e.currentTarget.value)}
            type="search"
          />
        </Grid.Col>
        <Grid.Col span={{ base: 12, sm: 6, md: 3 }}>
          <Select
            label="Practice area"
            placeholder="Any area"
            data={PRACTICE_AREA_OPTIONS}
            value={practiceArea}
            onChange={(value) => onChange({ practiceArea: value && isPracticeArea(value) ? value : null })}
            clearable
          />
        </Grid.Col>
        <Grid.Col span={{ base: 12, sm: 6, md: 3 }}>
          <Select
            label="Jurisdiction"
            placeholder="Any country or state"
            data={jurisdictions}
            value={jurisdiction}
            onChange={(value) => onChange({ jurisdiction: value ?? '' })}
            searchable
            clearable
            limit={50}
            nothingFoundMessage="No country or state by that name"
          />
        </Grid.Col>
        <Grid.Col span={{ base: 12, sm: 6, md: 3 }}>
          <Select
            label="Language"
            placeholder="Any language"
            data={languages}
            value={language}
            onChange={(value) => onChange({ language: value && isLanguageCode(value) ? value : null })}
            searchable
            clearable
          />
        </Grid.Col>
        <Grid.Col span={{ base: 6, sm: 3, md: 2 }}>
          <Select
            label="Currency"
            placeholder="Any"
            data={CURRENCY_OPTIONS}
            description={sort === 'price' ? 'Prices compared in' : undefined}
            value={currency || (sort === 'price' ? priceCurrency : null)}
            onChange={(value) => onChange({ currency: value ?? '' })}
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
            onChange={(e) => setMaxPriceText(e.currentTarget.value)}
          />
        </Grid.Col>
        <Grid.Col span={{ base: 12, sm: 6, md: 3 }}>
          <Select
            label="Minimum rating"
            placeholder="Any rating"
            data={MIN_RATING_OPTIONS}
            value={filters.minRating}
            onChange={(value) => onChange({ minRating: MIN_RATINGS.find((r) => r === value) ?? null })}
            clearable
          />
        </Grid.Col>
        <Grid.Col span={{ base: 12, sm: 6, md: 3 }}>
          <Select
            label="Sort by"
            data={SORTS.filter((s) => s.value !== 'relevance' || q)}
            value={sort}
            onChange={(value) => onChange({ sort: SORTS.find((s) => s.value === value)?.value ?? null })}
            allowDeselect={false}
          />
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 2 }}>
          <Button variant="default" onClick={onClear} disabled={!filtered} fullWidth>
            Clear filters
          </Button>
        </Grid.Col>
      </Grid>
    </Paper>
  );
}
