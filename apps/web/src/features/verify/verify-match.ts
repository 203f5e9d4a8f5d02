import type { components } from '@lm/api-client';
import { formatDateTimeZoned } from '../../lib/time';

/** One thing the verify endpoint found with the fingerprint: a recording or an executed contract (never names or content). */
export type VerifyMatch = components['schemas']['VerifyMatchResponse'];

/** The alert's title: what kind of file this is. */
export function foundTitle(matches: readonly VerifyMatch[]): string {
  const kinds = new Set(matches.map((m) => m.kind));
  if (kinds.size === 1 && kinds.has('contract')) return 'This file is an executed contract kept by LexMarket';
  if (kinds.size === 1 && kinds.has('recording')) return 'This file is a recording kept by LexMarket';
  return 'This file is kept by LexMarket';
}

/**
 * One match in words: "An executed contract, signed on …, 2 parties, audit entry #…" or
 * "Recorded on …, audit entry #…". Times in the viewer's zone, named.
 */
export function describeMatch(m: VerifyMatch, zone: string, locale: string): string {
  const audit = m.auditSeq !== null ? `, audit entry #${m.auditSeq}` : '';
  if (m.kind === 'contract') {
    const signed = m.executedAt ? `, signed on ${formatDateTimeZoned(m.executedAt, zone, locale)}` : '';
    const parties = m.parties !== undefined ? `, ${m.parties} ${m.parties === 1 ? 'party' : 'parties'}` : '';
    return `An executed contract${signed}${parties}${audit}.`;
  }
  return `Recorded on ${m.recordedAt ? formatDateTimeZoned(m.recordedAt, zone, locale) : 'an unknown date'}${audit}.`;
}
