import type { AdminReviewStatus, ModerationReason, ReportReason, ReviewTarget } from './reviews.queries';

export const REPORT_REASON_LABELS: Record<ReportReason, string> = {
  SPAM: 'Spam or advertising',
  OFFENSIVE: 'Offensive or abusive',
  PERSONAL_DATA: 'Reveals personal data',
  FALSE_INFORMATION: 'False information',
  CONFLICT_OF_INTEREST: 'Conflict of interest',
  OTHER: 'Something else',
};

export const MODERATION_REASON_LABELS: Record<ModerationReason, string> = {
  ...REPORT_REASON_LABELS,
  REPORT_REJECTED: 'Report rejected (content is fine)',
};

export const REPORT_REASON_OPTIONS = Object.entries(REPORT_REASON_LABELS).map(([value, label]) => ({ value, label }));
export const MODERATION_REASON_OPTIONS = Object.entries(MODERATION_REASON_LABELS).map(([value, label]) => ({ value, label }));

export const TARGET_LABELS: Record<ReviewTarget, string> = { REVIEW: 'Review', RESPONSE: "Lawyer's response" };

export const ADMIN_STATUS_OPTIONS: { value: AdminReviewStatus; label: string }[] = [
  { value: 'REPORTED', label: 'Reported' },
  { value: 'HIDDEN', label: 'Hidden' },
  { value: 'ALL', label: 'All reviews' },
];

export const isReportReason = (value: string | null): value is ReportReason => value !== null && value in REPORT_REASON_LABELS;
export const isModerationReason = (value: string | null): value is ModerationReason =>
  value !== null && value in MODERATION_REASON_LABELS;

/** "4.67" → "4.7" for display; the exact value goes into the accessible text. */
export function formatAverage(average: number, locale: string): string {
  return new Intl.NumberFormat(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(average);
}

/** "4.7 out of 5 stars, 12 reviews" — the whole summary in one sentence for screen readers. */
export function ratingSentence(average: number | null, count: number, locale: string): string {
  if (average === null || count === 0) return 'No reviews yet';
  return `Rated ${formatAverage(average, locale)} out of 5 from ${count} review${count === 1 ? '' : 's'}`;
}
