import type { Role } from '@lm/domain';

export interface CurrentUser {
  id: string;
  email: string;
  displayName: string;
  role: Role;
}

export interface CurrentUserState {
  user: CurrentUser | null;
  isLoading: boolean;
}

const ANONYMOUS: CurrentUserState = { user: null, isLoading: false };

/**
 * Who is signed in.
 *
 * SEAM for the identity issue: sign-in does not exist yet, so everyone is anonymous. The
 * identity feature replaces this body with a query of the current user (e.g. `GET /api/me`
 * through `auth.queries.ts`), and wires the access token into `src/lib/api.ts`. Callers
 * (app shell navigation, RequireRole) already depend only on this shape.
 */
export function useCurrentUser(): CurrentUserState {
  return ANONYMOUS;
}
