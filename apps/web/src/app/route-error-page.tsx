import { isRouteErrorResponse, useRouteError } from 'react-router-dom';
import { ErrorFallback } from '../components/error-fallback';
import { NotFoundPage } from './not-found-page';

/** errorElement of the routes: a thrown loader/render error becomes a friendly page. */
export function RouteErrorPage() {
  const error = useRouteError();
  if (isRouteErrorResponse(error) && error.status === 404) return <NotFoundPage />;
  return <ErrorFallback error={error} onRetry={() => window.location.reload()} />;
}
