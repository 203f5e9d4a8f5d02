import { unwrap, type components, type paths } from '@lm/api-client';
import { infiniteQueryOptions, keepPreviousData, queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../lib/api';

type Schemas = components['schemas'];

export type Review = Schemas['ReviewResponse'];
export type ReviewSide = Review['authorSide'];
export type ReviewReply = Schemas['ReviewReplyResponse'];
export type ListedReply = Schemas['ListedReviewReplyResponse'];
export type SessionReviews = Schemas['SessionReviewsResponse'];
export type LawyerRating = Schemas['LawyerRatingResponse'];
export type PublicReview = Schemas['PublicReviewResponse'];
export type PublicReviewPage = Schemas['PublicReviewsPageResponse'];
export type MyReview = Schemas['MyReviewResponse'];
export type MyReviewPage = Schemas['MyReviewsPageResponse'];
export type AdminReview = Schemas['AdminReviewResponse'];
export type AdminReviewPage = Schemas['AdminReviewsPageResponse'];
export type AdminReviewDetail = Schemas['AdminReviewDetailResponse'];
export type ReviewReport = Schemas['AdminReviewReportResponse'];
export type ModerationDecision = Schemas['ModerationDecisionResponse'];
export type ReportReason = Schemas['ReportReviewDto']['reason'];
export type ReviewTarget = Schemas['ModerateReviewDto']['target'];
export type ModerationAction = Schemas['ModerateReviewDto']['action'];
export type ModerationReason = Schemas['ModerateReviewDto']['reasonCode'];
export type MyReviewsQuery = NonNullable<paths['/api/me/reviews']['get']['parameters']['query']>;
export type AdminReviewsQuery = NonNullable<paths['/api/admin/reviews']['get']['parameters']['query']>;
export type AdminReviewStatus = NonNullable<AdminReviewsQuery['status']>;

export interface ReviewInput {
  sessionId: string;
  rating: number;
  comment: string;
}

export interface ReportInput {
  reviewId: string;
  target: ReviewTarget;
  reason: ReportReason;
  note: string;
}

export interface ModerationInput {
  reviewId: string;
  target: ReviewTarget;
  action: ModerationAction;
  reasonCode: ModerationReason;
  note: string;
}

export const COMMENT_MAX = 2000;
export const RESPONSE_MAX = 2000;
export const NOTE_MAX = 1000;
export const PUBLIC_PAGE_SIZE = 10;

export const reviewKeys = {
  all: ['reviews'] as const,
  session: (sessionId: string) => [...reviewKeys.all, 'session', sessionId] as const,
  lawyer: (lawyerId: string) => [...reviewKeys.all, 'lawyer', lawyerId] as const,
  rating: (lawyerId: string) => [...reviewKeys.lawyer(lawyerId), 'rating'] as const,
  publicList: (lawyerId: string) => [...reviewKeys.lawyer(lawyerId), 'list'] as const,
  mine: () => [...reviewKeys.all, 'mine'] as const,
  myList: (query: MyReviewsQuery) => [...reviewKeys.mine(), query] as const,
  admin: () => [...reviewKeys.all, 'admin'] as const,
  adminList: (query: AdminReviewsQuery) => [...reviewKeys.admin(), 'list', query] as const,
  adminDetail: (id: string) => [...reviewKeys.admin(), 'detail', id] as const,
};

/** `GET /api/sessions/:id/reviews`: the window, whether I may review, my review and (once published) theirs. */
export const sessionReviewsQueryOptions = (sessionId: string) =>
  queryOptions({
    queryKey: reviewKeys.session(sessionId),
    queryFn: ({ signal }) => unwrap(api.GET('/api/sessions/{id}/reviews', { params: { path: { id: sessionId } }, signal })),
  });

/** `GET /api/lawyers/:id/rating` (public). */
export const lawyerRatingQueryOptions = (lawyerId: string) =>
  queryOptions({
    queryKey: reviewKeys.rating(lawyerId),
    queryFn: ({ signal }) => unwrap(api.GET('/api/lawyers/{id}/rating', { params: { path: { id: lawyerId } }, signal })),
  });

/** `GET /api/lawyers/:id/reviews` (public), newest first, page after page by cursor ("Load more"). */
export const lawyerReviewsQueryOptions = (lawyerId: string) =>
  infiniteQueryOptions({
    queryKey: reviewKeys.publicList(lawyerId),
    initialPageParam: null as string | null,
    queryFn: ({ pageParam, signal }) =>
      unwrap(
        api.GET('/api/lawyers/{id}/reviews', {
          params: { path: { id: lawyerId }, query: { limit: PUBLIC_PAGE_SIZE, ...(pageParam ? { cursor: pageParam } : {}) } },
          signal,
        }),
      ),
    getNextPageParam: (last) => last.nextCursor,
  });

/** `GET /api/me/reviews?direction=…` (paged). */
export const myReviewsQueryOptions = (query: MyReviewsQuery) =>
  queryOptions({
    queryKey: reviewKeys.myList(query),
    queryFn: ({ signal }) => unwrap(api.GET('/api/me/reviews', { params: { query }, signal })),
    placeholderData: keepPreviousData,
  });

/** `GET /api/admin/reviews?status=…` (paged moderation queue). */
export const adminReviewsQueryOptions = (query: AdminReviewsQuery) =>
  queryOptions({
    queryKey: reviewKeys.adminList(query),
    queryFn: ({ signal }) => unwrap(api.GET('/api/admin/reviews', { params: { query }, signal })),
    placeholderData: keepPreviousData,
  });

/** `GET /api/admin/reviews/:id`: the review, its response, reports and decision history. */
export const adminReviewQueryOptions = (id: string) =>
  queryOptions({
    queryKey: reviewKeys.adminDetail(id),
    queryFn: ({ signal }) => unwrap(api.GET('/api/admin/reviews/{id}', { params: { path: { id } }, signal })),
  });

/** `POST /api/sessions/:id/review`. The form shows the refusal or field errors itself. */
export function useSubmitReview() {
  const queryClient = useQueryClient();
  return useMutation({
    meta: { errorToast: false },
    mutationFn: ({ sessionId, rating, comment }: ReviewInput) =>
      unwrap(api.POST('/api/sessions/{id}/review', { params: { path: { id: sessionId } }, body: { rating, comment } })),
    // Submitting may publish both reviews (and change the lawyer's rating): reload them all.
    onSettled: () => queryClient.invalidateQueries({ queryKey: reviewKeys.all }),
  });
}

/** `POST /api/reviews/:id/response` (the reviewed lawyer, once). */
export function useRespondToReview() {
  const queryClient = useQueryClient();
  return useMutation({
    meta: { errorToast: false },
    mutationFn: ({ reviewId, body }: { reviewId: string; body: string }) =>
      unwrap(api.POST('/api/reviews/{id}/response', { params: { path: { id: reviewId } }, body: { body } })),
    onSettled: () => queryClient.invalidateQueries({ queryKey: reviewKeys.all }),
  });
}

/** `POST /api/reviews/:id/reports`. */
export function useReportReview() {
  return useMutation({
    meta: { errorToast: false },
    mutationFn: ({ reviewId, target, reason, note }: ReportInput) =>
      unwrap(
        api.POST('/api/reviews/{id}/reports', {
          params: { path: { id: reviewId } },
          body: { target, reason, ...(note.trim() ? { note: note.trim() } : {}) },
        }),
      ),
  });
}

/** `POST /api/admin/reviews/:id/moderation`: hide or unhide the review or its response. */
export function useModerateReview() {
  const queryClient = useQueryClient();
  return useMutation({
    meta: { errorToast: false },
    mutationFn: ({ reviewId, target, action, reasonCode, note }: ModerationInput) =>
      unwrap(
        api.POST('/api/admin/reviews/{id}/moderation', {
          params: { path: { id: reviewId } },
          body: { target, action, reasonCode, ...(note.trim() ? { note: note.trim() } : {}) },
        }),
      ),
    onSettled: () => queryClient.invalidateQueries({ queryKey: reviewKeys.all }),
  });
}
