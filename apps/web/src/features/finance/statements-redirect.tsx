import { Navigate } from 'react-router-dom';
import { paths } from '../../app/paths';
import { useCurrentUser } from '../auth/use-current-user';

/**
 * `/statements` (the link of the "statement issued" notification, which does not know the
 * payee's role): a partner's statements are on the partner dashboard, a lawyer's on the
 * earnings page. Sits behind RequireRole([LAWYER, PARTNER]).
 */
export function StatementsRedirect() {
  const { user } = useCurrentUser();
  const page = user?.role === 'PARTNER' ? paths.partner.reports : paths.lawyer.earnings;
  return <Navigate to={`${page}#statements`} replace />;
}
