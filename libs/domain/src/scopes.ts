import { Role } from './role';

/**
 * What an API key may do. A session (password sign-in in the browser) is limited only by its
 * role; an API key is limited by its role AND its scopes. Every API operation declares the one
 * scope it needs next to its roles (`@Scopes` beside `@Roles` in the API, `x-scopes` and the
 * `apiKey` security requirement in the OpenAPI document).
 *
 * How operations are mapped:
 * - `*:read` for operations that only read (GET, and the few POSTs that change nothing such as a
 *   contract preview or a short-lived media link); `*:write` for everything that changes state.
 * - `sessions:*`: consultations: checkout, booking, rescheduling, cancelling, completing, the call's
 *   state and attendance, recordings.
 * - `reviews:*`: writing, reading, answering and reporting reviews.
 * - `reports:read`: earnings, partner reports and referrals, statements, payouts (read-only money).
 * - `contracts:*`: contract templates and contracts (drafting, sending, declining, PDFs).
 * - `messages:*`: end-to-end encrypted conversations, their events, session notes and the public
 *   keys needed to encrypt for someone (ciphertext only: a key cannot decrypt anything).
 * - `profile:*`: the account itself (`/auth/me`), notifications and their preferences, a lawyer's
 *   profile, offerings and availability, a partner's referral link.
 * - `support:*`: the caller's own support tickets.
 * - `webhooks:manage`: webhook endpoints and deliveries.
 * - `admin`: every `/api/admin` operation, and anything an ADMIN does with administrator power on a
 *   shared route (any session's recordings, any contract, platform templates, any statement). It
 *   is never granted by default: it must be chosen explicitly when an ADMIN creates a key.
 * - No scope at all (session only, an API key gets 403 API_KEY_NOT_ALLOWED): managing API keys,
 *   password and email verification, end-to-end encryption key set-up (identity, backup, devices),
 *   signing a contract or recording that it was viewed, and taking part in a live call (joining,
 *   recording consent, signalling, in-call recording upload): acts that must be a person's own.
 */
export const API_SCOPES = [
  'sessions:read',
  'sessions:write',
  'reviews:read',
  'reviews:write',
  'reports:read',
  'contracts:read',
  'contracts:write',
  'messages:read',
  'messages:write',
  'profile:read',
  'profile:write',
  'support:read',
  'support:write',
  'webhooks:manage',
  'admin',
] as const;

export type ApiScope = (typeof API_SCOPES)[number];

/** A client's or lawyer's own work as a participant: every scope but the reports and `admin`. */
const PARTICIPANT: readonly ApiScope[] = API_SCOPES.filter((scope) => scope !== 'reports:read' && scope !== 'admin');

/** What any account may do with its own account alone: reviews, messages, profile, support tickets, webhooks. */
const OWN_ACCOUNT: readonly ApiScope[] = [
  'reviews:write',
  'messages:read',
  'messages:write',
  'profile:read',
  'profile:write',
  'support:read',
  'support:write',
  'webhooks:manage',
];

/**
 * The scopes a key of each role may hold: no key ever exceeds what its owner's role allows (the
 * API also intersects a key's scopes with its owner's CURRENT role on every request). An ADMIN's
 * non-admin scopes cover only their own account (profile, notifications, messages, support
 * tickets, reporting a review, webhooks); `admin` covers everything else an ADMIN may do.
 */
export const SCOPES_BY_ROLE: Readonly<Record<Role, readonly ApiScope[]>> = Object.freeze({
  [Role.CLIENT]: Object.freeze([...PARTICIPANT]),
  [Role.LAWYER]: Object.freeze([...PARTICIPANT, 'reports:read'] as ApiScope[]),
  [Role.PARTNER]: Object.freeze(['reports:read', ...OWN_ACCOUNT] as ApiScope[]),
  [Role.ADMIN]: Object.freeze([...OWN_ACCOUNT, 'admin'] as ApiScope[]),
});

export function isApiScope(value: unknown): value is ApiScope {
  return typeof value === 'string' && (API_SCOPES as readonly string[]).includes(value);
}

/**
 * Whether a key holding `held` (already limited to its owner's role) may call an operation that
 * needs every scope in `required`. `admin` satisfies any requirement: it can only be held by an
 * ADMIN, and the operation's roles still decide whether an ADMIN may call it at all.
 */
export function scopesSatisfy(held: readonly ApiScope[], required: readonly ApiScope[]): boolean {
  if (held.includes('admin')) return true;
  return required.every((scope) => held.includes(scope));
}

/** The scopes of `scopes` that `role` may hold (a key's scopes as its owner's role allows today). */
export function scopesAllowedFor(role: Role, scopes: readonly string[]): ApiScope[] {
  const allowed = SCOPES_BY_ROLE[role] ?? [];
  return allowed.filter((scope) => scopes.includes(scope));
}
