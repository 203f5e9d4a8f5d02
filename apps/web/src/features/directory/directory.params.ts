import { PRACTICE_AREAS } from '@lm/domain';
import { oneOfParam, textParam } from '../../hooks/use-paged-list-params';
import type { DirectorySort } from './directory.queries';

export const LANGUAGE_CODES = [
  'en',
  'es',
  'fr',
  'de',
  'it',
  'pt',
  'nl',
  'pl',
  'ro',
  'ca',
  'sv',
  'da',
  'el',
  'ru',
  'uk',
  'tr',
  'ar',
  'zh',
  'ja',
  'hi',
] as const;
export const SORTS: { value: DirectorySort; label: string }[] = [
  { value: 'relevance', label: 'Best match' },
  { value: 'soonest', label: 'Soonest available' },
  { value: 'price', label: 'Lowest price' },
  { value: 'newest', label: 'Newest' },
];

/** The directory's search as it lives in the address: `?q=…&practiceArea=…&jurisdiction=…&language=…&currency=…&maxPrice=…&sort=…&page=…` */
export const DIRECTORY_PARAMS = {
  q: textParam(),
  practiceArea: oneOfParam(PRACTICE_AREAS),
  jurisdiction: textParam(),
  language: oneOfParam(LANGUAGE_CODES),
  // Any ISO 4217 code works through the API, so a shared link may name one the menu does not list.
  currency: textParam(),
  maxPrice: textParam(),
  // No fixed default: with a search text it is relevance, without one the soonest available.
  sort: oneOfParam(SORTS.map((s) => s.value)),
};
