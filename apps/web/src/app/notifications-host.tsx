import { Notifications } from '@mantine/notifications';

/** Where toasts appear. Loaded after the first paint (see app.tsx); `notifications.show` queues until then. */
export function NotificationsHost() {
  return <Notifications position="top-right" />;
}
