import { Role } from '@lm/domain';
import { createBrowserRouter } from 'react-router-dom';
import { ComingSoonPage } from '../components/coming-soon-page';
import { RequireRole } from '../features/auth/require-role';
import { ApiKeysPage } from '../features/api-keys/api-keys-page';
import { AdminSessionsPage } from '../features/admin/admin-sessions-page';
import { AuditLogPage } from '../features/admin/audit-log-page';
import { LedgerBalancesPage } from '../features/admin/ledger-balances-page';
import { OutboxPage } from '../features/admin/outbox-page';
import { PaymentsPage } from '../features/admin/payments-page';
import { UsersPage } from '../features/admin/users-page';
import { ForgotPasswordPage } from '../features/auth/forgot-password-page';
import { ResetPasswordPage } from '../features/auth/reset-password-page';
import { SignInPage } from '../features/auth/sign-in-page';
import { SignUpPage } from '../features/auth/sign-up-page';
import { VerifyEmailPage } from '../features/auth/verify-email-page';
import { AvailabilityPage } from '../features/availability/availability-page';
import { DirectoryPage } from '../features/directory/directory-page';
import { LawyerDashboardPage } from '../features/lawyer/lawyer-dashboard-page';
import { LawyerProfilePage } from '../features/lawyer/lawyer-profile-page';
import { PublicLawyerPage } from '../features/lawyer/public-lawyer-page';
import { VerificationQueuePage } from '../features/lawyer/verification-queue-page';
import { OfferingsPage } from '../features/offerings/offerings-page';
import { ReferralsPage } from '../features/partner/referrals-page';
import { ProfilePage } from '../features/profile/profile-page';
import { MySessionsPage } from '../features/sessions/my-sessions-page';
import { SessionPage } from '../features/sessions/session-page';
import { LandingPage } from '../features/status/landing-page';
import { AppShellLayout } from './app-shell';
import { NotFoundPage } from './not-found-page';
import { paths } from './paths';
import { RouteErrorPage } from './route-error-page';

/**
 * Every path in `paths` has a route, so nothing in the navigation leads to a 404.
 * Pages whose feature has not shipped yet are placeholders; each sits behind its role guard.
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
          { path: paths.lawyers, element: <DirectoryPage /> },
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
              { path: paths.client.sessions, element: <MySessionsPage /> },
              { path: paths.client.profile, element: <ProfilePage /> },
            ],
          },
          {
            element: <RequireRole role={Role.LAWYER} />,
            children: [
              { path: paths.lawyer.dashboard, element: <LawyerDashboardPage /> },
              { path: paths.lawyer.profile, element: <LawyerProfilePage /> },
              { path: paths.lawyer.availability, element: <AvailabilityPage /> },
              { path: paths.lawyer.offerings, element: <OfferingsPage /> },
            ],
          },
          {
            // A session belongs to a client and a lawyer; both open it here (the API 404s anyone else).
            element: <RequireRole role={[Role.CLIENT, Role.LAWYER]} />,
            children: [{ path: paths.session(':id'), element: <SessionPage /> }],
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
              { path: paths.admin.payments, element: <PaymentsPage /> },
              { path: paths.admin.sessions, element: <AdminSessionsPage /> },
              { path: paths.admin.ledger, element: <LedgerBalancesPage /> },
            ],
          },
          { path: '*', element: <NotFoundPage /> },
        ],
      },
    ],
  },
]);
