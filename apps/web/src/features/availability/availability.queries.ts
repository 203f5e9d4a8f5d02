import { unwrap, type components } from '@lm/api-client';
import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../lib/api';
import { directoryKeys } from '../directory/directory.queries';
import { lawyerKeys } from '../lawyer/lawyer.queries';

export type Availability = components['schemas']['AvailabilityResponse'];
export type UpdateAvailabilityInput = components['schemas']['UpdateAvailabilityDto'];
export type WeeklyWindow = components['schemas']['WeeklyWindowDto'];
export type LocalWindow = components['schemas']['LocalWindowDto'];
export type CreateBlackoutInput = components['schemas']['CreateBlackoutDto'];

export const availabilityKeys = {
  all: ['availability'] as const,
  own: () => [...availabilityKeys.all, 'own'] as const,
};

export const ownAvailabilityQueryOptions = () =>
  queryOptions({
    queryKey: availabilityKeys.own(),
    queryFn: ({ signal }) => unwrap(api.GET('/api/lawyer/availability', { signal })),
  });

/** Every change answers with the whole availability: store it, and refresh what shows free times. */
function useAvailabilityChanged() {
  const queryClient = useQueryClient();
  return (availability?: Availability) => {
    if (availability) queryClient.setQueryData(availabilityKeys.own(), availability);
    return Promise.all([
      availability ? undefined : queryClient.invalidateQueries({ queryKey: availabilityKeys.all }),
      queryClient.invalidateQueries({ queryKey: lawyerKeys.all }),
      queryClient.invalidateQueries({ queryKey: directoryKeys.all }),
    ]);
  };
}

export function useUpdateAvailability() {
  const changed = useAvailabilityChanged();
  return useMutation({
    meta: { errorToast: false },
    mutationFn: (body: UpdateAvailabilityInput) => unwrap(api.PUT('/api/lawyer/availability', { body })),
    onSuccess: changed,
  });
}

export function useSetOverride() {
  const changed = useAvailabilityChanged();
  return useMutation({
    meta: { errorToast: false },
    mutationFn: ({ date, windows }: { date: string; windows: LocalWindow[] }) =>
      unwrap(api.PUT('/api/lawyer/availability/overrides/{date}', { params: { path: { date } }, body: { windows } })),
    onSuccess: changed,
  });
}

export function useRemoveOverride() {
  const changed = useAvailabilityChanged();
  return useMutation({
    mutationFn: (date: string) => unwrap(api.DELETE('/api/lawyer/availability/overrides/{date}', { params: { path: { date } } })),
    onSuccess: () => changed(),
  });
}

export function useAddBlackout() {
  const changed = useAvailabilityChanged();
  return useMutation({
    meta: { errorToast: false },
    mutationFn: (body: CreateBlackoutInput) => unwrap(api.POST('/api/lawyer/availability/blackouts', { body })),
    onSuccess: () => changed(),
  });
}

export function useRemoveBlackout() {
  const changed = useAvailabilityChanged();
  return useMutation({
    mutationFn: (id: string) => unwrap(api.DELETE('/api/lawyer/availability/blackouts/{id}', { params: { path: { id } } })),
    onSuccess: () => changed(),
  });
}
