/** Every SPA route, in one place, so navigation and the router cannot drift apart. */
export const paths = {
  home: '/',
  lawyers: '/lawyers',
  signIn: '/sign-in',
  client: {
    sessions: '/client/sessions',
    profile: '/client/profile',
  },
  lawyer: {
    dashboard: '/lawyer',
    availability: '/lawyer/availability',
    offerings: '/lawyer/offerings',
  },
  partner: {
    referrals: '/partner/referrals',
    reports: '/partner/reports',
  },
  admin: {
    users: '/admin/users',
    verification: '/admin/verification',
    audit: '/admin/audit',
    outbox: '/admin/outbox',
  },
} as const;
