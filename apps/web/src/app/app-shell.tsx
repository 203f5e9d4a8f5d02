import { Anchor, AppShell, Box, Burger, Button, Center, Container, Group, Loader, NavLink, Stack, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { lazy, Suspense } from 'react';
import { Link, NavLink as RouterNavLink, Outlet, useLocation } from 'react-router-dom';
import { BrandLogo } from '../components/brand-logo';
import { useCurrentUser } from '../features/auth/use-current-user';
import classes from './app-shell.module.css';
import { navigationFor, type NavItem } from './navigation';
import { paths } from './paths';

const MOBILE_NAV_ID = 'mobile-navigation';
export const MAIN_CONTENT_ID = 'main-content';

// Only signed-in accounts have the menu, and it brings Mantine's popover machinery (floating-ui,
// focus trap, portal) with it: an anonymous visitor's first page does without.
const AccountMenu = lazy(() => import('./account-menu').then((module) => ({ default: module.AccountMenu })));
const NotificationBell = lazy(() =>
  import('../features/notifications/components/notification-bell').then((module) => ({ default: module.NotificationBell })),
);

/**
 * Layout of every page: header with the brand and the role's navigation (a burger and a
 * slide-in navbar below the `sm` breakpoint), the routed page, and a footer.
 */
export function AppShellLayout() {
  const [opened, { toggle, close }] = useDisclosure(false);
  const { user } = useCurrentUser();
  const items = navigationFor(user?.role ?? null);

  return (
    <AppShell
      header={{ height: 64 }}
      navbar={{ width: 280, breakpoint: 'sm', collapsed: { desktop: true, mobile: !opened } }}
      padding={0}
      className={classes.shell}
    >
      <SkipLink />
      <AppShell.Header>
        <Container size="lg" h="100%">
          <Group h="100%" justify="space-between" wrap="nowrap">
            <Group gap="sm" wrap="nowrap">
              <Burger
                opened={opened}
                onClick={toggle}
                hiddenFrom="sm"
                size="sm"
                aria-label={opened ? 'Close navigation' : 'Open navigation'}
                aria-expanded={opened}
                aria-controls={MOBILE_NAV_ID}
              />
              <Anchor component={Link} to={paths.home} underline="never" aria-label="LexMarket home">
                <BrandLogo />
              </Anchor>
            </Group>
            {/* The admin's many sections may not fit a laptop's width: the links scroll sideways
                inside the header, so the bell and the account menu always stay in view. */}
            <Group gap="xs" wrap="nowrap" miw={0}>
              <Group component="nav" aria-label="Main" gap={4} visibleFrom="sm" wrap="nowrap" miw={0} className={classes.mainNav}>
                {items.map((item) => (
                  <HeaderLink key={item.to} item={item} />
                ))}
              </Group>
              {user && (
                <Suspense fallback={null}>
                  <NotificationBell />
                  <AccountMenu displayName={user.displayName} email={user.email} />
                </Suspense>
              )}
            </Group>
          </Group>
        </Container>
      </AppShell.Header>

      <AppShell.Navbar id={MOBILE_NAV_ID} p="md" hiddenFrom="sm">
        {/* Rendered only while open so the links are never announced twice. */}
        {opened && (
          <Stack component="nav" aria-label="Main" gap={4}>
            {items.map((item) => (
              <MobileLink key={item.to} item={item} onNavigate={close} />
            ))}
          </Stack>
        )}
      </AppShell.Navbar>

      {/* AppShell.Main is the <main> landmark; the footer follows it (a contentinfo landmark,
          which a footer inside <main> would not be). The shell is a column at least a screen high. */}
      <AppShell.Main id={MAIN_CONTENT_ID} tabIndex={-1} className={classes.main}>
        {/* Pages load lazily (router.tsx): while a page's code loads, a spinner holds its place
            (the router does not use transitions, see app.tsx, so the previous page goes at once). */}
        <Suspense fallback={<PageLoader />}>
          <Outlet />
        </Suspense>
      </AppShell.Main>
      <Footer />
    </AppShell>
  );
}

/** The first Tab stop: moves focus past the header and navigation to the page itself. */
function SkipLink() {
  return (
    <a
      href={`#${MAIN_CONTENT_ID}`}
      className={classes.skipLink}
      onClick={(event) => {
        event.preventDefault();
        const main = document.getElementById(MAIN_CONTENT_ID);
        main?.focus();
        main?.scrollIntoView();
      }}
    >
      Skip to main content
    </a>
  );
}

function PageLoader() {
  return (
    <Center py={80}>
      <Loader role="progressbar" aria-label="Loading page" />
    </Center>
  );
}

function HeaderLink({ item }: { item: NavItem }) {
  if (item.primary) {
    return (
      <Button component={RouterNavLink} to={item.to} ml="xs">
        {item.label}
      </Button>
    );
  }
  return (
    <Button
      component={RouterNavLink}
      to={item.to}
      end={!item.section}
      variant="subtle"
      color="dark"
      className={classes.headerLink}
    >
      {item.label}
    </Button>
  );
}

function MobileLink({ item, onNavigate }: { item: NavItem; onNavigate: () => void }) {
  const { pathname } = useLocation();
  return (
    <NavLink
      component={RouterNavLink}
      to={item.to}
      end={!item.section}
      label={item.label}
      active={pathname === item.to || (!!item.section && pathname.startsWith(`${item.to}/`))}
      onClick={onNavigate}
    />
  );
}

function Footer() {
  return (
    <Box component="footer" className={classes.footer} py="lg">
      <Container size="lg">
        <Group justify="space-between" gap="xs">
          <Text size="sm" c="gray.7">
            © {new Date().getFullYear()} LexMarket. Lawyers on LexMarket are independent professionals.
          </Text>
          <Group gap="md">
            {/* Anyone holding a copy of a recording or an executed contract can check it against our fingerprints. */}
            <Anchor component={Link} to={paths.verify} size="sm" c="gray.7">
              Verify a document
            </Anchor>
            {/* Signed-in users write to support; visitors are asked to sign in first. */}
            <Anchor component={Link} to={paths.support.newTicket} size="sm" c="gray.7">
              Contact support
            </Anchor>
            {/* For integrators: the API documentation (operators see system status in the admin area). */}
            <Anchor href="/api/docs" size="sm" c="gray.7">
              Developers
            </Anchor>
          </Group>
        </Group>
      </Container>
    </Box>
  );
}
