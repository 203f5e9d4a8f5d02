import { Role } from '@lm/domain';
import { paths } from './paths';

export interface NavItem {
  label: string;
  to: string;
  /** Rendered as the header's call to action instead of a plain link. */
  primary?: boolean;
  /** Also current on the pages below `to` (an area with sections, such as Developers). */
  section?: boolean;
}

const ANONYMOUS_NAV: readonly NavItem[] = [
  { label: 'Find a lawyer', to: paths.lawyers },
  { label: 'Sign in', to: paths.signIn },
  { label: 'Create account', to: paths.signUp, primary: true },
];

const NAV_BY_ROLE: Record<Role, readonly NavItem[]> = {
  [Role.CLIENT]: [
    { label: 'Find a lawyer', to: paths.lawyers },
    { label: 'My sessions', to: paths.client.sessions },
    { label: 'Messages', to: paths.messages.home },
    { label: 'Contracts', to: paths.contracts },
    { label: 'Profile', to: paths.client.profile },
    { label: 'Support', to: paths.support.tickets },
  ],
  [Role.LAWYER]: [
    { label: 'Profile', to: paths.lawyer.profile },
    { label: 'Dashboard', to: paths.lawyer.dashboard },
    { label: 'Messages', to: paths.messages.home },
    { label: 'Availability', to: paths.lawyer.availability },
    { label: 'Offerings', to: paths.lawyer.offerings },
    { label: 'Contracts', to: paths.contracts },
    { label: 'Templates', to: paths.lawyer.contractTemplates },
    { label: 'Reviews', to: paths.lawyer.reviews },
    { label: 'Earnings', to: paths.lawyer.earnings },
    // Clients, lawyers and admins already have a full bar: they reach Developers from the account menu.
  ],
  [Role.PARTNER]: [
    { label: 'Referrals', to: paths.partner.referrals },
    { label: 'Dashboard', to: paths.partner.reports },
    { label: 'Developers', to: paths.developers.home, section: true },
  ],
  [Role.ADMIN]: [
    { label: 'Users', to: paths.admin.users },
    { label: 'Verification queue', to: paths.admin.verification },
    { label: 'Audit log', to: paths.admin.audit },
    { label: 'Outbox', to: paths.admin.outbox },
    { label: 'Payments', to: paths.admin.payments },
    { label: 'Sessions', to: paths.admin.sessions },
    { label: 'Support', to: paths.admin.support },
    { label: 'Ledger', to: paths.admin.ledger },
    { label: 'Payouts', to: paths.admin.payouts },
    { label: 'Statements', to: paths.admin.statements },
    { label: 'Reviews', to: paths.admin.reviews },
    { label: 'System status', to: paths.admin.status },
  ],
};

/** The main navigation for a signed-in role, or for an anonymous visitor (`null`). */
export function navigationFor(role: Role | null): readonly NavItem[] {
  return role ? NAV_BY_ROLE[role] : ANONYMOUS_NAV;
}
