import { Role } from '@lm/domain';
import { createBrowserRouter } from 'react-router-dom';
import { ComingSoonPage } from '../components/coming-soon-page';
import { RequireRole } from '../features/auth/require-role';
import { ApiKeysPage } from '../features/api-keys/api-keys-page';
import { AuditLogPage } from '../features/admin/audit-log-page';
import { OutboxPage } from '../features/admin/outbox-page';
import { UsersPage } from '../features/admin/users-page';
import { ForgotPasswordPage } from '../features/auth/forgot-password-page';
import { ResetPasswordPage } from '../features/auth/reset-password-page';
import { SignInPage } from '../features/auth/sign-in-page';
import { SignUpPage } from '../features/auth/sign-up-page';
import { VerifyEmailPage } from '../features/auth/verify-email-page';
import { LawyerProfilePage } from '../features/lawyer/lawyer-profile-page';
import { PublicLawyerPage } from '../features/lawyer/public-lawyer-page';
import { VerificationQueuePage } from '../features/lawyer/verification-queue-page';
import { ReferralsPage } from '../features/partner/referrals-page';
import { ProfilePage } from '../features/profile/profile-page';
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
          { path: paths.lawyerProfile(':id'), element: <PublicLawyerPage /> },
          { path: paths.signIn, element: <SignInPage /> },
          { path: paths.signUp, element: <SignUpPage /> },
          { path: paths.forgotPassword, element: <ForgotPasswordPage /> },
          { path: paths.resetPassword, element: <ResetPasswordPage /> },
          { path: paths.verifyEmail, element: <VerifyEmailPage /> },
          {
            element: <RequireRole />,
            children: [{ path: paths.apiKeys, element: <ApiKeysPage /> }],
          },
          {
            element: <RequireRole role={Role.CLIENT} />,
            children: [
              { path: paths.client.sessions, element: <ComingSoonPage title="My sessions" /> },
              { path: paths.client.profile, element: <ProfilePage /> },
            ],
          },
          {
            element: <RequireRole role={Role.LAWYER} />,
            children: [
              { path: paths.lawyer.dashboard, element: <ComingSoonPage title="Dashboard" /> },
              { path: paths.lawyer.profile, element: <LawyerProfilePage /> },
              { path: paths.lawyer.availability, element: <ComingSoonPage title="Availability" /> },
              { path: paths.lawyer.offerings, element: <ComingSoonPage title="Offerings" /> },
            ],
          },
          {
            element: <RequireRole role={Role.PARTNER} />,
            children: [
              { path: paths.partner.referrals, element: <ReferralsPage /> },
              { path: paths.partner.reports, element: <ComingSoonPage title="Reports" /> },
            ],
          },
          {
            element: <RequireRole role={Role.ADMIN} />,
            children: [
              { path: paths.admin.users, element: <UsersPage /> },
              { path: paths.admin.verification, element: <VerificationQueuePage /> },
              { path: paths.admin.audit, element: <AuditLogPage /> },
              { path: paths.admin.outbox, element: <OutboxPage /> },
            ],
          },
          { path: '*', element: <NotFoundPage /> },
        ],
      },
    ],
  },
]);
