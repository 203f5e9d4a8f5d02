import { DateTime } from 'luxon';
import { absoluteUrl, escapeHtml, formatAmount, formatInstant, type Reader } from './message-format';
import type { NotificationKind, NotificationParams } from './notification-kinds';

/** Who a message is for, and how they read it. */
export interface Recipient extends Reader {
  name: string;
}

/** A message ready for the outbox and the in-app list. */
export interface RenderedMessage {
  /** Email subject and in-app title. */
  subject: string;
  /** In-app body: the message's paragraphs in one short text. */
  summary: string;
  /** The SPA path it is about (e.g. `/sessions/<id>`), or null. */
  linkPath: string | null;
  text: string;
  html: string;
}

/** A template's content: plain-text paragraphs (escaped when turned into HTML) and one link. */
interface Content {
  subject: string;
  paragraphs: string[];
  link: { path: string; label: string } | null;
}

type Template<K extends NotificationKind> = (p: NotificationParams[K], r: Recipient) => Content;

const sessionPath = (id: string) => `/sessions/${id}`;
const lawyerProfilePath = '/lawyer/profile';
const ticketPath = (id: string) => `/support/tickets/${id}`;
const adminTicketPath = (id: string) => `/admin/support/${id}`;
/** Where a payee reads their payouts and statements: the partner dashboard or the lawyer's earnings. */
/** Where a payee sees their balance, payouts and statements: the partner dashboard or the lawyer's earnings. */
const moneyPath = (role: 'PARTNER' | 'LAWYER') => (role === 'PARTNER' ? '/partner/reports' : '/lawyer/earnings');
const contractPath = (id: string) => `/contracts/${id}`;
const contractSignPath = (id: string) => `/contracts/${id}/sign`;
const conversationPath = (id: string) => `/messages/${id}`;
const developersApiKeysPath = '/account/developers/api-keys';
const developersWebhooksPath = '/account/developers/webhooks';

const TEMPLATES: { [K in NotificationKind]: Template<K> } = {
  'session.paid': (p, r) =>
    p.side === 'CLIENT'
      ? {
          subject: `Payment received: book your time with ${p.counterpartName}`,
          paragraphs: [
            `We received your payment of ${formatAmount(p.amountMinor, p.currency, r)} for "${p.offeringTitle}" with ${p.counterpartName}. This email is your receipt.`,
            'Next step: choose a time for your consultation.',
          ],
          link: { path: sessionPath(p.sessionId), label: 'Book your time' },
        }
      : {
          subject: `New paid consultation from ${p.counterpartName}`,
          paragraphs: [
            `${p.counterpartName} paid ${formatAmount(p.amountMinor, p.currency, r)} for "${p.offeringTitle}". They will now choose a time in your availability; we will tell you when they do.`,
          ],
          link: { path: sessionPath(p.sessionId), label: 'View the session' },
        },

  'session.scheduled': (p, r) => {
    const when = formatInstant(p.startAt, r);
    return p.actor === 'you'
      ? {
          subject: `Booked: ${p.offeringTitle} on ${when}`,
          paragraphs: [
            `Your consultation "${p.offeringTitle}" with ${p.counterpartName} is booked for ${when} (${p.durationMinutes} minutes).`,
          ],
          link: { path: sessionPath(p.sessionId), label: 'View the session' },
        }
      : {
          subject: `New booking: ${p.counterpartName} on ${when}`,
          paragraphs: [`${p.counterpartName} booked "${p.offeringTitle}" with you for ${when} (${p.durationMinutes} minutes).`],
          link: { path: sessionPath(p.sessionId), label: 'View the session' },
        };
  },

  'session.rescheduled': (p, r) => {
    const to = formatInstant(p.toStartAt, r);
    const from = p.fromStartAt ? ` (was ${formatInstant(p.fromStartAt, r)})` : '';
    const who =
      p.proposal === 'accepted'
        ? p.side === 'CLIENT'
          ? `You accepted ${p.counterpartName}'s proposal: `
          : `${p.counterpartName} accepted your proposal: `
        : p.actor === 'you'
          ? 'You moved '
          : p.actor === 'counterpart'
            ? `${p.counterpartName} moved `
            : 'We moved ';
    const sentence =
      p.proposal === 'accepted'
        ? `${who}"${p.offeringTitle}" now takes place on ${to}${from}.`
        : `${who}"${p.offeringTitle}" to ${to}${from}.`;
    return {
      subject: `New time: ${p.offeringTitle} on ${to}`,
      paragraphs: [sentence, `It lasts ${p.durationMinutes} minutes. Please update your calendar.`],
      link: { path: sessionPath(p.sessionId), label: 'View the session' },
    };
  },

  'session.reschedule_proposed': (p, r) => {
    const to = formatInstant(p.toStartAt, r);
    const from = p.fromStartAt ? formatInstant(p.fromStartAt, r) : null;
    return p.actor === 'you'
      ? {
          subject: `You proposed a new time: ${to}`,
          paragraphs: [
            `You proposed to move "${p.offeringTitle}" with ${p.counterpartName} to ${to}${from ? ` (now ${from})` : ''}. The session keeps its time until ${p.counterpartName} accepts.`,
          ],
          link: { path: sessionPath(p.sessionId), label: 'View the session' },
        }
      : {
          subject: `${p.counterpartName} proposes a new time: ${to}`,
          paragraphs: [
            `${p.counterpartName} asks to move "${p.offeringTitle}" to ${to}${from ? ` (now ${from})` : ''}.`,
            'Accept the new time, or decline: keep the current time, or cancel with a full refund.',
          ],
          link: { path: sessionPath(p.sessionId), label: 'Answer the proposal' },
        };
  },

  'session.reschedule_declined': (p, r) => {
    const to = formatInstant(p.toStartAt, r);
    const kept = p.fromStartAt ? formatInstant(p.fromStartAt, r) : null;
    const keeps = kept ? ` The session stays on ${kept}.` : '';
    return p.actor === 'you'
      ? {
          subject: `You declined the new time for ${p.offeringTitle}`,
          paragraphs: [`You declined ${p.counterpartName}'s proposal to move "${p.offeringTitle}" to ${to}.${keeps}`],
          link: { path: sessionPath(p.sessionId), label: 'View the session' },
        }
      : {
          subject: `${p.counterpartName} declined the new time`,
          paragraphs: [`${p.counterpartName} declined your proposal to move "${p.offeringTitle}" to ${to}.${keeps}`],
          link: { path: sessionPath(p.sessionId), label: 'View the session' },
        };
  },

  'session.reschedule_withdrawn': (p, r) => {
    const keeps = p.startAt ? ` The session stays on ${formatInstant(p.startAt, r)}.` : '';
    const proposed = p.toStartAt ? ` to ${formatInstant(p.toStartAt, r)}` : '';
    return {
      subject: `Proposal withdrawn: ${p.offeringTitle}`,
      paragraphs: [
        p.actor === 'you'
          ? `You withdrew your proposal to move "${p.offeringTitle}"${proposed}.${keeps}`
          : `${p.counterpartName} withdrew the proposal to move "${p.offeringTitle}"${proposed}.${keeps}`,
      ],
      link: { path: sessionPath(p.sessionId), label: 'View the session' },
    };
  },

  'session.cancelled': (p, r) => {
    const when = p.startAt ? ` on ${formatInstant(p.startAt, r)}` : '';
    const who =
      p.actor === 'you' ? 'You cancelled' : p.actor === 'counterpart' ? `${p.counterpartName} cancelled` : 'LexMarket cancelled';
    const paragraphs = [
      p.proposalDeclined
        ? p.side === 'CLIENT'
          ? `You declined ${p.counterpartName}'s new time and cancelled "${p.offeringTitle}"${when}.`
          : `${p.counterpartName} declined your new time and cancelled "${p.offeringTitle}"${when}.`
        : `${who} "${p.offeringTitle}"${when}.`,
    ];
    if (p.reason) paragraphs.push(`Reason given: ${p.reason}`);
    const amount = formatAmount(p.refundMinor, p.currency, r);
    const policy = p.policy ? ` (${POLICY_TEXT[p.policy] ?? p.policy})` : '';
    if (p.side === 'CLIENT')
      paragraphs.push(
        p.refundMinor > 0
          ? `You will be refunded ${amount}${policy}; we will email you when the refund is sent.`
          : `No refund is due${policy}.`,
      );
    else
      paragraphs.push(
        p.refundMinor > 0 ? `The client is refunded ${amount}${policy}.` : `No refund is due to the client${policy}.`,
      );
    return {
      subject: `Cancelled: ${p.offeringTitle}${when}`,
      paragraphs,
      link: { path: sessionPath(p.sessionId), label: 'View the session' },
    };
  },

  'session.expired': (p) => ({
    subject: `Checkout expired: ${p.offeringTitle}`,
    paragraphs: [
      `The checkout for "${p.offeringTitle}" with ${p.counterpartName} expired before payment. Nothing was charged; you can book again at any time.`,
    ],
    link: { path: sessionPath(p.sessionId), label: 'View the session' },
  }),

  'session.completed': (p) => ({
    subject: `Completed: ${p.offeringTitle}`,
    paragraphs: [
      `Your consultation "${p.offeringTitle}" with ${p.counterpartName} is marked completed. Thank you for using LexMarket.`,
    ],
    link: { path: sessionPath(p.sessionId), label: 'View the session' },
  }),

  'session.no_show': (p, r) => {
    const when = p.startAt ? ` on ${formatInstant(p.startAt, r)}` : '';
    const paragraphs = [
      `After reviewing a no-show report and the call's attendance record, LexMarket support recorded that you did not attend "${p.offeringTitle}" with ${p.counterpartName}${when}.`,
      p.side === 'LAWYER' ? 'The client is refunded in full.' : 'The payment stays with the lawyer, as the booking terms say.',
    ];
    paragraphs.push('If you think this is wrong, write to support from the session page.');
    return {
      subject: `Recorded as a no-show: ${p.offeringTitle}`,
      paragraphs,
      link: { path: sessionPath(p.sessionId), label: 'View the session' },
    };
  },

  'session.reminder': (p, r) => {
    const when = formatInstant(p.startAt, r);
    const soon = p.lead === '1h' ? 'in about an hour' : 'within 24 hours';
    return {
      subject: `Reminder: ${p.offeringTitle} ${p.lead === '1h' ? 'starts soon' : 'is coming up'}, ${when}`,
      paragraphs: [
        `Your consultation "${p.offeringTitle}" with ${p.counterpartName} starts ${soon}: ${when} (${p.durationMinutes} minutes).`,
      ],
      link: { path: sessionPath(p.sessionId), label: 'Open the session' },
    };
  },

  'refund.succeeded': (p, r) => ({
    subject: `Refund of ${formatAmount(p.amountMinor, p.currency, r)} sent`,
    paragraphs: [
      `We sent a refund of ${formatAmount(p.amountMinor, p.currency, r)} for "${p.offeringTitle}" to your original payment method. Banks usually show it within 5–10 business days.`,
    ],
    link: { path: sessionPath(p.sessionId), label: 'View the session' },
  }),

  'recording.available': (p) => ({
    subject: `Recording ready: ${p.offeringTitle}`,
    paragraphs: [
      p.kind === 'composition'
        ? `The recording of your consultation "${p.offeringTitle}" is stored and sealed.`
        : `${p.by === 'you' ? 'Your' : 'The other participant’s'} recording of your consultation "${p.offeringTitle}" (their own camera and microphone) is stored and sealed.`,
      `Its SHA-256 fingerprint is ${p.sha256}. Anyone holding a copy can check it on the verify page; every download is logged.`,
    ],
    link: { path: sessionPath(p.sessionId), label: 'Open the recordings' },
  }),

  'lawyer.verified': () => ({
    subject: 'Your lawyer profile is verified',
    paragraphs: [
      'An administrator verified your profile. It is now listed in the directory and clients can book your offerings.',
    ],
    link: { path: lawyerProfilePath, label: 'Open your profile' },
  }),

  'lawyer.rejected': (p) => ({
    subject: 'Your lawyer profile was not verified',
    paragraphs: [
      `An administrator could not verify your profile. Reason: ${p.reason}`,
      'Update your profile and contact support to ask for another review.',
    ],
    link: { path: lawyerProfilePath, label: 'Open your profile' },
  }),

  'support.message_from_admin': (p) => ({
    subject: `Support replied: ${p.subject}`,
    paragraphs: [
      'The LexMarket support team replied to your request:',
      p.excerpt,
      'Answer on the request’s page; please do not reply to this email.',
    ],
    link: { path: ticketPath(p.ticketId), label: 'Open your request' },
  }),

  'support.message_from_reporter': (p) => ({
    subject: `New message on a support ticket: ${p.subject}`,
    paragraphs: [`${p.reporterName} wrote on the ticket "${p.subject}":`, p.excerpt],
    link: { path: adminTicketPath(p.ticketId), label: 'Open the ticket' },
  }),

  'support.ticket_resolved': (p, r) => {
    const paragraphs = [
      p.status === 'REJECTED'
        ? `Your request "${p.subject}" is closed without a change.`
        : `Your request "${p.subject}" is resolved.`,
    ];
    if (p.resolution) paragraphs.push(RESOLUTION_TEXT[p.resolution]);
    if (p.refundMinor > 0 && p.currency)
      paragraphs.push(
        `You will be refunded ${formatAmount(p.refundMinor, p.currency, r)}; we will email you when the refund is sent.`,
      );
    if (p.note) paragraphs.push(`Note from the support team: ${p.note}`);
    return {
      subject: `${p.status === 'REJECTED' ? 'Closed' : 'Resolved'}: ${p.subject}`,
      paragraphs,
      link: { path: ticketPath(p.ticketId), label: 'Open your request' },
    };
  },

  'review.awaiting': (p, r) => ({
    subject: `${p.counterpartName} reviewed your session: leave yours by ${formatInstant(p.deadlineAt, r)}`,
    paragraphs: [
      `${p.counterpartName} left a review of "${p.offeringTitle}". Reviews stay hidden from both of you until you have both written yours, or until the review window closes.`,
      `You can review ${p.side === 'CLIENT' ? 'your lawyer' : 'your client'} until ${formatInstant(p.deadlineAt, r)}.`,
    ],
    link: { path: sessionPath(p.sessionId), label: 'Leave your review' },
  }),

  'review.published': (p) => ({
    subject: `Reviews published: ${p.offeringTitle}`,
    paragraphs: [
      p.reason === 'both_submitted'
        ? `You and ${p.counterpartName} have both reviewed "${p.offeringTitle}", so both reviews are now visible to both of you.`
        : `The review window of "${p.offeringTitle}" with ${p.counterpartName} has closed, so the reviews written for it are now visible to both of you.`,
      p.side === 'CLIENT'
        ? 'A review you wrote of the lawyer is shown on their public profile.'
        : 'A review your client wrote is shown on your public profile, where you may publish one response.',
    ],
    link: { path: sessionPath(p.sessionId), label: 'See the reviews' },
  }),

  'payout.recorded': (p, r) => ({
    subject: `Payout of ${formatAmount(p.amountMinor, p.currency, r)} sent`,
    paragraphs: [
      `We paid you ${formatAmount(p.amountMinor, p.currency, r)} (${p.role === 'PARTNER' ? 'your partner commissions' : 'your consultation earnings'}) by ${PAYOUT_METHOD_TEXT[p.method] ?? p.method} on ${formatInstant(p.paidAt, r)}.`,
      `Reference: ${p.reference}. Depending on the bank it can take a few business days to arrive.`,
    ],
    link: { path: moneyPath(p.role), label: 'See your payouts' },
  }),

  'payout.reversed': (p, r) => ({
    subject: `Payout of ${formatAmount(p.amountMinor, p.currency, r)} corrected`,
    paragraphs: [
      `A payout of ${formatAmount(p.amountMinor, p.currency, r)} recorded for you was reversed, so that amount is owed to you again and will be included in a coming payout.`,
      `Reason: ${p.reason}`,
    ],
    link: { path: moneyPath(p.role), label: 'See your balance' },
  }),

  'statement.issued': (p, r) => {
    const month = DateTime.fromISO(p.periodStart, { zone: 'UTC' });
    const label = month.isValid ? month.setLocale(r.locale).toFormat('LLLL yyyy') : p.periodStart;
    return {
      subject: `Your statement for ${label} (${p.number})`,
      paragraphs: [
        `Your ${p.currency} statement ${p.number} for ${label} is ready. Closing balance owed to you: ${formatAmount(p.closingMinor, p.currency, r)}.`,
        'You can download it as CSV or PDF.',
      ],
      link: { path: moneyPath(p.role), label: 'Open your statements' },
    };
  },

  'contract.sign_requested': (p, r) => ({
    subject: `Please sign: ${p.title} (${p.number})`,
    paragraphs: [
      `${p.counterpartName} sent you "${p.title}" (${p.number}) to read and sign electronically.`,
      `Please read it and sign or decline by ${formatInstant(p.expiresAt, r)}; after that it expires.`,
    ],
    link: { path: contractSignPath(p.contractId), label: 'Read and sign' },
  }),

  'contract.signed': (p) => ({
    subject: `${p.counterpartName} signed ${p.number}`,
    paragraphs: [
      `${p.counterpartName} signed "${p.title}" (${p.number}). Your signature is the one still missing.`,
      'Once you sign, the contract is executed and both of you receive the sealed PDF.',
    ],
    link: { path: contractSignPath(p.contractId), label: 'Read and sign' },
  }),

  'contract.executed': (p) => ({
    subject: `Executed: ${p.title} (${p.number}) — your copy`,
    paragraphs: [
      `"${p.title}" (${p.number}) has been signed by you and ${p.counterpartName} and is now executed. Your copy, the sealed PDF with the signature certificate, is ready to download.`,
      `Its SHA-256 fingerprint is ${p.sha256}. Anyone holding a copy can check it on the platform's verification page; a changed file will not be found.`,
    ],
    link: { path: contractPath(p.contractId), label: 'Download your copy' },
  }),

  'contract.declined': (p) => ({
    subject: `${p.counterpartName} declined ${p.number}`,
    paragraphs: [
      `${p.counterpartName} declined to sign "${p.title}" (${p.number}). The contract is closed and can no longer be signed.`,
      `Their reason: ${p.reason}`,
    ],
    link: { path: contractPath(p.contractId), label: 'Open the contract' },
  }),

  'contract.voided': (p) => ({
    subject: `Voided: ${p.title} (${p.number})`,
    paragraphs: [
      `${p.counterpartName} voided "${p.title}" (${p.number}). It can no longer be signed; nothing is required from you.`,
      `Their reason: ${p.reason}`,
    ],
    link: { path: contractPath(p.contractId), label: 'Open the contract' },
  }),

  'contract.expired': (p) => ({
    subject: `Expired: ${p.title} (${p.number})`,
    paragraphs: [
      `The signing period of "${p.title}" (${p.number}) with ${p.counterpartName} ended before both of you signed. The contract is closed.`,
    ],
    link: { path: contractPath(p.contractId), label: 'Open the contract' },
  }),

  // Nothing of the message: it is end-to-end encrypted, and only the recipient's browser can read it.
  'message.received': (p) => ({
    subject: `You have a new message from ${p.counterpartName}`,
    paragraphs: [
      `${p.counterpartName} sent you a message on LexMarket. Messages are end-to-end encrypted, so you can read it only in the app.`,
      'We will not email you about further messages in this conversation until you have read it.',
    ],
    link: { path: conversationPath(p.conversationId), label: 'Read the message' },
  }),

  'webhook.endpoint_disabled': (p, r) => ({
    subject: 'Your webhook endpoint was disabled',
    paragraphs: [
      `Every delivery to your webhook endpoint ${p.url} has failed since ${formatInstant(p.failingSince, r)}, so we disabled it after 3 days.`,
      'Events are no longer sent to it. Fix the receiver, then enable the endpoint again; you can replay failed deliveries from its delivery log.',
    ],
    link: null,
  }),
  'webhook.endpoint_created': (p) => ({
    subject: 'A webhook endpoint was added to your account',
    paragraphs: [
      `A webhook endpoint was registered on your LexMarket account${p.via === 'api-key' ? ' with one of your API keys' : ''}: ${p.url}. ` +
        `It will receive these events: ${p.eventTypes.join(', ')}.`,
      'If this was not you, delete the endpoint, revoke your API keys and change your password.',
    ],
    link: { path: developersWebhooksPath, label: 'Review your webhook endpoints' },
  }),
  'security.api_key_created': (p, r) => ({
    subject: 'A new API key was created on your account',
    paragraphs: [
      `An API key named "${p.name}" (${p.prefix}…) was created on your LexMarket account, with these scopes: ${p.scopes.join(', ')}. ` +
        (p.expiresAt ? `It expires ${formatInstant(p.expiresAt, r)}.` : 'It does not expire.'),
      'If this was not you, revoke the key and change your password.',
    ],
    link: { path: developersApiKeysPath, label: 'Review your API keys' },
  }),
  'security.password_reset': (p) => ({
    subject: 'Your password was reset',
    paragraphs: [
      'The password of your LexMarket account was reset with a link sent to this address, and every sign-in was ended.',
      'Because a reset can mean someone else had access to your account, we also ' +
        `revoked your API keys (${p.apiKeysRevoked}) and disabled your webhook endpoints (${p.webhookEndpointsDisabled}). ` +
        'Create new keys for your integrations, and enable the endpoints you trust again.',
      'If you did not reset your password, contact support right away.',
    ],
    link: { path: developersApiKeysPath, label: 'Open Developers' },
  }),
};

/** How payout methods read in a message. */
const PAYOUT_METHOD_TEXT: Record<string, string> = {
  BANK_TRANSFER: 'bank transfer',
  PAYPAL: 'PayPal',
  WISE: 'Wise',
  CHECK: 'cheque',
  OTHER: 'another method',
};

/** What a no-show decision means, for the reporter. */
const RESOLUTION_TEXT: Record<'LAWYER_NO_SHOW' | 'CLIENT_NO_SHOW' | 'DISMISSED', string> = {
  LAWYER_NO_SHOW:
    'We found that the lawyer did not attend the session. The session is marked as a lawyer no-show and the client is refunded in full.',
  CLIENT_NO_SHOW:
    'We found that the client did not attend the session. The session is marked as a client no-show; the payment stays with the lawyer.',
  DISMISSED: 'We could not confirm a no-show from the evidence, so the session stays as it was.',
};

/** What the cancellation policy codes mean, for the people who read the message. */
const POLICY_TEXT: Record<string, string> = {
  NOTHING_PAID: 'nothing was paid',
  CLIENT_BEFORE_SCHEDULING: 'cancelled before a time was booked: full refund',
  CLIENT_MORE_THAN_24H: 'cancelled more than 24 hours before the start: full refund',
  CLIENT_WITHIN_24H: 'cancelled within 24 hours of the start: no refund',
  LAWYER_CANCELLED: 'cancelled by the lawyer: full refund',
};

/** Renders one kind for one recipient: subject, in-app summary, plain text and HTML (every value escaped). */
export function renderMessage<K extends NotificationKind>(
  kind: K,
  params: NotificationParams[K],
  recipient: Recipient,
  publicUrl: string,
): RenderedMessage {
  const content = (TEMPLATES[kind] as Template<K>)(params, recipient);
  const url = content.link ? absoluteUrl(publicUrl, content.link.path) : null;
  const text = [
    `Hello ${recipient.name},`,
    ...content.paragraphs,
    ...(content.link && url ? [`${content.link.label}: ${url}`] : []),
    '— LexMarket',
  ].join('\n\n');
  const html = [
    '<!doctype html><html><body style="font-family: sans-serif; line-height: 1.5; color: #1a1b1e">',
    `<p>Hello ${escapeHtml(recipient.name)},</p>`,
    ...content.paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`),
    ...(content.link && url ? [`<p><a href="${escapeHtml(url)}">${escapeHtml(content.link.label)}</a></p>`] : []),
    '<p>— LexMarket</p>',
    '</body></html>',
  ].join('\n');
  return { subject: content.subject, summary: content.paragraphs.join(' '), linkPath: content.link?.path ?? null, text, html };
}
