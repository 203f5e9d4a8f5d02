import { unwrap, type components } from '@lm/api-client';
import { keepPreviousData, queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../lib/api';

export type WebhookEndpoint = components['schemas']['WebhookEndpointResponse'];
export type CreatedWebhookEndpoint = components['schemas']['CreatedWebhookEndpointResponse'];
export type NewWebhookEndpoint = components['schemas']['CreateWebhookEndpointDto'];
export type WebhookEndpointChanges = components['schemas']['UpdateWebhookEndpointDto'];
export type WebhookDelivery = components['schemas']['WebhookDeliveryResponse'];
export type WebhookDeliveryDetail = components['schemas']['WebhookDeliveryDetailResponse'];
export type WebhookAttempt = components['schemas']['WebhookAttemptResponse'];

export const webhookKeys = {
  all: ['webhooks'] as const,
  endpoints: () => [...webhookKeys.all, 'endpoints'] as const,
  endpoint: (id: string) => [...webhookKeys.all, 'endpoint', id] as const,
  deliveries: (endpointId: string) => [...webhookKeys.all, 'deliveries', endpointId] as const,
  deliveryPage: (endpointId: string, page: number, pageSize: number) =>
    [...webhookKeys.deliveries(endpointId), { page, pageSize }] as const,
  delivery: (id: string) => [...webhookKeys.all, 'delivery', id] as const,
};

/**
 * A new delivery (a test event, say) is sent within seconds: until its first attempt, its list
 * and detail refresh on their own. A delivery waiting for a retry (minutes to hours) does not.
 */
const PENDING_REFRESH_MS = 2_000;
const awaitingFirstAttempt = (d: { status: string; attempts: number }) => d.status === 'PENDING' && d.attempts === 0;

export const webhookEndpointsQueryOptions = () =>
  queryOptions({
    queryKey: webhookKeys.endpoints(),
    queryFn: ({ signal }) => unwrap(api.GET('/api/webhooks/endpoints', { signal })),
  });

export const webhookEndpointQueryOptions = (id: string) =>
  queryOptions({
    queryKey: webhookKeys.endpoint(id),
    queryFn: ({ signal }) => unwrap(api.GET('/api/webhooks/endpoints/{id}', { params: { path: { id } }, signal })),
  });

export const webhookDeliveriesQueryOptions = (endpointId: string, page: number, pageSize: number) =>
  queryOptions({
    queryKey: webhookKeys.deliveryPage(endpointId, page, pageSize),
    queryFn: ({ signal }) =>
      unwrap(
        api.GET('/api/webhooks/endpoints/{id}/deliveries', {
          params: { path: { id: endpointId }, query: { page, pageSize } },
          signal,
        }),
      ),
    placeholderData: keepPreviousData,
    refetchInterval: (query) => (query.state.data?.items.some(awaitingFirstAttempt) ? PENDING_REFRESH_MS : false),
  });

export const webhookDeliveryQueryOptions = (id: string) =>
  queryOptions({
    queryKey: webhookKeys.delivery(id),
    queryFn: ({ signal }) => unwrap(api.GET('/api/webhooks/deliveries/{id}', { params: { path: { id } }, signal })),
    refetchInterval: (query) => (query.state.data && awaitingFirstAttempt(query.state.data) ? PENDING_REFRESH_MS : false),
  });

/** The response carries the signing secret; it is shown once and never cached in a query. */
export function useCreateWebhookEndpoint() {
  const queryClient = useQueryClient();
  return useMutation({
    meta: { errorToast: false },
    mutationFn: (body: NewWebhookEndpoint) => unwrap(api.POST('/api/webhooks/endpoints', { body })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: webhookKeys.endpoints() }),
  });
}

export function useUpdateWebhookEndpoint(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    meta: { errorToast: false },
    mutationFn: (body: WebhookEndpointChanges) =>
      unwrap(api.PATCH('/api/webhooks/endpoints/{id}', { params: { path: { id } }, body })),
    onSuccess: (endpoint) => {
      queryClient.setQueryData(webhookKeys.endpoint(id), endpoint);
      return queryClient.invalidateQueries({ queryKey: webhookKeys.endpoints() });
    },
  });
}

export function useDeleteWebhookEndpoint() {
  const queryClient = useQueryClient();
  return useMutation({
    meta: { errorToast: false },
    mutationFn: (id: string) => unwrap(api.DELETE('/api/webhooks/endpoints/{id}', { params: { path: { id } } })),
    onSuccess: (_data, id) => {
      queryClient.removeQueries({ queryKey: webhookKeys.endpoint(id) });
      return queryClient.invalidateQueries({ queryKey: webhookKeys.endpoints() });
    },
  });
}

/** The new secret is in the response only. */
export function useRotateWebhookSecret(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    meta: { errorToast: false },
    mutationFn: () => unwrap(api.POST('/api/webhooks/endpoints/{id}/rotate-secret', { params: { path: { id } } })),
    onSuccess: ({ endpoint }) => {
      queryClient.setQueryData(webhookKeys.endpoint(id), endpoint);
      return queryClient.invalidateQueries({ queryKey: webhookKeys.endpoints() });
    },
  });
}

export function useSendWebhookTest(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    meta: { errorToast: false },
    mutationFn: () => unwrap(api.POST('/api/webhooks/endpoints/{id}/test', { params: { path: { id } } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: webhookKeys.deliveries(id) }),
  });
}

/** Sends now and answers with the delivery as it then stands (the attempt is in its history). */
export function useReplayWebhookDelivery(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    meta: { errorToast: false },
    mutationFn: () => unwrap(api.POST('/api/webhooks/deliveries/{id}/replay', { params: { path: { id } } })),
    onSuccess: (delivery) => {
      queryClient.setQueryData(webhookKeys.delivery(id), delivery);
      return queryClient.invalidateQueries({ queryKey: webhookKeys.deliveries(delivery.endpointId) });
    },
  });
}
