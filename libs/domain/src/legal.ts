/**
 * The version of the terms of service and privacy policy a person accepts at sign-up. The API
 * refuses a sign-up that does not name this exact version (400 TERMS_NOT_ACCEPTED) and records
 * the version and the time on the account; the SPA shows the same string on /terms and /privacy.
 * Change it whenever the text of either page changes in substance.
 */
export const TERMS_VERSION = '2026-11-30';
