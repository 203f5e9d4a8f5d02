import type { LawyerStatus } from '@lm/domain';

export type VerificationDecision = 'VERIFY' | 'REJECT';

/**
 * The admin's verification decisions. PENDING_VERIFICATION → VERIFIED | REJECTED; a VERIFIED
 * lawyer can still be rejected (e.g. struck off the bar). A REJECTED profile is not verified
 * directly: the lawyer edits it, which puts it back in the queue. Returns the new status, or
 * null when the decision does not apply.
 */
export function decideVerification(from: LawyerStatus, decision: VerificationDecision): LawyerStatus | null {
  if (decision === 'VERIFY') return from === 'PENDING_VERIFICATION' ? 'VERIFIED' : null;
  return from === 'PENDING_VERIFICATION' || from === 'VERIFIED' ? 'REJECTED' : null;
}

/**
 * The status after the lawyer edits their profile: a REJECTED profile goes back to the
 * queue; a VERIFIED one stays verified unless the bar credentials that were checked change.
 */
export function statusAfterEdit(from: LawyerStatus, credentialsChanged: boolean): LawyerStatus {
  if (from === 'REJECTED') return 'PENDING_VERIFICATION';
  if (from === 'VERIFIED' && credentialsChanged) return 'PENDING_VERIFICATION';
  return from;
}
