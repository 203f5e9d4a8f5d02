import { Role } from '@lm/domain';
import { createBrowserRouter, Navigate } from 'react-router-dom';
import { RequireRole } from '../features/auth/require-role';
import { AppShellLayout } from './app-shell';
import { NotFoundPage } from './not-found-page';
import { paths } from './paths';
import { RouteErrorPage } from './route-error-page';
import { lazyPage } from './lazy-page';

// One chunk per page: a visitor downloads the code of the screens they open, nothing more.
const ApiKeysPage = lazyPage(() => import('../features/api-keys/api-keys-page'), 'ApiKeysPage');
const DevelopersLayout = lazyPage(() => import('../features/webhooks/developers-layout'), 'DevelopersLayout');
const WebhooksPage = lazyPage(() => import('../features/webhooks/webhooks-page'), 'WebhooksPage');
const WebhookEndpointPage = lazyPage(() => import('../features/webhooks/webhook-endpoint-page'), 'WebhookEndpointPage');
const WebhookDeliveryPage = lazyPage(() => import('../features/webhooks/webhook-delivery-page'), 'WebhookDeliveryPage');
const AdminSessionsPage = lazyPage(() => import('../features/admin/admin-sessions-page'), 'AdminSessionsPage');
const AuditLogPage = lazyPage(() => import('../features/admin/audit-log-page'), 'AuditLogPage');
const LedgerBalancesPage = lazyPage(() => import('../features/admin/ledger-balances-page'), 'LedgerBalancesPage');
const OutboxPage = lazyPage(() => import('../features/admin/outbox-page'), 'OutboxPage');
const PaymentsPage = lazyPage(() => import('../features/admin/payments-page'), 'PaymentsPage');
const UsersPage = lazyPage(() => import('../features/admin/users-page'), 'UsersPage');
const ForgotPasswordPage = lazyPage(() => import('../features/auth/forgot-password-page'), 'ForgotPasswordPage');
const ResetPasswordPage = lazyPage(() => import('../features/auth/reset-password-page'), 'ResetPasswordPage');
const SignInPage = lazyPage(() => import('../features/auth/sign-in-page'), 'SignInPage');
const SignUpPage = lazyPage(() => import('../features/auth/sign-up-page'), 'SignUpPage');
const CheckInboxPage = lazyPage(() => import('../features/auth/check-inbox-page'), 'CheckInboxPage');
const TermsPage = lazyPage(() => import('../features/legal/legal-pages'), 'TermsPage');
const PrivacyPage = lazyPage(() => import('../features/legal/legal-pages'), 'PrivacyPage');
const LawyerReviewPage = lazyPage(() => import('../features/lawyer/lawyer-review-page'), 'LawyerReviewPage');
const AdminSessionDetailPage = lazyPage(() => import('../features/admin/admin-session-detail-page'), 'AdminSessionDetailPage');
const VerifyEmailPage = lazyPage(() => import('../features/auth/verify-email-page'), 'VerifyEmailPage');
const AvailabilityPage = lazyPage(() => import('../features/availability/availability-page'), 'AvailabilityPage');
const DirectoryPage = lazyPage(() => import('../features/directory/directory-page'), 'DirectoryPage');
const LawyerDashboardPage = lazyPage(() => import('../features/lawyer/lawyer-dashboard-page'), 'LawyerDashboardPage');
const LawyerProfilePage = lazyPage(() => import('../features/lawyer/lawyer-profile-page'), 'LawyerProfilePage');
const PublicLawyerPage = lazyPage(() => import('../features/lawyer/public-lawyer-page'), 'PublicLawyerPage');
const VerificationQueuePage = lazyPage(() => import('../features/lawyer/verification-queue-page'), 'VerificationQueuePage');
const SystemStatusPage = lazyPage(() => import('../features/status/system-status-page'), 'SystemStatusPage');
const OfferingsPage = lazyPage(() => import('../features/offerings/offerings-page'), 'OfferingsPage');
const ReferralsPage = lazyPage(() => import('../features/partner/referrals-page'), 'ReferralsPage');
const ProfilePage = lazyPage(() => import('../features/profile/profile-page'), 'ProfilePage');
const NotificationsPage = lazyPage(() => import('../features/notifications/notifications-page'), 'NotificationsPage');
const MySessionsPage = lazyPage(() => import('../features/sessions/my-sessions-page'), 'MySessionsPage');
const SessionPage = lazyPage(() => import('../features/sessions/session-page'), 'SessionPage');
const VerifyPage = lazyPage(() => import('../features/verify/verify-page'), 'VerifyPage');
const LawyerReviewsPage = lazyPage(() => import('../features/reviews/lawyer-reviews-page'), 'LawyerReviewsPage');
const AdminReviewsPage = lazyPage(() => import('../features/reviews/admin-reviews-page'), 'AdminReviewsPage');
const AdminReviewDetailPage = lazyPage(() => import('../features/reviews/admin-review-detail-page'), 'AdminReviewDetailPage');
const LandingPage = lazyPage(() => import('../features/status/landing-page'), 'LandingPage');
const MyTicketsPage = lazyPage(() => import('../features/support/my-tickets-page'), 'MyTicketsPage');
const NewTicketPage = lazyPage(() => import('../features/support/new-ticket-page'), 'NewTicketPage');
const TicketPage = lazyPage(() => import('../features/support/ticket-page'), 'TicketPage');
const AdminSupportQueuePage = lazyPage(() => import('../features/support/admin-support-queue-page'), 'AdminSupportQueuePage');
const AdminSupportTicketPage = lazyPage(() => import('../features/support/admin-support-ticket-page'), 'AdminSupportTicketPage');
const PartnerDashboardPage = lazyPage(() => import('../features/finance/partner-dashboard-page'), 'PartnerDashboardPage');
const LawyerEarningsPage = lazyPage(() => import('../features/finance/lawyer-earnings-page'), 'LawyerEarningsPage');
const AdminPayoutsPage = lazyPage(() => import('../features/finance/admin-payouts-page'), 'AdminPayoutsPage');
const StatementsRedirect = lazyPage(() => import('../features/finance/statements-redirect'), 'StatementsRedirect');
const ContractsPage = lazyPage(() => import('../features/contracts/contracts-page'), 'ContractsPage');
const ContractPage = lazyPage(() => import('../features/contracts/contract-page'), 'ContractPage');
const NewContractPage = lazyPage(() => import('../features/contracts/new-contract-page'), 'NewContractPage');
const EditContractPage = lazyPage(() => import('../features/contracts/new-contract-page'), 'EditContractPage');
const SignContractPage = lazyPage(() => import('../features/contracts/sign-contract-page'), 'SignContractPage');
const ContractTemplatesPage = lazyPage(() => import('../features/contracts/templates-page'), 'ContractTemplatesPage');
const TemplateEditorPage = lazyPage(() => import('../features/contracts/template-editor-page'), 'TemplateEditorPage');
const MessagesPage = lazyPage(() => import('../features/messages/messages-page'), 'MessagesPage');
const MessagesSecurityPage = lazyPage(() => import('../features/messages/messages-security-page'), 'MessagesSecurityPage');
const AdminStatementsPage = lazyPage(() => import('../features/finance/admin-statements-page'), 'AdminStatementsPage');

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
          { path: paths.verify, element: <VerifyPage /> },
          { path: paths.terms, element: <TermsPage /> },
          { path: paths.privacy, element: <PrivacyPage /> },
          {
            element: <RequireRole />,
            children: [
              // The old address of the API keys page, for bookmarks.
              { path: paths.apiKeys, element: <Navigate to={paths.developers.apiKeys} replace /> },
              { path: paths.developers.home, element: <Navigate to={paths.developers.apiKeys} replace /> },
              {
                element: <DevelopersLayout />,
                children: [
                  { path: paths.developers.apiKeys, element: <ApiKeysPage /> },
                  { path: paths.developers.webhooks, element: <WebhooksPage /> },
                  { path: paths.developers.webhookEndpoint(':id'), element: <WebhookEndpointPage /> },
                  { path: paths.developers.webhookDelivery(':id'), element: <WebhookDeliveryPage /> },
                ],
              },
              { path: paths.notifications, element: <NotificationsPage /> },
              { path: paths.checkInbox, element: <CheckInboxPage /> },
              { path: paths.support.tickets, element: <MyTicketsPage /> },
              { path: paths.support.newTicket, element: <NewTicketPage /> },
              { path: paths.support.ticket(':id'), element: <TicketPage /> },
            ],
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
              { path: paths.lawyer.reviews, element: <LawyerReviewsPage /> },
              { path: paths.lawyer.earnings, element: <LawyerEarningsPage /> },
              { path: paths.lawyer.contractTemplates, element: <ContractTemplatesPage /> },
              { path: paths.lawyer.newContractTemplate, element: <TemplateEditorPage /> },
              { path: paths.lawyer.contractTemplate(':id'), element: <TemplateEditorPage /> },
              { path: paths.newContractRoute, element: <NewContractPage /> },
              { path: paths.contractEdit(':id'), element: <EditContractPage /> },
            ],
          },
          {
            // A session belongs to a client and a lawyer; both open it here (the API 404s anyone else).
            element: <RequireRole role={[Role.CLIENT, Role.LAWYER]} />,
            children: [
              { path: paths.session(':id'), element: <SessionPage /> },
              // A contract has the same two parties (the API 404s anyone else).
              { path: paths.contracts, element: <ContractsPage /> },
              { path: paths.contract(':id'), element: <ContractPage /> },
              { path: paths.contractSign(':id'), element: <SignContractPage /> },
              // Conversations exist only between a client and a lawyer (the API 404s anyone else).
              { path: paths.messages.home, element: <MessagesPage /> },
              { path: paths.messages.security, element: <MessagesSecurityPage /> },
              { path: paths.messages.conversation(':conversationId'), element: <MessagesPage /> },
            ],
          },
          {
            // Payouts and statements belong to lawyers and partners (the notifications link here).
            element: <RequireRole role={[Role.LAWYER, Role.PARTNER]} />,
            children: [{ path: paths.statements, element: <StatementsRedirect /> }],
          },
          {
            element: <RequireRole role={Role.PARTNER} />,
            children: [
              { path: paths.partner.home, element: <Navigate to={paths.partner.reports} replace /> },
              { path: paths.partner.referrals, element: <ReferralsPage /> },
              { path: paths.partner.reports, element: <PartnerDashboardPage /> },
            ],
          },
          {
            element: <RequireRole role={Role.ADMIN} />,
            children: [
              { path: paths.admin.users, element: <UsersPage /> },
              { path: paths.admin.verification, element: <VerificationQueuePage /> },
              { path: paths.admin.lawyer(':id'), element: <LawyerReviewPage /> },
              { path: paths.admin.audit, element: <AuditLogPage /> },
              { path: paths.admin.outbox, element: <OutboxPage /> },
              { path: paths.admin.payments, element: <PaymentsPage /> },
              { path: paths.admin.sessions, element: <AdminSessionsPage /> },
              { path: paths.admin.session(':id'), element: <AdminSessionDetailPage /> },
              { path: paths.admin.ledger, element: <LedgerBalancesPage /> },
              { path: paths.admin.payouts, element: <AdminPayoutsPage /> },
              { path: paths.admin.statements, element: <AdminStatementsPage /> },
              { path: paths.admin.reviews, element: <AdminReviewsPage /> },
              { path: paths.admin.review(':id'), element: <AdminReviewDetailPage /> },
              { path: paths.admin.status, element: <SystemStatusPage /> },
              { path: paths.admin.support, element: <AdminSupportQueuePage /> },
              { path: paths.admin.supportTicket(':id'), element: <AdminSupportTicketPage /> },
            ],
          },
          { path: '*', element: <NotFoundPage /> },
        ],
      },
    ],
  },
]);
