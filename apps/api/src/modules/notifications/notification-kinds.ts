/**
 * Every kind of notification and the parameters its template needs. Params are stored with the
 * in-app notification (jsonb), so they are plain JSON: instants as ISO strings, money in minor
 * units with the currency.
 */

/** Which side of a session the recipient is on. */
export type Side = 'CLIENT' | 'LAWYER';
/** Who caused what the message is about, seen from the recipient. */
export type Actor = 'you' | 'counterpart' | 'system';

interface SessionParams {
  sessionId: string;
  side: Side;
  offeringTitle: string;
  /** The other participant's display name. */
  counterpartName: string;
}

export interface NotificationParams {
  'session.paid': SessionParams & { amountMinor: number; currency: string };
  'session.scheduled': SessionParams & { startAt: string; durationMinutes: number; actor: Actor };
  'session.rescheduled': SessionParams & {
    fromStartAt: string | null;
    toStartAt: string;
    durationMinutes: number;
    actor: Actor;
    /** Set when the move is the client's acceptance of the lawyer's proposal. */
    proposal?: 'accepted';
  };
  'session.reschedule_proposed': SessionParams & { fromStartAt: string | null; toStartAt: string; actor: Actor };
  'session.reschedule_declined': SessionParams & { fromStartAt: string | null; toStartAt: string; actor: Actor };
  'session.reschedule_withdrawn': SessionParams & { toStartAt: string | null; startAt: string | null; actor: Actor };
  'session.cancelled': SessionParams & {
    startAt: string | null;
    actor: Actor;
    policy: string | null;
    refundMinor: number;
    currency: string;
    /** The client cancelled by declining the lawyer's proposal of another time. */
    proposalDeclined: boolean;
    reason: string | null;
  };
  'session.expired': SessionParams;
  'session.completed': SessionParams & { startAt: string | null };
  /** Support decided, on a no-show report and the attendance evidence, that the recipient did not attend. */
  'session.no_show': SessionParams & { startAt: string | null };
  'session.reminder': SessionParams & { startAt: string; durationMinutes: number; lead: '24h' | '1h' };
  'refund.succeeded': { sessionId: string; offeringTitle: string; amountMinor: number; currency: string };
  /** A recording of the session is in our custody: whose it is, and its fingerprint. */
  'recording.available': {
    sessionId: string;
    offeringTitle: string;
    /** 'composition': the whole call (Twilio); 'participant': one side's own camera and microphone (peer-to-peer). */
    kind: 'composition' | 'participant';
    /** For a participant's recording: whose (seen from the recipient). */
    by: 'you' | 'counterpart' | null;
    sha256: string;
  };
  'lawyer.verified': Record<string, never>;
  'lawyer.rejected': { reason: string };
  /** Support answered the recipient's ticket. Admins sign as the support team, never by name or address. */
  'support.message_from_admin': SupportTicketParams & { excerpt: string };
  /** The reporter wrote on a ticket (to its assignee, or every admin while unassigned). */
  'support.message_from_reporter': SupportTicketParams & { reporterName: string; excerpt: string };
  /** The recipient's ticket was closed, with the decision and, for a lawyer no-show, the refund. */
  'support.ticket_resolved': SupportTicketParams & {
    status: 'RESOLVED' | 'REJECTED';
    resolution: 'LAWYER_NO_SHOW' | 'CLIENT_NO_SHOW' | 'DISMISSED' | null;
    note: string | null;
    refundMinor: number;
    currency: string | null;
  };
  /**
   * The other participant reviewed the session (never what they wrote: reviews are double-blind
   * until both are in or the window closes); the recipient's own deadline.
   */
  'review.awaiting': SessionParams & { deadlineAt: string };
  /** The reviews of a session became visible to both participants (and a client's review to everyone). */
  'review.published': SessionParams & { reason: 'both_submitted' | 'deadline' };
  /** An admin recorded a manual payout to the recipient (a partner's commissions or a lawyer's earnings). */
  'payout.recorded': PayoutParams & { method: string; reference: string; paidAt: string };
  /** A payout recorded by mistake was reversed: the amount is owed to the recipient again. */
  'payout.reversed': PayoutParams & { reason: string };
  /** The recipient's monthly statement was issued (periodStart: 'YYYY-MM-DD', the month's first day). */
  'statement.issued': {
    statementId: string;
    number: string;
    /** Whose statement: where its link leads (partner dashboard or lawyer earnings). */
    role: 'PARTNER' | 'LAWYER';
    periodStart: string;
    currency: string;
    closingMinor: number;
  };
  /** The lawyer sent a contract for the recipient (the client) to read and sign before `expiresAt`. */
  'contract.sign_requested': ContractParams & { expiresAt: string };
  /** The other party signed; the recipient's signature is the one still missing. */
  'contract.signed': ContractParams;
  /** Both parties signed: the sealed executed PDF is ready, with its SHA-256 (to verify a copy). */
  'contract.executed': ContractParams & { sha256: string };
  /** The other party (`counterpartName`) declined to sign, with their reason; the contract is closed. */
  'contract.declined': ContractParams & { reason: string };
  /** The lawyer (`counterpartName`) voided a contract sent to the recipient, with their reason. */
  'contract.voided': ContractParams & { reason: string };
  /** The signing period ended before both parties signed; the contract is closed. */
  'contract.expired': ContractParams;
  /**
   * The other participant of a conversation sent the recipient a message. Never any content (it is
   * end-to-end encrypted; the server cannot read it): who, and a link. At most one per recipient
   * and conversation until they read it.
   */
  'message.received': { conversationId: string; counterpartName: string };
  /** Every delivery to the recipient's webhook endpoint failed for 3 days: it was disabled. */
  'webhook.endpoint_disabled': { endpointId: string; url: string; failingSince: string };
  /** A webhook endpoint was registered on the recipient's account (from a session or with an API key). */
  'webhook.endpoint_created': { endpointId: string; url: string; eventTypes: string[]; via: 'session' | 'api-key' };
  /** An API key was created on the recipient's account (never the secret: its public prefix). */
  'security.api_key_created': { keyId: string; name: string; prefix: string; scopes: string[]; expiresAt: string | null };
  /** The password was reset by email link: the account's API keys were revoked and its webhook endpoints disabled. */
  'security.password_reset': { apiKeysRevoked: number; webhookEndpointsDisabled: number };
}

interface ContractParams {
  contractId: string;
  /** e.g. C-2026-000123 */
  number: string;
  title: string;
  /** The other party's display name. */
  counterpartName: string;
}

interface PayoutParams {
  payoutId: string;
  /** Whose payable the payout settles: a partner's commissions or a lawyer's earnings. */
  role: 'PARTNER' | 'LAWYER';
  amountMinor: number;
  currency: string;
}

interface SupportTicketParams {
  ticketId: string;
  subject: string;
}

export type NotificationKind = keyof NotificationParams;

export const NOTIFICATION_KINDS = [
  'session.paid',
  'session.scheduled',
  'session.rescheduled',
  'session.reschedule_proposed',
  'session.reschedule_declined',
  'session.reschedule_withdrawn',
  'session.cancelled',
  'session.expired',
  'session.completed',
  'session.no_show',
  'session.reminder',
  'refund.succeeded',
  'recording.available',
  'lawyer.verified',
  'lawyer.rejected',
  'support.message_from_admin',
  'support.message_from_reporter',
  'support.ticket_resolved',
  'review.awaiting',
  'review.published',
  'payout.recorded',
  'payout.reversed',
  'statement.issued',
  'contract.sign_requested',
  'contract.signed',
  'contract.executed',
  'contract.declined',
  'contract.voided',
  'contract.expired',
  'message.received',
  'webhook.endpoint_disabled',
  'webhook.endpoint_created',
  'security.api_key_created',
  'security.password_reset',
] as const satisfies readonly NotificationKind[];

/**
 * What a user's preferences can mute (email only; the in-app notification is always written).
 * `essential`: payments, bookings, changes of time, cancellations, refunds and verification
 * decisions, which always go out.
 */
export type NotificationCategory = 'essential' | 'reminders' | 'session_updates';

export const NOTIFICATION_CATEGORY: Record<NotificationKind, NotificationCategory> = {
  'session.paid': 'essential',
  'session.scheduled': 'essential',
  'session.rescheduled': 'essential',
  'session.reschedule_proposed': 'essential',
  'session.reschedule_declined': 'essential',
  'session.reschedule_withdrawn': 'essential',
  'session.cancelled': 'essential',
  'session.expired': 'session_updates',
  'session.completed': 'session_updates',
  'session.no_show': 'essential',
  'session.reminder': 'reminders',
  'refund.succeeded': 'essential',
  'recording.available': 'session_updates',
  'lawyer.verified': 'essential',
  'lawyer.rejected': 'essential',
  'support.message_from_admin': 'essential',
  'support.message_from_reporter': 'essential',
  'support.ticket_resolved': 'essential',
  'review.awaiting': 'session_updates',
  'review.published': 'session_updates',
  'payout.recorded': 'essential',
  'payout.reversed': 'essential',
  'statement.issued': 'essential',
  'contract.sign_requested': 'essential',
  'contract.signed': 'essential',
  'contract.executed': 'essential',
  'contract.declined': 'essential',
  'contract.voided': 'essential',
  'contract.expired': 'essential',
  // Muted with the other session updates: the message itself is in the app, and one email per unread conversation at most.
  'message.received': 'session_updates',
  'webhook.endpoint_disabled': 'essential',
  // Security notices: the owner must hear of a new way into (or out of) their account, whatever their preferences.
  'webhook.endpoint_created': 'essential',
  'security.api_key_created': 'essential',
  'security.password_reset': 'essential',
};
