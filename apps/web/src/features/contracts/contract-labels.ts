import { DateTime } from 'luxon';
import type { ContractListView, ContractStatus, ContractSummary, PartyRole, SignerEventType } from './contracts.types';

/** How each status looks to people. */
export const STATUS_LOOK: Record<ContractStatus, { label: string; color: string }> = {
  DRAFT: { label: 'Draft', color: 'gray' },
  SENT: { label: 'Sent for signature', color: 'blue' },
  PARTIALLY_SIGNED: { label: 'Partly signed', color: 'indigo' },
  EXECUTED: { label: 'Executed', color: 'green' },
  DECLINED: { label: 'Declined', color: 'orange' },
  VOIDED: { label: 'Voided', color: 'red' },
  EXPIRED: { label: 'Expired', color: 'gray' },
};

export const ROLE_LABEL: Record<PartyRole, string> = { LAWYER: 'Lawyer', CLIENT: 'Client' };

export const EVENT_LABEL: Record<SignerEventType, string> = {
  VIEWED: 'Opened the document',
  CONSENTED: 'Agreed to sign electronically',
  SIGNED: 'Signed',
  DECLINED: 'Declined to sign',
};

/** The list's tabs: the API's views (what waits for my signature, what is not final yet, executed) and all. */
export const CONTRACT_VIEWS = ['to_sign', 'in_progress', 'executed', 'all'] as const satisfies readonly (
  ContractListView | 'all'
)[];
export type ContractView = (typeof CONTRACT_VIEWS)[number];

export const VIEW_LABEL: Record<ContractView, string> = {
  to_sign: 'To sign',
  in_progress: 'In progress',
  executed: 'Executed',
  all: 'All',
};

export const VIEW_EMPTY: Record<ContractView, string> = {
  to_sign: 'Nothing waits for your signature',
  in_progress: 'No contracts in progress',
  executed: 'No executed contracts yet',
  all: 'No contracts yet',
};

/** Session statuses a contract can be created for: the session has been paid (contract §Endpoints). */
const PAID_SESSION_STATUSES = new Set(['PAID', 'SCHEDULED', 'IN_PROGRESS', 'COMPLETED', 'NO_SHOW_CLIENT', 'NO_SHOW_LAWYER']);

/** Whether a lawyer can create a contract for a session in this status. */
export function contractSessionEligible(status: string): boolean {
  return PAID_SESSION_STATUSES.has(status);
}

/** "2026-03-04 09:00:12 UTC": an evidence time, exactly and in UTC, as the certificate page prints it. */
export function formatUtc(at: string): string {
  const dt = DateTime.fromISO(at, { zone: 'utc' });
  return dt.isValid ? `${dt.toFormat('yyyy-LL-dd HH:mm:ss')} UTC` : at;
}

/** "1.2 MB" / "840 KB": a file's size for people. */
export function formatBytes(size: number): string {
  if (size < 1024) return `${size} B`;
  if (size < 1024 * 1024) return `${Math.round(size / 1024)} KB`;
  return `${(size / (1024 * 1024)).toFixed(1)} MB`;
}

/** A SHA-256 shortened for a table cell ("3f9a…c2e1"); the full value is always available next to it. */
export function shortHash(sha256: string): string {
  return sha256.length > 12 ? `${sha256.slice(0, 8)}…${sha256.slice(-4)}` : sha256;
}

/** Who a contract in the list is with: the other party (both names for an admin). */
export function counterpartOf(c: Pick<ContractSummary, 'yourRole' | 'lawyer' | 'client'>): string {
  if (c.yourRole === 'LAWYER') return c.client.name;
  if (c.yourRole === 'CLIENT') return c.lawyer.name;
  return `${c.lawyer.name} and ${c.client.name}`;
}
