import type { AuthUser } from './auth-user';
import { CredentialsRequireSession, RecentSignInRequired } from './auth.errors';

/** How recent the password sign-in must be for actions that hand out or take away power. */
export const RECENT_SIGN_IN_SECONDS = 15 * 60;

/**
 * Creating an admin, suspending or reactivating one, creating an API key (any role), registering
 * a webhook endpoint from a session and resetting E2EE identity need an interactive sign-in whose
 * password was proved within the last 15 minutes; never an API key, never a sign-in kept alive
 * by refreshes alone. A stolen long-lived refresh cookie therefore cannot mint keys or send
 * the account's events somewhere new. Lives in common/ so every module applies the same rule.
 */
export function assertRecentSignIn(actor: AuthUser, now: Date): void {
  if (actor.via !== 'jwt') throw new CredentialsRequireSession();
  const at = actor.authenticatedAt?.getTime();
  if (at === undefined || now.getTime() - at > RECENT_SIGN_IN_SECONDS * 1000) throw new RecentSignInRequired();
}
