import { unwrap, type ApiResult } from '@lm/api-client';
import { infiniteQueryOptions, keepPreviousData, queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../lib/api';

// ---------------------------------------------------------------------------------------------
// Types mirroring the reviews API contract (plan 13). The generated client does not name these
// routes yet; once it does, these become aliases of components['schemas'][…].
// ---------------------------------------------------------------------------------------------

export type ReviewSide = 'CLIENT' | 'LAWYER';
export type ReviewTarget = 'REVIEW' | 'RESPONSE';
export type ReportReason = 'SPAM' | 'OFFENSIVE' | 'PERSONAL_DATA' | 'FALSE_INFORMATION' | 'CONFLICT_OF_INTEREST' | 'OTHER';
export type ModerationReason = ReportReason | 'REPORT_REJECTED';
export type ModerationAction = 'HIDE' | 'UNHIDE';
export type AdminReviewStatus = 'REPORTED' | 'HIDDEN' | 'ALL';

export interface ReviewReply {
  body: string;
  createdAt: string;
}

/** A review as its author (or the other participant, once published) sees it. */
export interface Review {
  id: string;
  sessionId: string;
  authorSide: ReviewSide;
  rating: number;
  comment: string;
  createdAt: string;
  publishedAt: string | null;
  hidden: boolean;
  response: ReviewReply | null;
}

export interface SessionReviews {
  window: { state: 'NOT_OPEN' | 'OPEN' | 'CLOSED'; deadlineAt: string | null };
  canReview: boolean;
  refusal: { code: string; message: string } | null;
  mine: Review | null;
  theirs: Review | null;
}

export interface LawyerRating {
  lawyerId: string;
  average: number | null;
  count: number;
  distribution: Record<'1' | '2' | '3' | '4' | '5', number>;
  score: number;
  prior: { mean: number; weight: number };
}

export interface PublicReview {
  id: string;
  rating: number;
  comment: string;
  publishedAt: string;
  offeringTitle: string;
  author: 'Verified client';
  response: ReviewReply | null;
}

export interface PublicReviewPage {
  items: PublicReview[];
  nextCursor: string | null;
  total: number;
}

export type ListedReply = ReviewReply & { hidden: boolean };

/** One of my reviews, written or received (a lawyer's received ones carry the response). */
export interface MyReview {
  id: string;
  sessionId: string;
  offeringTitle: string;
  authorSide: ReviewSide;
  counterpartName: string | null;
  rating: number;
  comment: string;
  createdAt: string;
  publishedAt: string | null;
  status: 'PENDING' | 'PUBLISHED' | 'HIDDEN';
  response: ListedReply | null;
}

export interface MyReviewPage {
  items: MyReview[];
  total: number;
  page: number;
  pageSize: number;
}

export interface AdminReview {
  id: string;
  sessionId: string;
  offeringTitle: string;
  authorSide: ReviewSide;
  authorId: string;
  authorName: string | null;
  subjectId: string;
  subjectName: string | null;
  rating: number;
  comment: string;
  createdAt: string;
  publishedAt: string | null;
  hidden: boolean;
  responseHidden: boolean;
  openReports: number;
  response: ListedReply | null;
}

export interface AdminReviewPage {
  items: AdminReview[];
  total: number;
  page: number;
  pageSize: number;
}

export interface ReviewReport {
  id: string;
  reviewId: string;
  target: ReviewTarget;
  reason: ReportReason;
  note: string;
  status: 'OPEN' | 'CLOSED';
  reporterId: string;
  reporterName: string | null;
  closedByDecisionId: string | null;
  createdAt: string;
}

export interface ModerationDecision {
  id: string;
  reviewId: string;
  target: ReviewTarget;
  action: ModerationAction;
  reasonCode: ModerationReason;
  note: string;
  adminId: string;
  adminName: string | null;
  createdAt: string;
}

export interface AdminReviewDetail extends AdminReview {
  reports: ReviewReport[];
  decisions: ModerationDecision[];
}

export interface MyReviewsQuery {
  direction: 'received' | 'written';
  page: number;
  pageSize: number;
}

export interface AdminReviewsQuery {
  status: AdminReviewStatus;
  page: number;
  pageSize: number;
}

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

// Untyped view of the client for the routes the generated schema does not have yet (same
// runtime: openapi-fetch fills `{id}` from params.path).
interface Init {
  params?: { path?: Record<string, string>; query?: object };
  body?: unknown;
  signal?: AbortSignal;
}
type Call = (path: string, init?: Init) => Promise<ApiResult>;
const GET = api.GET as unknown as Call;
const POST = api.POST as unknown as Call;
const get = <T>(path: string, init?: Init) => unwrap(GET(path, init)) as Promise<T>;
const post = <T>(path: string, init?: Init) => unwrap(POST(path, init)) as Promise<T>;

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
    queryFn: ({ signal }) => get<SessionReviews>('/api/sessions/{id}/reviews', { params: { path: { id: sessionId } }, signal }),
  });

/** `GET /api/lawyers/:id/rating` (public). */
export const lawyerRatingQueryOptions = (lawyerId: string) =>
  queryOptions({
    queryKey: reviewKeys.rating(lawyerId),
    queryFn: ({ signal }) => get<LawyerRating>('/api/lawyers/{id}/rating', { params: { path: { id: lawyerId } }, signal }),
  });

/** `GET /api/lawyers/:id/reviews` (public), newest first, page after page by cursor ("Load more"). */
export const lawyerReviewsQueryOptions = (lawyerId: string) =>
  infiniteQueryOptions({
    queryKey: reviewKeys.publicList(lawyerId),
    initialPageParam: null as string | null,
    queryFn: ({ pageParam, signal }) =>
      get<PublicReviewPage>('/api/lawyers/{id}/reviews', {
        params: { path: { id: lawyerId }, query: { limit: PUBLIC_PAGE_SIZE, ...(pageParam ? { cursor: pageParam } : {}) } },
        signal,
      }),
    getNextPageParam: (last) => last.nextCursor,
  });

/** `GET /api/me/reviews?direction=…` (paged). */
export const myReviewsQueryOptions = (query: MyReviewsQuery) =>
  queryOptions({
    queryKey: reviewKeys.myList(query),
    queryFn: ({ signal }) => get<MyReviewPage>('/api/me/reviews', { params: { query }, signal }),
    placeholderData: keepPreviousData,
  });

/** `GET /api/admin/reviews?status=…` (paged moderation queue). */
export const adminReviewsQueryOptions = (query: AdminReviewsQuery) =>
  queryOptions({
    queryKey: reviewKeys.adminList(query),
    queryFn: ({ signal }) => get<AdminReviewPage>('/api/admin/reviews', { params: { query }, signal }),
    placeholderData: keepPreviousData,
  });

/** `GET /api/admin/reviews/:id`: the review, its response, reports and decision history. */
export const adminReviewQueryOptions = (id: string) =>
  queryOptions({
    queryKey: reviewKeys.adminDetail(id),
    queryFn: ({ signal }) => get<AdminReviewDetail>('/api/admin/reviews/{id}', { params: { path: { id } }, signal }),
  });

/** `POST /api/sessions/:id/review`. The form shows the refusal or field errors itself. */
export function useSubmitReview() {
  const queryClient = useQueryClient();
  return useMutation({
    meta: { errorToast: false },
    mutationFn: ({ sessionId, rating, comment }: ReviewInput) =>
      post<Review>('/api/sessions/{id}/review', { params: { path: { id: sessionId } }, body: { rating, comment } }),
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
      post<ReviewReply>('/api/reviews/{id}/response', { params: { path: { id: reviewId } }, body: { body } }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: reviewKeys.all }),
  });
}

/** `POST /api/reviews/:id/reports`. */
export function useReportReview() {
  return useMutation({
    meta: { errorToast: false },
    mutationFn: ({ reviewId, target, reason, note }: ReportInput) =>
      post<unknown>('/api/reviews/{id}/reports', {
        params: { path: { id: reviewId } },
        body: { target, reason, ...(note.trim() ? { note: note.trim() } : {}) },
      }),
  });
}

/** `POST /api/admin/reviews/:id/moderation`: hide or unhide the review or its response. */
export function useModerateReview() {
  const queryClient = useQueryClient();
  return useMutation({
    meta: { errorToast: false },
    mutationFn: ({ reviewId, target, action, reasonCode, note }: ModerationInput) =>
      post<ModerationDecision>('/api/admin/reviews/{id}/moderation', {
        params: { path: { id: reviewId } },
        body: { target, action, reasonCode, ...(note.trim() ? { note: note.trim() } : {}) },
      }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: reviewKeys.all }),
  });
}
