import { Role } from '@lm/domain';
import { createBrowserRouter } from 'react-router-dom';
import { ComingSoonPage } from '../components/coming-soon-page';
import { RequireRole } from '../features/auth/require-role';
import { LandingPage } from '../features/status/landing-page';
import { AppShellLayout } from './app-shell';
import { NotFoundPage } from './not-found-page';
import { paths } from './paths';
import { RouteErrorPage } from './route-error-page';

/**
 * Every path in `paths` has a route, so nothing in the navigation leads to a 404.
 * Dashboards are placeholders until their issues land; each sits behind its role guard.
 */
export const router = createBrowserRouter([
  {
    path: paths.home,
    element: <AppShellLayout />,
    // Used only if the shell itself fails; page errors render inside the shell (below).
    errorElement: <RouteErrorPage />,
    children: [
      {
        errorElement: <RouteErrorPage />,
        children: [
          { index: true, element: <LandingPage /> },
          {
            path: paths.lawyers,
            element: (
              <ComingSoonPage
                title="Find a lawyer"
                description="Search verified lawyers by practice area, jurisdiction and price, and book a consultation."
              />
            ),
          },
          { path: paths.signIn, element: <ComingSoonPage title="Sign in" /> },
          {
            element: <RequireRole role={Role.CLIENT} />,
            children: [
              { path: paths.client.sessions, element: <ComingSoonPage title="My sessions" /> },
              { path: paths.client.profile, element: <ComingSoonPage title="Profile" /> },
            ],
          },
          {
            element: <RequireRole role={Role.LAWYER} />,
            children: [
              { path: paths.lawyer.dashboard, element: <ComingSoonPage title="Dashboard" /> },
              { path: paths.lawyer.availability, element: <ComingSoonPage title="Availability" /> },
              { path: paths.lawyer.offerings, element: <ComingSoonPage title="Offerings" /> },
            ],
          },
          {
            element: <RequireRole role={Role.PARTNER} />,
            children: [
              { path: paths.partner.referrals, element: <ComingSoonPage title="Referrals" /> },
              { path: paths.partner.reports, element: <ComingSoonPage title="Reports" /> },
            ],
          },
          {
            element: <RequireRole role={Role.ADMIN} />,
            children: [
              { path: paths.admin.users, element: <ComingSoonPage title="Users" /> },
              {
                path: paths.admin.verification,
                element: <ComingSoonPage title="Verification queue" />,
              },
              { path: paths.admin.audit, element: <ComingSoonPage title="Audit log" /> },
              { path: paths.admin.outbox, element: <ComingSoonPage title="Outbox" /> },
            ],
          },
          { path: '*', element: <NotFoundPage /> },
        ],
      },
    ],
  },
]);
