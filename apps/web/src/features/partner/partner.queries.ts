import { unwrap } from '@lm/api-client';
import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import { api } from '../../lib/api';

export const partnerKeys = {
  all: ['partner'] as const,
  referralLink: () => [...partnerKeys.all, 'referral-link'] as const,
  referrals: (page: number, pageSize: number) => [...partnerKeys.all, 'referrals', { page, pageSize }] as const,
};

export const referralLinkQueryOptions = () =>
  queryOptions({
    queryKey: partnerKeys.referralLink(),
    queryFn: ({ signal }) => unwrap(api.GET('/api/partner/referral-link', { signal })),
    staleTime: Infinity,
  });

export const referralsQueryOptions = (page: number, pageSize: number) =>
  queryOptions({
    queryKey: partnerKeys.referrals(page, pageSize),
    queryFn: ({ signal }) => unwrap(api.GET('/api/partner/referrals', { params: { query: { page, pageSize } }, signal })),
    placeholderData: keepPreviousData,
  });
