import type { PartyRole } from './render/contract-document';
import { ContractClosed, ContractExecuted, ContractNotDraft, ContractNotSignable } from './contracts.errors';

export const CONTRACT_STATUSES = ['DRAFT', 'SENT', 'PARTIALLY_SIGNED', 'EXECUTED', 'VOIDED', 'DECLINED', 'EXPIRED'] as const;
export type ContractStatus = (typeof CONTRACT_STATUSES)[number];

export const PARTY_ROLES = ['LAWYER', 'CLIENT'] as const satisfies readonly PartyRole[];

/** Statuses in which a contract can still be signed or declined. */
export const SIGNABLE: readonly ContractStatus[] = ['SENT', 'PARTIALLY_SIGNED'];
/** Declined, voided or expired: closed without execution. */
export const CLOSED: readonly ContractStatus[] = ['VOIDED', 'DECLINED', 'EXPIRED'];

/** Session statuses a contract may be made for: the client has paid (whatever happened afterwards, short of a cancellation). */
export const ELIGIBLE_SESSION_STATUSES = [
  'PAID',
  'SCHEDULED',
  'IN_PROGRESS',
  'COMPLETED',
  'NO_SHOW_CLIENT',
  'NO_SHOW_LAWYER',
] as const;

/** "C-2026-000123": the year it was created (UTC) and a sequence number. */
export function contractNumber(createdAt: Date, sequence: number): string {
  return `C-${createdAt.getUTCFullYear()}-${String(sequence).padStart(6, '0')}`;
}

/**
 * The refusal every change of a final contract meets first: an executed contract never
 * changes (CONTRACT_EXECUTED); a declined, voided or expired one is closed (CONTRACT_CLOSED).
 */
export function assertOpen(status: ContractStatus): void {
  if (status === 'EXECUTED') throw new ContractExecuted();
  if (CLOSED.includes(status)) throw new ContractClosed();
}

/** Editing and sending: only a DRAFT. */
export function assertDraft(status: ContractStatus): void {
  assertOpen(status);
  if (status !== 'DRAFT') throw new ContractNotDraft();
}

/**
 * Viewing for signature, signing and declining: SENT or PARTIALLY_SIGNED, and not past the
 * signing deadline (the expiry job may not have run yet: the deadline alone closes it).
 */
export function assertSignable(c: { status: ContractStatus; expiresAt: Date | null }, now: Date): void {
  assertOpen(c.status);
  if (!SIGNABLE.includes(c.status)) throw new ContractNotSignable();
  if (pastDeadline(c, now)) throw new ContractClosed('The signing period of this contract has ended');
}

/** Past the signing deadline: closed, whether or not the expiry job has run yet. */
function pastDeadline(c: { expiresAt: Date | null }, now: Date): boolean {
  return !!c.expiresAt && now.getTime() >= c.expiresAt.getTime();
}

/**
 * Voiding (the lawyer): a DRAFT, or a contract out for signature before its deadline. Past it,
 * the contract is closed (CONTRACT_CLOSED) as it is for signing: it expires, it is not voided.
 */
export function assertVoidable(c: { status: ContractStatus; expiresAt: Date | null }, now: Date): void {
  assertOpen(c.status);
  if (SIGNABLE.includes(c.status) && pastDeadline(c, now))
    throw new ContractClosed('The signing period of this contract has ended');
}

export interface ContractActions {
  edit: boolean;
  send: boolean;
  void: boolean;
  /** Record that the caller opened the current version (needed before signing). */
  view: boolean;
  sign: boolean;
  decline: boolean;
  downloadExecuted: boolean;
}

/**
 * What the caller may do now. `role` is the caller's side (null: an admin, who only reads).
 * `signed` / `viewed`: the caller's signature and VIEWED event on the current version.
 */
export function allowedActions(
  c: { status: ContractStatus; expiresAt: Date | null },
  caller: { role: PartyRole | null; signed: boolean; viewed: boolean },
  now: Date,
): ContractActions {
  const lawyer = caller.role === 'LAWYER';
  const party = caller.role !== null;
  const signable = SIGNABLE.includes(c.status) && !pastDeadline(c, now);
  return {
    edit: lawyer && c.status === 'DRAFT',
    send: lawyer && c.status === 'DRAFT',
    void: lawyer && (c.status === 'DRAFT' || signable),
    view: party && signable && !caller.viewed,
    sign: party && signable && !caller.signed,
    decline: party && signable && !caller.signed,
    downloadExecuted: c.status === 'EXECUTED',
  };
}
