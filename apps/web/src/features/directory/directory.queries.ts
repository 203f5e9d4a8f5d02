import { unwrap, type components, type paths } from '@lm/api-client';
import { infiniteQueryOptions, keepPreviousData, queryOptions } from '@tanstack/react-query';
import { api } from '../../lib/api';

export type DirectoryQuery = NonNullable<paths['/api/lawyers']['get']['parameters']['query']>;
export type DirectorySort = NonNullable<DirectoryQuery['sort']>;
export type DirectoryLawyer = components['schemas']['DirectoryLawyerResponse'];

export const directoryKeys = {
  all: ['directory'] as const,
  search: (query: DirectoryQuery) => [...directoryKeys.all, 'search', query] as const,
};

export const directorySearchQueryOptions = (query: DirectoryQuery) =>
  queryOptions({
    queryKey: directoryKeys.search(query),
    queryFn: ({ signal }) => unwrap(api.GET('/api/lawyers', { params: { query }, signal })),
    placeholderData: keepPreviousData,
  });

/**
 * The results after the last numbered page (a capped total: "1,000+"), by cursor: each "Load
 * more" reads the next page from where the previous one ended, however deep.
 */
export const directoryMoreQueryOptions = (query: DirectoryQuery, startCursor: string) =>
  infiniteQueryOptions({
    queryKey: [...directoryKeys.search(query), 'more', startCursor] as const,
    queryFn: ({ pageParam, signal }) =>
      unwrap(api.GET('/api/lawyers', { params: { query: { ...query, page: 1, cursor: pageParam } }, signal })),
    initialPageParam: startCursor,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
