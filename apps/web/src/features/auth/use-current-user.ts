import { useQuery } from '@tanstack/react-query';
import { currentUserQueryOptions, type UserResponse } from './auth.queries';

export type CurrentUser = UserResponse;

export interface CurrentUserState {
  user: CurrentUser | null;
  isLoading: boolean;
}

/** Who is signed in (`GET /api/auth/me`), null for an anonymous visitor. */
export function useCurrentUser(): CurrentUserState {
  const query = useQuery(currentUserQueryOptions());
  return { user: query.data ?? null, isLoading: query.isPending };
}
