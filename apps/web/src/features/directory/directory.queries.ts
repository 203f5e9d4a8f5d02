import { unwrap, type components, type paths } from '@lm/api-client';
import { keepPreviousData, queryOptions } from '@tanstack/react-query';
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
