import { LANGUAGE_CODES, PRACTICE_AREAS } from '@lm/domain';
import { oneOfParam, textParam } from '../../hooks/use-paged-list-params';
import type { DirectorySort } from './directory.queries';

// ISO 639-1, the same list the profile's picker offers.
export { LANGUAGE_CODES } from '@lm/domain';
export const SORTS: { value: DirectorySort; label: string }[] = [
  { value: 'relevance', label: 'Best match' },
  { value: 'soonest', label: 'Soonest available' },
  { value: 'price', label: 'Lowest price' },
  { value: 'newest', label: 'Newest' },
  { value: 'rating', label: 'Highest rated' },
];

/** Minimum average rating (`?minRating=4`): lawyers without reviews are left out when set. */
export const MIN_RATINGS = ['4.5', '4', '3.5', '3'] as const;
export const MIN_RATING_OPTIONS = MIN_RATINGS.map((value) => ({ value, label: `${value} stars and up` }));

/** The directory's search as it lives in the address: `?q=…&practiceArea=…&jurisdiction=…&language=…&currency=…&maxPrice=…&minRating=…&sort=…&page=…` */
export const DIRECTORY_PARAMS = {
  q: textParam(),
  practiceArea: oneOfParam(PRACTICE_AREAS),
  jurisdiction: textParam(),
  language: oneOfParam(LANGUAGE_CODES),
  // Any ISO 4217 code works through the API, so a shared link may name one the menu does not list.
  currency: textParam(),
  maxPrice: textParam(),
  minRating: oneOfParam(MIN_RATINGS),
  // No fixed default: with a search text it is relevance, without one the soonest available.
  sort: oneOfParam(SORTS.map((s) => s.value)),
};
