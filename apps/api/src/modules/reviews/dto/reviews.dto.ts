import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsNotEmpty, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { MaxChars } from '../../../common/validation/max-chars';
import { PageQueryDto } from '../../../common/http/page-query.dto';
import { PagedResponse } from '../../../common/http/paged.response';
import { IsOmittable } from '../../../common/validation/omittable';
import type { AdminReviewDetail } from '../review-moderation.service';
import { MODERATION_NOTE_MAX, RATING_MAX, RATING_MIN, RATING_PRIOR_MEAN, RATING_PRIOR_WEIGHT, RESPONSE_BODY_MAX, REVIEW_COMMENT_MAX } from '../review-rules';
import type { LawyerRating, PublicReview } from '../public-reviews.service';
import type { ModerationDecision, ReviewListing, ReviewReply, ReviewReport } from '../reviews.repository';
import type { SessionReview, SessionReviews } from '../reviews.service';

export const REPORT_REASONS = ['SPAM', 'OFFENSIVE', 'PERSONAL_DATA', 'FALSE_INFORMATION', 'CONFLICT_OF_INTEREST', 'OTHER'] as const;
export const MODERATION_REASONS = [...REPORT_REASONS.slice(0, 5), 'REPORT_REJECTED', 'OTHER'] as const;
export const MODERATION_TARGETS = ['REVIEW', 'RESPONSE'] as const;
export const MODERATION_ACTIONS = ['HIDE', 'UNHIDE', 'DISMISS'] as const;
const SIDES = ['CLIENT', 'LAWYER'] as const;

// ——— requests ———

export class SubmitReviewDto {
  /** Whole stars, 1 to 5. */
  @ApiProperty({ type: 'integer', minimum: RATING_MIN, maximum: RATING_MAX, example: 5 })
  @IsInt()
  @Min(RATING_MIN)
  @Max(RATING_MAX)
  rating: number;

  /** What the author wants others to know (may be empty). Never editable once submitted. */
  @ApiPropertyOptional({ maxLength: REVIEW_COMMENT_MAX, example: 'Clear, practical advice on my residence permit.' })
  @IsOmittable()
  @IsString()
  @MaxChars(REVIEW_COMMENT_MAX)
  comment?: string;
}

export class SubmitResponseDto {
  /** The lawyer's public answer to the review; once, never editable. */
  @ApiProperty({ minLength: 1, maxLength: RESPONSE_BODY_MAX, example: 'Thank you, it was a pleasure to help.' })
  @IsString()
  @IsNotEmpty()
  @Matches(/\S/, { message: 'body must not be blank' })
  @MaxChars(RESPONSE_BODY_MAX)
  body: string;
}

export class ReportReviewDto {
  /** What is reported: the review (default) or the lawyer's response to it. */
  @ApiPropertyOptional({ enum: MODERATION_TARGETS, default: 'REVIEW' })
  @IsOmittable()
  @IsIn(MODERATION_TARGETS)
  target?: (typeof MODERATION_TARGETS)[number];

  @ApiProperty({ enum: REPORT_REASONS })
  @IsIn(REPORT_REASONS)
  reason: (typeof REPORT_REASONS)[number];

  @ApiPropertyOptional({ example: 'The review names the lawyer’s other client.', maxLength: MODERATION_NOTE_MAX })
  @IsOmittable()
  @IsString()
  @MaxChars(MODERATION_NOTE_MAX)
  note?: string;
}

export class ModerateReviewDto {
  @ApiProperty({ enum: MODERATION_TARGETS })
  @IsIn(MODERATION_TARGETS)
  target: (typeof MODERATION_TARGETS)[number];

  @ApiProperty({ enum: MODERATION_ACTIONS })
  @IsIn(MODERATION_ACTIONS)
  action: (typeof MODERATION_ACTIONS)[number];

  @ApiProperty({ enum: MODERATION_REASONS })
  @IsIn(MODERATION_REASONS)
  reasonCode: (typeof MODERATION_REASONS)[number];

  /** Why, for the record (admins only). */
  @ApiPropertyOptional({ example: 'Names a third party; hidden.', maxLength: MODERATION_NOTE_MAX })
  @IsOmittable()
  @IsString()
  @MaxChars(MODERATION_NOTE_MAX)
  note?: string;
}

export class PublicReviewsQueryDto {
  /** `nextCursor` of the previous page; absent for the first page. */
  @ApiPropertyOptional({ maxLength: 200 })
  @IsOptional()
  @IsString()
  @MaxChars(200)
  cursor?: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 50, default: 10 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(50)
  limit: number = 10;
}

export class MyReviewsQueryDto extends PageQueryDto {
  /** `written`: the caller's own reviews (any state); `received`: reviews of the caller, once published. */
  @ApiPropertyOptional({ enum: ['received', 'written'], default: 'received' })
  @IsOptional()
  @IsIn(['received', 'written'])
  direction: 'received' | 'written' = 'received';
}

export class AdminReviewsQueryDto extends PageQueryDto {
  /** REPORTED: with open reports; HIDDEN: the review or its response is hidden; ALL. */
  @ApiPropertyOptional({ enum: ['REPORTED', 'HIDDEN', 'ALL'], default: 'REPORTED' })
  @IsOptional()
  @IsIn(['REPORTED', 'HIDDEN', 'ALL'])
  status: 'REPORTED' | 'HIDDEN' | 'ALL' = 'REPORTED';
}

// ——— responses ———

export class ReviewReplyResponse {
  @ApiProperty({ example: 'Thank you for the review; glad the advice helped.' })
  body: string;
  @ApiProperty({ type: String, format: 'date-time' })
  createdAt: Date;
}

/** A review as its author or the session's other participant sees it. */
export class ReviewResponse {
  @ApiProperty({ format: 'uuid' })
  id: string;
  @ApiProperty({ format: 'uuid' })
  sessionId: string;
  /** Who wrote it: the client (of the lawyer) or the lawyer (of the client). */
  @ApiProperty({ enum: SIDES })
  authorSide: 'CLIENT' | 'LAWYER';
  @ApiProperty({ type: 'integer', minimum: 1, maximum: 5 })
  rating: number;
  @ApiProperty({ example: 'Clear, practical advice on my notice period; she explained every option.' })
  comment: string;
  @ApiProperty({ type: String, format: 'date-time' })
  createdAt: Date;
  /** When both sides could see it (null: still blind, until the other side reviews or the window closes). */
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  publishedAt: Date | null;
  /** Hidden by a moderator (only its author sees it then). */
  hidden: boolean;
  @ApiProperty({ type: ReviewReplyResponse, nullable: true })
  response: ReviewReplyResponse | null;
}

export class ReviewWindowResponse {
  /** NOT_OPEN: the session is not completed; OPEN: reviews may be written until deadlineAt; CLOSED. */
  @ApiProperty({ enum: ['NOT_OPEN', 'OPEN', 'CLOSED'] })
  state: 'NOT_OPEN' | 'OPEN' | 'CLOSED';
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  deadlineAt: Date | null;
}

export class ReviewRefusalResponse {
  @ApiProperty({ example: 'REVIEW_WINDOW_CLOSED' })
  code: string;
  @ApiProperty({ example: 'Reviews open once the session is completed.' })
  message: string;
}

export class SessionReviewsResponse {
  window: ReviewWindowResponse;
  /** Whether the caller may submit a review now. */
  canReview: boolean;
  /** Why not (the code POST …/review would answer), or null. */
  @ApiProperty({ type: ReviewRefusalResponse, nullable: true })
  refusal: ReviewRefusalResponse | null;
  @ApiProperty({ type: ReviewResponse, nullable: true })
  mine: ReviewResponse | null;
  /** The other participant's review, once published (both submitted, or the window closed) and unless hidden. */
  @ApiProperty({ type: ReviewResponse, nullable: true })
  theirs: ReviewResponse | null;
}

export class RatingDistributionResponse {
  @ApiProperty({ name: '1', type: 'integer' })
  '1': number;
  @ApiProperty({ name: '2', type: 'integer' })
  '2': number;
  @ApiProperty({ name: '3', type: 'integer' })
  '3': number;
  @ApiProperty({ name: '4', type: 'integer' })
  '4': number;
  @ApiProperty({ name: '5', type: 'integer' })
  '5': number;
}

export class RatingPriorResponse {
  @ApiProperty({ example: RATING_PRIOR_MEAN })
  mean: number;
  @ApiProperty({ example: RATING_PRIOR_WEIGHT })
  weight: number;
}

/** A lawyer's rating over their visible reviews. */
export class LawyerRatingResponse {
  @ApiProperty({ format: 'uuid' })
  lawyerId: string;
  /** Mean stars, two decimals; null without reviews. */
  @ApiProperty({ type: Number, nullable: true, example: 4.67 })
  average: number | null;
  @ApiProperty({ type: 'integer', example: 3 })
  count: number;
  distribution: RatingDistributionResponse;
  /** Bayesian score used for ranking, (weight × mean + sum) / (weight + count), four decimals. */
  @ApiProperty({ example: 4.25 })
  score: number;
  prior: RatingPriorResponse;
}

export class PublicReviewResponse {
  @ApiProperty({ format: 'uuid' })
  id: string;
  @ApiProperty({ type: 'integer', minimum: 1, maximum: 5 })
  rating: number;
  @ApiProperty({ example: 'Clear, practical advice on my notice period; she explained every option.' })
  comment: string;
  @ApiProperty({ type: String, format: 'date-time' })
  publishedAt: Date;
  @ApiProperty({ example: 'Employment contract review (60 min)' })
  offeringTitle: string;
  /** Authors are not named publicly. */
  @ApiProperty({ enum: ['Verified client'] })
  author: 'Verified client';
  @ApiProperty({ type: ReviewReplyResponse, nullable: true })
  response: ReviewReplyResponse | null;
}

export class PublicReviewsPageResponse {
  @ApiProperty({ type: [PublicReviewResponse] })
  items: PublicReviewResponse[];
  /** Pass as `cursor` for the next page; null on the last page. */
  @ApiProperty({ type: String, nullable: true })
  nextCursor: string | null;
  /** Visible reviews of the lawyer in all. */
  @ApiProperty({ type: 'integer' })
  total: number;
}

export class ModerationDecisionResponse {
  @ApiProperty({ format: 'uuid' })
  id: string;
  @ApiProperty({ format: 'uuid' })
  reviewId: string;
  @ApiProperty({ enum: MODERATION_TARGETS })
  target: string;
  @ApiProperty({ enum: MODERATION_ACTIONS })
  action: string;
  /** The admins' reasons, or SESSION_NO_SHOW for the system's decision when support records the session as a no-show. */
  @ApiProperty({ enum: [...MODERATION_REASONS, 'SESSION_NO_SHOW'] })
  reasonCode: string;
  @ApiProperty({ example: 'Names a third party; hidden.' })
  note: string;
  /** Null for the system's decision (SESSION_NO_SHOW). */
  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  adminId: string | null;
  @ApiProperty({ type: String, nullable: true })
  adminName: string | null;
  @ApiProperty({ type: String, format: 'date-time' })
  createdAt: Date;
}

export class ReviewReportResponse {
  @ApiProperty({ format: 'uuid' })
  id: string;
  @ApiProperty({ format: 'uuid' })
  reviewId: string;
  @ApiProperty({ enum: MODERATION_TARGETS })
  target: string;
  @ApiProperty({ enum: REPORT_REASONS })
  reason: string;
  @ApiProperty({ example: 'The review names the lawyer’s other client.' })
  note: string;
  @ApiProperty({ enum: ['OPEN', 'CLOSED'] })
  status: string;
  @ApiProperty({ type: String, format: 'date-time' })
  createdAt: Date;
}

export class AdminReviewReportResponse extends ReviewReportResponse {
  @ApiProperty({ format: 'uuid' })
  reporterId: string;
  @ApiProperty({ type: String, nullable: true })
  reporterName: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  closedByDecisionId: string | null;
}

export class ListedReviewReplyResponse extends ReviewReplyResponse {
  /** Hidden by a moderator. */
  hidden: boolean;
}

/** One of the caller's own reviews (written or received). */
export class MyReviewResponse {
  @ApiProperty({ format: 'uuid' })
  id: string;
  @ApiProperty({ format: 'uuid' })
  sessionId: string;
  @ApiProperty({ example: 'Employment contract review (60 min)' })
  offeringTitle: string;
  @ApiProperty({ enum: SIDES })
  authorSide: 'CLIENT' | 'LAWYER';
  /** The other participant's name. */
  @ApiProperty({ type: String, nullable: true })
  counterpartName: string | null;
  @ApiProperty({ type: 'integer', minimum: 1, maximum: 5 })
  rating: number;
  @ApiProperty({ example: 'Clear, practical advice on my notice period; she explained every option.' })
  comment: string;
  @ApiProperty({ type: String, format: 'date-time' })
  createdAt: Date;
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  publishedAt: Date | null;
  /** PENDING: not visible to the other side yet; PUBLISHED; HIDDEN by a moderator. */
  @ApiProperty({ enum: ['PENDING', 'PUBLISHED', 'HIDDEN'] })
  status: 'PENDING' | 'PUBLISHED' | 'HIDDEN';
  @ApiProperty({ type: ListedReviewReplyResponse, nullable: true })
  response: ListedReviewReplyResponse | null;
}

export class MyReviewsPageResponse extends PagedResponse(MyReviewResponse) {}

export class AdminReviewResponse {
  @ApiProperty({ format: 'uuid' })
  id: string;
  @ApiProperty({ format: 'uuid' })
  sessionId: string;
  @ApiProperty({ example: 'Employment contract review (60 min)' })
  offeringTitle: string;
  @ApiProperty({ enum: SIDES })
  authorSide: 'CLIENT' | 'LAWYER';
  @ApiProperty({ format: 'uuid' })
  authorId: string;
  @ApiProperty({ type: String, nullable: true })
  authorName: string | null;
  @ApiProperty({ format: 'uuid' })
  subjectId: string;
  @ApiProperty({ type: String, nullable: true })
  subjectName: string | null;
  @ApiProperty({ type: 'integer', minimum: 1, maximum: 5 })
  rating: number;
  @ApiProperty({ example: 'Clear, practical advice on my notice period; she explained every option.' })
  comment: string;
  @ApiProperty({ type: String, format: 'date-time' })
  createdAt: Date;
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  publishedAt: Date | null;
  hidden: boolean;
  responseHidden: boolean;
  @ApiProperty({ type: 'integer' })
  openReports: number;
  @ApiProperty({ type: ListedReviewReplyResponse, nullable: true })
  response: ListedReviewReplyResponse | null;
}

export class AdminReviewsPageResponse extends PagedResponse(AdminReviewResponse) {}

export class AdminReviewDetailResponse extends AdminReviewResponse {
  @ApiProperty({ type: [AdminReviewReportResponse] })
  reports: AdminReviewReportResponse[];
  @ApiProperty({ type: [ModerationDecisionResponse] })
  decisions: ModerationDecisionResponse[];
}

// ——— mappers ———

const reply = (r: ReviewReply): ReviewReplyResponse => ({ body: r.body, createdAt: r.createdAt });

export function toReviewResponse({ review, response }: SessionReview): ReviewResponse {
  return {
    id: review.id,
    sessionId: review.sessionId,
    authorSide: review.authorSide,
    rating: review.rating,
    comment: review.comment,
    createdAt: review.createdAt,
    publishedAt: review.publishedAt,
    hidden: review.hidden,
    response: response ? reply(response) : null,
  };
}

export function toSessionReviewsResponse(s: SessionReviews): SessionReviewsResponse {
  return {
    window: s.window,
    canReview: s.canReview,
    refusal: s.refusal,
    mine: s.mine ? toReviewResponse(s.mine) : null,
    theirs: s.theirs ? toReviewResponse(s.theirs) : null,
  };
}

export const toLawyerRatingResponse = (r: LawyerRating): LawyerRatingResponse => ({ ...r, distribution: { ...r.distribution }, prior: { ...r.prior } });

export const toPublicReviewResponse = (r: PublicReview): PublicReviewResponse => ({ ...r, response: r.response ? { ...r.response } : null });

export function toMyReviewResponse(r: ReviewListing, viewerId: string): MyReviewResponse {
  return {
    id: r.id,
    sessionId: r.sessionId,
    offeringTitle: r.offeringTitle,
    authorSide: r.authorSide,
    counterpartName: r.authorId === viewerId ? r.subjectName : r.authorName,
    rating: r.rating,
    comment: r.comment,
    createdAt: r.createdAt,
    publishedAt: r.publishedAt,
    status: r.hidden ? 'HIDDEN' : r.publishedAt ? 'PUBLISHED' : 'PENDING',
    response: r.response ? { ...reply(r.response), hidden: r.responseHidden } : null,
  };
}

export function toAdminReviewResponse(r: ReviewListing): AdminReviewResponse {
  return {
    id: r.id,
    sessionId: r.sessionId,
    offeringTitle: r.offeringTitle,
    authorSide: r.authorSide,
    authorId: r.authorId,
    authorName: r.authorName,
    subjectId: r.subjectId,
    subjectName: r.subjectName,
    rating: r.rating,
    comment: r.comment,
    createdAt: r.createdAt,
    publishedAt: r.publishedAt,
    hidden: r.hidden,
    responseHidden: r.responseHidden,
    openReports: r.openReports,
    response: r.response ? { ...reply(r.response), hidden: r.responseHidden } : null,
  };
}

export const toReportResponse = (r: ReviewReport): ReviewReportResponse => ({
  id: r.id,
  reviewId: r.reviewId,
  target: r.target,
  reason: r.reason,
  note: r.note,
  status: r.status,
  createdAt: r.createdAt,
});

export const toDecisionResponse = (d: ModerationDecision): ModerationDecisionResponse => ({ ...d });

export function toAdminReviewDetailResponse(d: AdminReviewDetail): AdminReviewDetailResponse {
  return {
    ...toAdminReviewResponse(d.review),
    reports: d.reports.map((r) => ({ ...toReportResponse(r), reporterId: r.reporterId, reporterName: r.reporterName, closedByDecisionId: r.closedByDecisionId })),
    decisions: d.decisions.map(toDecisionResponse),
  };
}
