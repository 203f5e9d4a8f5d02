import { unwrap, type components } from '@lm/api-client';
import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../lib/api';
import { directoryKeys } from '../directory/directory.queries';
import { lawyerKeys } from '../lawyer/lawyer.queries';

export type Offering = components['schemas']['OfferingResponse'];
export type CreateOfferingInput = components['schemas']['CreateOfferingDto'];
export type UpdateOfferingInput = components['schemas']['UpdateOfferingDto'];

export const offeringKeys = {
  all: ['offerings'] as const,
  own: () => [...offeringKeys.all, 'own'] as const,
};

export const ownOfferingsQueryOptions = () =>
  queryOptions({
    queryKey: offeringKeys.own(),
    queryFn: ({ signal }) => unwrap(api.GET('/api/lawyer/offerings', { signal })),
  });

function useOfferingsChanged() {
  const queryClient = useQueryClient();
  return () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: offeringKeys.all }),
      // The public profile and the directory list active offerings.
      queryClient.invalidateQueries({ queryKey: lawyerKeys.all }),
      queryClient.invalidateQueries({ queryKey: directoryKeys.all }),
    ]);
}

export function useCreateOffering() {
  const changed = useOfferingsChanged();
  return useMutation({
    meta: { errorToast: false },
    mutationFn: (body: CreateOfferingInput) => unwrap(api.POST('/api/lawyer/offerings', { body })),
    onSuccess: changed,
  });
}

export function useUpdateOffering() {
  const changed = useOfferingsChanged();
  return useMutation({
    meta: { errorToast: false },
    mutationFn: ({ id, body }: { id: string; body: UpdateOfferingInput }) =>
      unwrap(api.PATCH('/api/lawyer/offerings/{id}', { params: { path: { id } }, body })),
    onSuccess: changed,
  });
}
