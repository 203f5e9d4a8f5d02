import { ActionIcon, Anchor, Box, Button, Divider, Group, Indicator, Loader, Popover, Stack, Text, UnstyledButton } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { Link, useNavigate } from 'react-router-dom';
import { paths } from '../../../app/paths';
import { useTimeZone } from '../../auth/use-time-zone';
import {
  notificationsQueryOptions,
  unreadCountQueryOptions,
  useMarkAllNotificationsRead,
  useMarkNotificationRead,
  type AppNotification,
} from '../notifications.queries';
import { BellIcon } from '../../../components/icons';
import { NotificationTime } from './notification-time';
import classes from './notifications.module.css';

/** How many of the newest the bell's popover shows. */
const LATEST = 5;

/** "Notifications, 3 unread": the bell's accessible name says what the badge shows. */
export function bellLabel(unread: number | undefined): string {
  if (!unread) return 'Notifications';
  return `Notifications, ${unread > 99 ? 'more than 99' : unread} unread`;
}

/**
 * The header's bell: the unread count (polled every 30 s and on focus) and, when opened, the
 * newest few notifications, each leading to its page (and marked read on the way), with
 * "Mark all read" and "See all".
 */
export function NotificationBell() {
  const [opened, { toggle, close }] = useDisclosure(false);
  const unread = useQuery(unreadCountQueryOptions());
  const count = unread.data?.unread ?? 0;
  const label = bellLabel(count);

  return (
    <Indicator label={count > 99 ? '99+' : count} size={18} color="red" disabled={count === 0} offset={6}>
      <Popover position="bottom-end" width={360} withinPortal opened={opened} onDismiss={close} shadow="md" trapFocus hideDetached={false}>
        <Popover.Target>
          <ActionIcon variant="subtle" color="dark" size="lg" aria-label={label} onClick={toggle}>
            <BellIcon />
          </ActionIcon>
        </Popover.Target>
        <Popover.Dropdown aria-label="Notifications" p={0}>
          {opened && <LatestNotifications unread={count} onNavigate={close} />}
        </Popover.Dropdown>
      </Popover>
    </Indicator>
  );
}

function LatestNotifications({ unread, onNavigate }: { unread: number; onNavigate: () => void }) {
  const { zone, locale } = useTimeZone();
  const latest = useQuery(notificationsQueryOptions({ page: 1, pageSize: LATEST }));
  const markAll = useMarkAllNotificationsRead();
  const markRead = useMarkNotificationRead();
  const navigate = useNavigate();

  const open = (n: AppNotification) => {
    if (!n.readAt) markRead.mutate(n.id);
    onNavigate();
    if (n.linkPath) void navigate(n.linkPath);
  };

  return (
    <Stack gap={0}>
      <Group justify="space-between" px="md" py="xs">
        <Text fw={600} size="sm" component="h2">
          Notifications
        </Text>
        <Button size="compact-xs" variant="subtle" onClick={() => markAll.mutate()} disabled={unread === 0} loading={markAll.isPending}>
          Mark all read
        </Button>
      </Group>
      <Divider />
      {latest.isPending ? (
        <Group justify="center" py="md">
          <Loader size="sm" aria-label="Loading notifications" />
        </Group>
      ) : latest.isError ? (
        <Text size="sm" c="red.8" px="md" py="sm" role="alert">
          Notifications could not be loaded.
        </Text>
      ) : latest.data.items.length === 0 ? (
        <Text size="sm" c="gray.7" px="md" py="md">
          Nothing yet. Payments, bookings and changes to your sessions show up here.
        </Text>
      ) : (
        <Box component="ul" className={classes.list} aria-label="Latest notifications">
          {latest.data.items.map((n) => (
            <li key={n.id}>
              <UnstyledButton className={classes.item} data-unread={!n.readAt || undefined} onClick={() => open(n)} w="100%" px="md" py="xs">
                <Text size="sm" fw={n.readAt ? 400 : 600} className={classes.title}>
                  {!n.readAt && <span className={classes.dot} aria-label="Unread" role="img" />}
                  {n.title}
                </Text>
                <Text size="xs" c="gray.7">
                  <NotificationTime at={n.createdAt} zone={zone} locale={locale} />
                </Text>
              </UnstyledButton>
            </li>
          ))}
        </Box>
      )}
      <Divider />
      <Anchor component={Link} to={paths.notifications} onClick={onNavigate} size="sm" px="md" py="xs">
        See all notifications
      </Anchor>
    </Stack>
  );
}
