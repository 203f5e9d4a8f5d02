import { Avatar, Group, Menu, Text, UnstyledButton } from '@mantine/core';
import { Link, useNavigate } from 'react-router-dom';
import { useSignOut } from '../features/auth/use-session';
import classes from './app-shell.module.css';
import { paths } from './paths';

/** The signed-in account's menu in the header: who is signed in, notifications, API keys, webhooks, sign out. */
export function AccountMenu({ displayName, email }: { displayName: string; email: string }) {
  const signOut = useSignOut();
  const navigate = useNavigate();
  return (
    <Menu position="bottom-end" withinPortal>
      <Menu.Target>
        <UnstyledButton aria-label={`Account menu for ${displayName}`} className={classes.headerLink} px="xs" py={4}>
          <Group gap={8} wrap="nowrap">
            <Avatar size={30} color="indigo" radius="xl" name={displayName} />
            <Text size="sm" fw={500} visibleFrom="md">
              {displayName}
            </Text>
          </Group>
        </UnstyledButton>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>{email}</Menu.Label>
        <Menu.Item component={Link} to={paths.notifications}>
          Notifications
        </Menu.Item>
        <Menu.Item component={Link} to={paths.support.tickets}>
          Support tickets
        </Menu.Item>
        <Menu.Item component={Link} to={paths.developers.apiKeys}>
          API keys
        </Menu.Item>
        <Menu.Item component={Link} to={paths.developers.webhooks}>
          Webhooks
        </Menu.Item>
        <Menu.Item onClick={() => signOut.mutate(undefined, { onSettled: () => void navigate(paths.home) })}>Sign out</Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}
