/** Every SPA route, in one place, so navigation and the router cannot drift apart. */
export const paths = {
  home: '/',
  lawyers: '/lawyers',
  lawyerProfile: (id: string) => `/lawyers/${id}`,
  /** One session, for its client or lawyer; also Stripe's return page (`?checkout=success|cancelled`). */
  session: (id: string) => `/sessions/${id}`,
  signIn: '/sign-in',
  signUp: '/sign-up',
  forgotPassword: '/forgot-password',
  resetPassword: '/reset-password',
  verifyEmail: '/verify-email',
  /** After sign-up: "check your inbox", with a resend button (signed in). */
  checkInbox: '/verify-email/sent',
  /** Public: check a recording's or an executed contract's fingerprint (the file is hashed in the browser, never uploaded). */
  verify: '/verify',
  terms: '/terms',
  privacy: '/privacy',
  /** The old address of the API keys page: redirects to `developers.apiKeys` (bookmarks keep working). */
  apiKeys: '/account/api-keys',
  /**
   * Every signed-in role's Developers area: API keys and outbound webhooks (endpoints, their
   * delivery log, one delivery with its request and response).
   */
  developers: {
    home: '/account/developers',
    apiKeys: '/account/developers/api-keys',
    webhooks: '/account/developers/webhooks',
    webhookEndpoint: (id: string) => `/account/developers/webhooks/${id}`,
    webhookDelivery: (id: string) => `/account/developers/webhooks/deliveries/${id}`,
  },
  /** Every signed-in role's notification centre (and email preferences). */
  notifications: '/notifications',
  /** A lawyer's or partner's statements (a notification's link): redirects to the page that lists them. */
  statements: '/statements',
  /** A lawyer's and a client's contracts (`?view=` tab, `?sessionId=` one session's). */
  contracts: '/contracts',
  /** Lawyer: a new contract for a paid session (`?sessionId=`; `newContract(id)` builds the link). */
  newContractRoute: '/contracts/new',
  newContract: (sessionId: string) => `/contracts/new?sessionId=${encodeURIComponent(sessionId)}`,
  contract: (id: string) => `/contracts/${id}`,
  /** Lawyer: a draft's values, saved as a new version. */
  contractEdit: (id: string) => `/contracts/${id}/edit`,
  /** A party reads, consents and signs (or declines). */
  contractSign: (id: string) => `/contracts/${id}/sign`,
  /**
   * A client's and a lawyer's end-to-end encrypted conversations (one per client–lawyer pair),
   * one conversation, and this account's devices and keys.
   */
  messages: {
    home: '/messages',
    security: '/messages/security',
    conversation: (id: string) => `/messages/${id}`,
  },
  /** Every signed-in role's support tickets; `newTicket` takes `?sessionId=` for a session's problem. */
  support: {
    tickets: '/support',
    newTicket: '/support/new',
    ticket: (id: string) => `/support/tickets/${id}`,
  },
  client: {
    sessions: '/client/sessions',
    profile: '/client/profile',
  },
  lawyer: {
    dashboard: '/lawyer',
    profile: '/lawyer/profile',
    availability: '/lawyer/availability',
    offerings: '/lawyer/offerings',
    /** Reviews about me (respond, report) and the ones I wrote about clients. */
    reviews: '/lawyer/reviews',
    /** Earnings per period and currency, payouts received and monthly statements. */
    earnings: '/lawyer/earnings',
    /** The platform's contract templates and my own; `…/new` (`?from=` a template to start from) and `…/:id` edit one. */
    contractTemplates: '/lawyer/contract-templates',
    newContractTemplate: '/lawyer/contract-templates/new',
    contractTemplate: (id: string) => `/lawyer/contract-templates/${id}`,
  },
  partner: {
    /** A notification's link: redirects to the partner dashboard (`reports`). */
    home: '/partner',
    referrals: '/partner/referrals',
    /** The partner dashboard: commission, the referral funnel, payouts and statements. */
    reports: '/partner/reports',
  },
  admin: {
    users: '/admin/users',
    verification: '/admin/verification',
    /** One lawyer's full profile and licence document, to verify or reject. */
    lawyer: (id: string) => `/admin/verification/${id}`,
    audit: '/admin/audit',
    outbox: '/admin/outbox',
    payments: '/admin/payments',
    sessions: '/admin/sessions',
    session: (id: string) => `/admin/sessions/${id}`,
    ledger: '/admin/ledger',
    /** Who is owed (manual payouts), recording and reversing payouts, the history. */
    payouts: '/admin/payouts',
    /** Every partner's and lawyer's monthly statements; re-issuing a corrected one. */
    statements: '/admin/statements',
    /** The review moderation queue, and one review with its reports and decisions. */
    reviews: '/admin/reviews',
    review: (id: string) => `/admin/reviews/${id}`,
    status: '/admin/status',
    /** The support queue, and one ticket with its evidence and the no-show resolution. */
    support: '/admin/support',
    supportTicket: (id: string) => `/admin/support/${id}`,
  },
} as const;

/** Where a role lands after signing in. */
export function homeFor(role: 'CLIENT' | 'LAWYER' | 'PARTNER' | 'ADMIN'): string {
  switch (role) {
    case 'CLIENT':
      return paths.client.profile;
    case 'LAWYER':
      return paths.lawyer.profile;
    case 'PARTNER':
      return paths.partner.referrals;
    case 'ADMIN':
      return paths.admin.users;
  }
}
