import type { SessionStatus } from '@lm/domain';

/** A row of `legal_sessions`: what was sold (frozen at checkout) and where it stands. */
export interface LegalSession {
  id: string;
  clientId: string;
  lawyerId: string;
  offeringId: string;
  offeringTitle: string;
  durationMinutes: number;
  priceMinor: number;
  currency: string;
  status: SessionStatus;
  startAt: Date | null;
  endAt: Date | null;
  stripeCheckoutSessionId: string | null;
  checkoutExpiresAt: Date;
  paidAt: Date | null;
  cancelledAt: Date | null;
  cancelledBy: string | null;
  completedAt: Date | null;
  /** The start the lawyer proposed and the client has not answered yet (null: no open proposal). */
  proposedStartAt: Date | null;
  /** When that proposal was made. */
  proposedAt: Date | null;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

/** Columns a transition may change besides the status. */
export interface SessionChanges {
  startAt?: Date | null;
  stripeCheckoutSessionId?: string;
  paidAt?: Date;
  cancelledAt?: Date;
  cancelledBy?: string | null;
  completedAt?: Date;
}

export interface SessionEvent {
  id: string;
  sessionId: string;
  action: string;
  fromStatus: SessionStatus | null;
  toStatus: SessionStatus;
  actorId: string | null;
  actorRole: string | null;
  payload: Record<string, unknown>;
  occurredAt: Date;
}
