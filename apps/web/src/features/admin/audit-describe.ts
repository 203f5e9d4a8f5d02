import { formatMoney } from '@lm/domain';
import type { AuditEvent } from './admin.queries';

/** "Client Ana López", "Admin Root", "The system": who did it, with their role when known. */
export function actorLabel(e: Pick<AuditEvent, 'actorId' | 'actorRole' | 'actorName'>): string {
  if (!e.actorId) return 'The system';
  const role = e.actorRole ? `${e.actorRole.charAt(0)}${e.actorRole.slice(1).toLowerCase()} ` : '';
  return `${role}${e.actorName ?? `#${e.actorId.slice(0, 8)}`}`;
}

/** The subject by name when the API resolved one, else its kind and short id. */
export function subjectLabel(e: Pick<AuditEvent, 'subjectType' | 'subjectId' | 'subjectName'>): string {
  const kind = e.subjectType.replace(/_/g, ' ');
  if (e.subjectName) return e.subjectType === 'session' ? `session “${e.subjectName}”` : `${kind} ${e.subjectName}`;
  return e.subjectId ? `${kind} #${e.subjectId.slice(0, 8)}` : kind;
}

function money(payload: Record<string, unknown>, amountKey: string, locale: string): string | null {
  const amount = payload[amountKey];
  const currency = payload.currency;
  return typeof amount === 'number' && typeof currency === 'string' ? formatMoney(amount, currency, locale) : null;
}

/** "March 2026" for a statement period starting '2026-03-01'. */
function statementMonth(periodStart: string, locale: string): string {
  const [y, m] = periodStart.split('-').map(Number);
  if (!y || !m) return periodStart;
  return new Intl.DateTimeFormat(locale, { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(
    new Date(Date.UTC(y, m - 1, 1)),
  );
}

const SUPPORT_CATEGORY: Record<string, string> = {
  NO_SHOW_LAWYER: 'lawyer no-show',
  NO_SHOW_CLIENT: 'client no-show',
  BILLING: 'billing',
  TECHNICAL: 'technical',
  ABUSE: 'abuse',
  OTHER: 'other',
};

const NO_SHOW_DECISION: Record<string, string> = {
  LAWYER_NO_SHOW: 'the lawyer did not show, client refunded',
  CLIENT_NO_SHOW: 'the client did not show, lawyer keeps the payment',
  DISMISS: 'report dismissed',
  DISMISSED: 'report dismissed',
};

/**
 * A sentence for an audit entry: "Client Ana López paid for session “Divorce advice”". Known
 * actions get their own wording; any other reads "<actor> — <action> — <subject>", so a new
 * action is never hidden, only plainer.
 */
export function describeAuditEvent(e: AuditEvent, locale = 'en'): string {
  const who = actorLabel(e);
  const what = subjectLabel(e);
  const p = e.payload;
  const session = e.subjectSession;
  const client = session?.clientName ? `Client ${session.clientName}` : null;
  switch (e.action) {
    case 'user.registered':
      return `${e.actorName ?? 'Someone'} signed up as ${String(p.role ?? 'a user').toLowerCase()}${p.termsVersion ? ` (accepted terms ${String(p.termsVersion)})` : ''}`;
    case 'user.created':
      return `${who} created the account of ${what}`;
    case 'user.suspended':
      return `${who} suspended ${what}`;
    case 'user.reactivated':
      return `${who} reactivated ${what}`;
    case 'user.email_verified':
      return `${who} verified their email address`;
    case 'user.profile_updated':
      return `${who} updated their profile`;
    case 'user.password_changed':
      return `${who} changed their password`;
    case 'user.password_reset_requested':
      return `A password reset was requested for ${what}`;
    case 'user.password_reset':
      return `The password of ${what} was reset`;
    case 'auth.login.succeeded':
      return `${who} signed in`;
    case 'auth.login.failed':
      return `A sign-in failed${e.subjectName ? ` for ${e.subjectName}` : ''}`;
    case 'auth.logout':
      return `${who} signed out`;
    case 'lawyer.verified':
      return `${who} verified lawyer ${e.subjectName ?? ''}`.trim();
    case 'lawyer.rejected':
      return `${who} rejected lawyer ${e.subjectName ?? ''}${typeof p.reason === 'string' ? `: “${p.reason}”` : ''}`;
    case 'lawyer.licence_uploaded':
      return `${who} uploaded a licence document`;
    case 'lawyer.licence_downloaded':
      return `${who} opened the licence document of lawyer ${e.subjectName ?? ''}`.trim();
    case 'lawyer.photo_updated':
      return `${who} changed their photo`;
    case 'lawyer.profile_updated':
      return `${who} updated their lawyer profile`;
    case 'session.created':
      return `${client ?? who} started a checkout for ${what}`;
    case 'session.paid': {
      const amount = money(p, 'amountMinor', locale);
      return `${client ?? who} paid${amount ? ` ${amount}` : ''} for ${what}`;
    }
    case 'session.scheduled':
      return `${who} booked a time for ${what}`;
    case 'session.rescheduled':
      return `${who} moved ${what}`;
    case 'session.cancelled': {
      const refund = money(p, 'refundMinor', locale);
      return `${who} cancelled ${what}${refund ? ` (refund ${refund})` : ''}`;
    }
    case 'session.completed':
      return `${who} marked ${what} as completed`;
    case 'session.no_show_lawyer':
      return `${who} recorded that the lawyer did not attend ${what}`;
    case 'session.no_show_client':
      return `${who} recorded that the client did not attend ${what}`;
    case 'support.ticket_opened': {
      const category = typeof p.category === 'string' ? SUPPORT_CATEGORY[p.category] : undefined;
      return `${who} opened ${what}${category ? ` (${category})` : ''}`;
    }
    case 'support.message_posted':
      return `${who} wrote in ${what}`;
    case 'support.ticket_assigned':
      return `${who} took ${what}`;
    case 'support.ticket_status_changed': {
      const to = p.to ?? p.status;
      return `${who} set ${what} to ${typeof to === 'string' ? to.replace(/_/g, ' ').toLowerCase() : 'a new status'}`;
    }
    case 'support.no_show_resolved': {
      const decision = typeof p.decision === 'string' ? NO_SHOW_DECISION[p.decision] : undefined;
      const refund = money(p, 'refundMinor', locale);
      return `${who} decided ${what}: ${decision ?? 'no-show report resolved'}${refund ? ` (refund ${refund})` : ''}`;
    }
    case 'payment.received': {
      const amount = money(p, 'amountMinor', locale);
      return `Payment${amount ? ` of ${amount}` : ''} received${e.subjectName ? ` for ${e.subjectName}` : ''}`;
    }
    case 'refund.requested':
    case 'refund.succeeded':
    case 'refund.failed': {
      const amount = money(p, 'amountMinor', locale);
      const verb =
        e.action === 'refund.requested'
          ? `${who} requested a refund`
          : e.action === 'refund.succeeded'
            ? 'A refund succeeded'
            : 'A refund failed';
      return `${verb}${amount ? ` of ${amount}` : ''}`;
    }
    case 'statement.issued':
    case 'statement.reissued': {
      const number = typeof p.number === 'string' ? p.number : what;
      const month = typeof p.periodStart === 'string' ? statementMonth(p.periodStart, locale) : null;
      const closing = money(p, 'closingMinor', locale);
      const facts = [month, closing ? `closing balance ${closing}` : null].filter(Boolean).join(', ');
      const pdf = typeof p.pdfSha256 === 'string' ? `; PDF SHA-256 ${p.pdfSha256}` : '';
      if (e.action === 'statement.reissued') {
        const old = typeof p.supersedesNumber === 'string' ? p.supersedesNumber : 'a statement';
        return `${who} re-issued ${old} as statement ${number}${facts ? ` (${facts})` : ''}${typeof p.reason === 'string' ? `: “${p.reason}”` : ''}${pdf}`;
      }
      return `${e.actorId ? `${who} issued` : 'The monthly job issued'} statement ${number}${facts ? ` (${facts})` : ''}${pdf}`;
    }
    case 'session.expired':
      return `The checkout for ${what} expired unpaid`;
    case 'session.started':
      return `${who} joined the call of ${what}; the session started`;
    case 'video.room_created':
      return `${who} opened the video room of ${what}`;
    case 'video.joined':
      return `${who} joined the call of ${what}`;
    case 'video.recording_consent_given':
      return `${who} consented to recording ${what}`;
    case 'video.recording_consent_withdrawn':
      return `${who} withdrew consent to recording ${what}`;
    case 'video.recording_started':
      return `Recording of ${what} started (both consented)`;
    case 'video.recording_stopped':
      return `Recording of ${what} stopped`;
    case 'video.room_ended':
      return `The call of ${what} ended`;
    case 'video.composition_requested':
      return `The recording of ${what} was requested from the provider`;
    case 'recording.stored': {
      const sha = typeof p.sha256 === 'string' ? ` (SHA-256 ${p.sha256.slice(0, 12)}…)` : '';
      return `A recording was sealed into custody${sha}`;
    }
    case 'recording.accessed':
      return `${who} opened ${what}`;
    case 'recording.provider_copy_deleted':
      return `The provider’s copy of ${what} was deleted`;
    // Review entries name the review itself (subject type "review"); the payload says more.
    case 'review.submitted': {
      const stars = typeof p.rating === 'number' ? ` (${p.rating} of 5 stars)` : '';
      const side = p.authorSide === 'LAWYER' ? ' about their client' : p.authorSide === 'CLIENT' ? ' about their lawyer' : '';
      return `${who} submitted ${what}${side}${stars}`;
    }
    case 'review.published':
      return `${what.charAt(0).toUpperCase()}${what.slice(1)} was published${typeof p.rating === 'number' ? ` (${p.rating} of 5 stars)` : ''}`;
    case 'review.window_opened':
      return `The review window of ${what} opened`;
    case 'review.hidden':
    case 'review.unhidden': {
      const part = p.target === 'RESPONSE' ? `the lawyer’s response to ${what}` : what;
      const reason = typeof p.reasonCode === 'string' ? ` (reason: ${p.reasonCode.replace(/_/g, ' ').toLowerCase()})` : '';
      return `${who} ${e.action === 'review.hidden' ? 'hid' : 'showed again'} ${part}${reason}`;
    }
    case 'review.reported': {
      const reason = typeof p.reason === 'string' ? ` as ${p.reason.replace(/_/g, ' ').toLowerCase()}` : '';
      return `${who} reported ${p.target === 'RESPONSE' ? `the lawyer’s response to ${what}` : what}${reason}`;
    }
    case 'review.response_submitted':
      return `${who} responded to ${what}`;
    case 'review.reports_dismissed':
      return `${who} dismissed the reports of ${p.target === 'RESPONSE' ? `the lawyer’s response to ${what}` : what}`;
    case 'payout.recorded': {
      const amount = money(p, 'amountMinor', locale);
      const payee = typeof p.role === 'string' ? `a ${p.role.toLowerCase()}` : 'a payee';
      const reference = typeof p.reference === 'string' ? ` (reference “${p.reference}”)` : '';
      return `${who} recorded a payout${amount ? ` of ${amount}` : ''} to ${payee}${reference}`;
    }
    case 'payout.reversed': {
      const amount = money(p, 'amountMinor', locale);
      const reason = typeof p.reason === 'string' ? `: ${p.reason}` : '';
      return `${who} reversed the payout${amount ? ` of ${amount}` : ''}${reason}`;
    }
    case 'ledger.reconciled':
      return `The daily ledger check found the partner and lawyer rollups equal to the ledger${typeof p.rollupRows === 'number' ? ` (${p.rollupRows} daily rows)` : ''}`;
    case 'ledger.reconciliation_failed': {
      const n = typeof p.differenceCount === 'number' ? p.differenceCount : null;
      return `The daily ledger check found ${n === null ? 'differences' : `${n} difference${n === 1 ? '' : 's'}`} between the partner and lawyer rollups and the ledger`;
    }
    default:
      return `${who} — ${e.action} — ${what}`;
  }
}
