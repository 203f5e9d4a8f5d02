import { Container, Group, Text } from '@mantine/core';
import { NavLink, Outlet } from 'react-router-dom';
import { paths } from '../../app/paths';
import classes from './developers.module.css';

/**
 * The Developers area of every role: its sections (API keys, webhooks) as a row of tab-like
 * links above the section's page. Each section is its own address, so links and Back work.
 */
export function DevelopersLayout() {
  return (
    <>
      <Container size="lg" pt="xl">
        <Text size="xs" fw={700} tt="uppercase" c="gray.7" mb={4}>
          Developers
        </Text>
        <Group component="nav" aria-label="Developers" gap={0} className={classes.sections}>
          <NavLink to={paths.developers.apiKeys} className={classes.section}>
            API keys
          </NavLink>
          {/* Current on an endpoint's and a delivery's page too (NavLink matches the paths below). */}
          <NavLink to={paths.developers.webhooks} className={classes.section}>
            Webhooks
          </NavLink>
        </Group>
      </Container>
      <Outlet />
    </>
  );
}
