import type { NoShowDecision, TicketCategory, TicketResolution, TicketStatus } from './support.queries';

/** A category as the reporter reads it (a no-show names the side that did not come). */
export const CATEGORY_LABEL: Record<TicketCategory, string> = {
  NO_SHOW_LAWYER: 'The lawyer did not show up',
  NO_SHOW_CLIENT: 'The client did not show up',
  BILLING: 'Billing or payment',
  TECHNICAL: 'Technical problem',
  ABUSE: 'Abuse or inappropriate behaviour',
  OTHER: 'Something else',
};

/** Short names for the admin queue's filter and table. */
export const CATEGORY_SHORT: Record<TicketCategory, string> = {
  NO_SHOW_LAWYER: 'Lawyer no-show',
  NO_SHOW_CLIENT: 'Client no-show',
  BILLING: 'Billing',
  TECHNICAL: 'Technical',
  ABUSE: 'Abuse',
  OTHER: 'Other',
};

export const TICKET_STATUS_LOOK: Record<TicketStatus, { label: string; color: string }> = {
  OPEN: { label: 'Open', color: 'blue' },
  IN_PROGRESS: { label: 'In progress', color: 'indigo' },
  RESOLVED: { label: 'Resolved', color: 'green' },
  REJECTED: { label: 'Closed without action', color: 'gray' },
};

/** What a no-show decision did, as the reporter and the admins read it. */
export const RESOLUTION_TEXT: Record<TicketResolution, string> = {
  LAWYER_NO_SHOW: 'Support found that the lawyer did not attend. The client is refunded in full.',
  CLIENT_NO_SHOW: 'Support found that the client did not attend. The lawyer keeps the payment.',
  DISMISSED: 'Support reviewed the report and found no no-show. The session is unchanged.',
};

export const DECISION_LOOK: Record<NoShowDecision, { button: string; title: string; consequence: string; color: string }> = {
  LAWYER_NO_SHOW: {
    button: 'Lawyer did not show — refund client',
    title: 'The lawyer did not show?',
    consequence:
      'The session becomes “Lawyer did not attend” and everything still refundable is refunded to the client through Stripe. The reporter is told.',
    color: 'red',
  },
  CLIENT_NO_SHOW: {
    button: 'Client did not show — lawyer keeps payment',
    title: 'The client did not show?',
    consequence: 'The session becomes “Client did not attend”. No refund: the lawyer keeps the payment. The reporter is told.',
    color: 'orange',
  },
  DISMISS: {
    button: 'Dismiss',
    title: 'Dismiss this report?',
    consequence: 'The session and the payment stay as they are; the ticket is closed without action. The reporter is told.',
    color: 'gray',
  },
};

export type ViewerSide = 'CLIENT' | 'LAWYER';

/** The categories a participant may choose for a session: the no-show of the OTHER side, then the rest. */
export function categoriesFor(side: ViewerSide | null): TicketCategory[] {
  const general: TicketCategory[] = ['BILLING', 'TECHNICAL', 'ABUSE', 'OTHER'];
  if (side === 'CLIENT') return ['NO_SHOW_LAWYER', ...general];
  if (side === 'LAWYER') return ['NO_SHOW_CLIENT', ...general];
  return general;
}

export const isNoShow = (category: TicketCategory): boolean => category === 'NO_SHOW_LAWYER' || category === 'NO_SHOW_CLIENT';

/** How long after a session's scheduled end a no-show may still be reported (the API's rule). */
export const NO_SHOW_REPORT_HOURS = 48;

/**
 * Whether a no-show report is open for this session right now, judged by the browser's clock
 * (the API decides again): it has started, it is at most 48 h past its end, and it is scheduled,
 * in progress or completed. Otherwise the reason, in words.
 */
export function noShowWindow(
  session: { status: string; startAt: string | null; endAt: string | null },
  now: number = Date.now(),
): { open: true } | { open: false; reason: string } {
  if (!['SCHEDULED', 'IN_PROGRESS', 'COMPLETED'].includes(session.status) || !session.startAt || !session.endAt) {
    return { open: false, reason: 'A no-show can be reported only for a booked session that has taken place.' };
  }
  if (now < Date.parse(session.startAt))
    return { open: false, reason: 'A no-show can be reported once the session has started.' };
  if (now > Date.parse(session.endAt) + NO_SHOW_REPORT_HOURS * 3_600_000) {
    return { open: false, reason: `A no-show can be reported up to ${NO_SHOW_REPORT_HOURS} hours after the session's end.` };
  }
  return { open: true };
}
