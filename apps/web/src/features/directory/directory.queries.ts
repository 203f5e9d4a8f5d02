import { unwrap, type components, type paths } from '@lm/api-client';
import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import { api } from '../../lib/api';

type GeneratedDirectoryQuery = NonNullable<paths['/api/lawyers']['get']['parameters']['query']>;
// TEMPORARY until the reviews API lands in the generated client: sort=rating, minRating, card rating.
export type DirectorySort = NonNullable<GeneratedDirectoryQuery['sort']> | 'rating';
export type DirectoryQuery = Omit<GeneratedDirectoryQuery, 'sort'> & { sort?: DirectorySort; minRating?: number };
export type DirectoryLawyer = components['schemas']['DirectoryLawyerResponse'] & {
  rating?: { average: number | null; count: number };
};

export const directoryKeys = {
  all: ['directory'] as const,
  search: (query: DirectoryQuery) => [...directoryKeys.all, 'search', query] as const,
};

export const directorySearchQueryOptions = (query: DirectoryQuery) =>
  queryOptions({
    queryKey: directoryKeys.search(query),
    queryFn: ({ signal }) =>
      unwrap(api.GET('/api/lawyers', { params: { query: query as GeneratedDirectoryQuery }, signal })) as Promise<{
        items: DirectoryLawyer[];
        total: number;
      }>,
    placeholderData: keepPreviousData,
  });
