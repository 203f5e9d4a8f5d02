import type { AuthUser } from '../../common/auth/auth-user';
import { CredentialsRequireSession, RecentSignInRequired } from './identity.errors';

/** How recent an admin's password sign-in must be for actions that hand out or take away power. */
export const RECENT_SIGN_IN_SECONDS = 15 * 60;

/**
 * Creating an admin, suspending or reactivating one, and creating API keys as an admin need an
 * interactive sign-in whose password was proved within the last 15 minutes; never an API key,
 * never a sign-in kept alive by refreshes alone. A leaked admin key (or a stolen long-lived
 * refresh cookie) therefore cannot mint admins or more keys.
 */
export function assertRecentSignIn(actor: AuthUser, now: Date): void {
  if (actor.via !== 'jwt') throw new CredentialsRequireSession();
  const at = actor.authenticatedAt?.getTime();
  if (at === undefined || now.getTime() - at > RECENT_SIGN_IN_SECONDS * 1000) throw new RecentSignInRequired();
}
