import { ApiError, unwrap, type components, type paths } from '@lm/api-client';
import { keepPreviousData, queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../lib/api';

export type MySession = components['schemas']['MySessionResponse'];
export type SessionDetail = components['schemas']['SessionDetailResponse'];
export type SessionStatus = MySession['status'];
export type SessionRefund = components['schemas']['SessionRefundResponse'];
export type SessionEvent = components['schemas']['SessionEventResponse'];
export type CancellationQuote = components['schemas']['CancellationQuoteResponse'];
export type CancellationPolicy = CancellationQuote['policy'];
export type CancelResult = components['schemas']['CancelSessionResponse'];
export type Slot = components['schemas']['SlotResponse'];
export type MySessionsQuery = NonNullable<paths['/api/sessions']['get']['parameters']['query']>;
export type BookingPolicy = components['schemas']['BookingPolicyResponse'];
/** My sessions' lists (`?view=`). */
export type SessionListView = NonNullable<MySessionsQuery['view']>;

export interface SlotWindow {
  /** The session being booked or moved: its own duration, its own time not counted as busy. */
  sessionId: string;
  /** ISO instants. */
  from: string;
  to: string;
}

export const sessionKeys = {
  all: ['sessions'] as const,
  lists: () => [...sessionKeys.all, 'list'] as const,
  list: (query: MySessionsQuery) => [...sessionKeys.lists(), query] as const,
  details: () => [...sessionKeys.all, 'detail'] as const,
  detail: (id: string) => [...sessionKeys.details(), id] as const,
  quote: (id: string) => [...sessionKeys.all, 'cancellation-quote', id] as const,
  /** Free slots change with every booking, so they live under the sessions keys. */
  slots: () => [...sessionKeys.all, 'slots'] as const,
  slotWindow: (w: SlotWindow) => [...sessionKeys.slots(), w] as const,
  policy: () => [...sessionKeys.all, 'booking-policy'] as const,
};

/** `GET /api/booking-policy`: the cancellation/reschedule rules, shown before paying and booking. */
export const bookingPolicyQueryOptions = () =>
  queryOptions({
    queryKey: sessionKeys.policy(),
    queryFn: ({ signal }) => unwrap(api.GET('/api/booking-policy', { signal })),
    staleTime: 60 * 60_000,
  });

/** Whether `error` is the API refusing a booking until the email address is verified. */
export function isEmailNotVerified(error: unknown): boolean {
  return error instanceof ApiError && error.status === 403 && error.code === 'EMAIL_NOT_VERIFIED';
}

export const mySessionsQueryOptions = (query: MySessionsQuery) =>
  queryOptions({
    queryKey: sessionKeys.list(query),
    queryFn: ({ signal }) => unwrap(api.GET('/api/sessions', { params: { query }, signal })),
    placeholderData: keepPreviousData,
  });

export const sessionQueryOptions = (id: string) =>
  queryOptions({
    queryKey: sessionKeys.detail(id),
    queryFn: ({ signal }) => unwrap(api.GET('/api/sessions/{id}', { params: { path: { id } }, signal })),
  });

export const cancellationQuoteQueryOptions = (id: string) =>
  queryOptions({
    queryKey: sessionKeys.quote(id),
    queryFn: ({ signal }) => unwrap(api.GET('/api/sessions/{id}/cancellation-quote', { params: { path: { id } }, signal })),
    // The refund depends on the moment: always ask again when the dialog opens.
    staleTime: 0,
    gcTime: 0,
  });

export const slotsQueryOptions = (w: SlotWindow) =>
  queryOptions({
    queryKey: sessionKeys.slotWindow(w),
    queryFn: ({ signal }) =>
      unwrap(
        api.GET('/api/sessions/{id}/slots', {
          params: { path: { id: w.sessionId }, query: { from: w.from, to: w.to } },
          signal,
        }),
      ),
    staleTime: 15_000,
    placeholderData: keepPreviousData,
  });

/** Whether `error` is the API saying the chosen time is no longer free. */
export function isSlotTaken(error: unknown): boolean {
  return error instanceof ApiError && error.status === 409 && error.code === 'SLOT_NOT_AVAILABLE';
}

/**
 * `POST /api/checkout/create-session`: creates the unpaid session and sends the browser to the
 * checkout page (Stripe, or the local sandbox). The page is left, so there is no onSuccess UI.
 */
export function useStartCheckout() {
  return useMutation({
    mutationFn: (offeringId: string) => unwrap(api.POST('/api/checkout/create-session', { body: { offeringId } })),
    onSuccess: ({ checkoutUrl }) => window.location.assign(checkoutUrl),
    // EMAIL_NOT_VERIFIED is shown next to the button with a resend action, not as a toast.
    meta: { errorToast: false },
  });
}

/** `POST /api/auth/verify-email/resend`: another verification link for the signed-in user. */
export function useResendVerification() {
  return useMutation({
    meta: { errorToast: false },
    mutationFn: () => unwrap(api.POST('/api/auth/verify-email/resend')),
  });
}

/** `POST /api/checkout/sessions/:id/resume`: back to a checkout the client left while it is still open. */
export function useResumeCheckout() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (sessionId: string) =>
      unwrap(api.POST('/api/checkout/sessions/{sessionId}/resume', { params: { path: { sessionId } } })),
    onSuccess: ({ checkoutUrl }) => window.location.assign(checkoutUrl),
    // CHECKOUT_NOT_OPEN: it expired meanwhile; refetch so the page shows the session as it is.
    onError: (_err, sessionId) => queryClient.invalidateQueries({ queryKey: sessionKeys.detail(sessionId) }),
    // The session page shows the error next to the button.
    meta: { errorToast: false },
  });
}

function useSessionChanged() {
  const queryClient = useQueryClient();
  return (session: SessionDetail) => {
    queryClient.setQueryData(sessionKeys.detail(session.id), session);
    return Promise.all([
      queryClient.invalidateQueries({ queryKey: sessionKeys.lists() }),
      queryClient.invalidateQueries({ queryKey: sessionKeys.slots() }),
    ]);
  };
}

/** `POST /api/sessions/schedule` (client, PAID session). Errors are shown by the slot picker. */
export function useScheduleSession() {
  const changed = useSessionChanged();
  return useMutation({
    meta: { errorToast: false },
    mutationFn: (input: { sessionId: string; startAt: string }) => unwrap(api.POST('/api/sessions/schedule', { body: input })),
    onSuccess: changed,
  });
}

/** `POST /api/sessions/:id/reschedule`: a new time, same payment. */
export function useRescheduleSession() {
  const changed = useSessionChanged();
  return useMutation({
    meta: { errorToast: false },
    mutationFn: (input: { sessionId: string; startAt: string }) =>
      unwrap(
        api.POST('/api/sessions/{id}/reschedule', { params: { path: { id: input.sessionId } }, body: { startAt: input.startAt } }),
      ),
    onSuccess: changed,
  });
}

/** `POST /api/sessions/:id/cancel`; the refund (if any) is in the answer. */
export function useCancelSession() {
  const changed = useSessionChanged();
  return useMutation({
    meta: { errorToast: false },
    mutationFn: (input: { sessionId: string; reason?: string }) =>
      unwrap(
        api.POST('/api/sessions/{id}/cancel', {
          params: { path: { id: input.sessionId } },
          body: input.reason ? { reason: input.reason } : {},
        }),
      ),
    onSuccess: (result) => changed(result.session),
  });
}

/** `POST /api/sessions/:id/complete` (lawyer, after the end). */
export function useCompleteSession() {
  const changed = useSessionChanged();
  return useMutation({
    mutationFn: (sessionId: string) => unwrap(api.POST('/api/sessions/{id}/complete', { params: { path: { id: sessionId } } })),
    onSuccess: changed,
  });
}

/**
 * `GET /api/sessions/:id/calendar.ics` needs the bearer token, so a plain link cannot fetch it:
 * the file is fetched through the client as a Blob and handed to the browser as a download.
 */
export function useDownloadCalendar() {
  return useMutation({
    mutationFn: async (sessionId: string) => {
      const blob = await unwrap(
        api.GET('/api/sessions/{id}/calendar.ics', { params: { path: { id: sessionId } }, parseAs: 'blob' }),
      );
      const url = URL.createObjectURL(blob);
      try {
        const link = document.createElement('a');
        link.href = url;
        link.download = `lexmarket-session-${sessionId}.ics`;
        document.body.append(link);
        link.click();
        link.remove();
      } finally {
        // Give the browser a moment to start the download before the URL goes away.
        setTimeout(() => URL.revokeObjectURL(url), 10_000);
      }
    },
  });
}

/** `POST /api/sessions/:id/reschedule-proposal` (lawyer): propose a new time; the client decides. */
export function useProposeReschedule() {
  const changed = useSessionChanged();
  return useMutation({
    meta: { errorToast: false },
    mutationFn: (input: { sessionId: string; startAt: string }) =>
      unwrap(
        api.POST('/api/sessions/{id}/reschedule-proposal', { params: { path: { id: input.sessionId } }, body: { startAt: input.startAt } }),
      ),
    onSuccess: changed,
  });
}

/** `POST /api/sessions/:id/reschedule-proposal/withdraw` (lawyer). */
export function useWithdrawProposal() {
  const changed = useSessionChanged();
  return useMutation({
    mutationFn: (sessionId: string) =>
      unwrap(api.POST('/api/sessions/{id}/reschedule-proposal/withdraw', { params: { path: { id: sessionId } } })),
    onSuccess: changed,
  });
}

/** `POST /api/sessions/:id/reschedule-proposal/accept` (client): the session moves to the proposed time. */
export function useAcceptProposal() {
  const changed = useSessionChanged();
  return useMutation({
    meta: { errorToast: false },
    mutationFn: (sessionId: string) =>
      unwrap(api.POST('/api/sessions/{id}/reschedule-proposal/accept', { params: { path: { id: sessionId } } })),
    onSuccess: changed,
  });
}

/** `POST /api/sessions/:id/reschedule-proposal/decline` (client): keep the time, or cancel with a full refund. */
export function useDeclineProposal() {
  const changed = useSessionChanged();
  return useMutation({
    meta: { errorToast: false },
    mutationFn: (input: { sessionId: string; outcome: 'keep' | 'cancel' }) =>
      unwrap(
        api.POST('/api/sessions/{id}/reschedule-proposal/decline', {
          params: { path: { id: input.sessionId } },
          body: { outcome: input.outcome },
        }),
      ),
    onSuccess: changed,
  });
}
