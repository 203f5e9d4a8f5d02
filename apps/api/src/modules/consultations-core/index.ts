// The public surface of the consultations-core module: other modules and the app import only what is here
// (the build's dependency rules refuse anything else; see docs/architecture.md).
export { ConsultationsCoreModule } from './consultations-core.module';
export { NoRescheduleProposal, RescheduleProposalOpen, SessionAlreadyStarted, SessionNotFound, SessionNotScheduled } from './consultations.errors';
export type { LegalSession, SessionEvent } from './legal-session';
export { SessionEventSubscribers } from './session-event-subscribers';
export type { AppendedSessionEvent, SessionEventSubscriber } from './session-event-subscribers';
export { SessionLifecycle } from './session-lifecycle.service';
export type { SessionEventAction } from './session-lifecycle.service';
export { SessionQueries } from './session-queries.service';
export {
  allowedActions,
  answerProposalRefusal,
  cancelRefusal,
  completeRefusal,
  proposeRefusal,
  rescheduleRefusal,
  scheduleRefusal,
  withdrawProposalRefusal,
} from './session-rules';
export type { SessionActions, Side } from './session-rules';
export type { SessionListView, SessionView } from './session-views.repository';
export { CANCELLATION_POLICIES, CANCELLATION_RULES, decideCancellationRefund, FREE_CANCELLATION_HOURS } from './cancellation-policy';
export type { CancellationPolicy, CancellationRefund } from './cancellation-policy';
