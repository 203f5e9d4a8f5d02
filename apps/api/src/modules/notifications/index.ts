// The public surface of the notifications module: other modules and the app import only what is here
// (the build's dependency rules refuse anything else; see docs/architecture.md).
export { NotificationsModule } from './notifications.module';
export { NotificationsService } from './notifications.service';
export type { Notify, NotifyOutcome } from './notifications.service';
export { SessionNotifications } from './session-notifications';
export type { SessionEventNotice, SessionSnapshot } from './session-notifications';
export { SessionRemindersService, SESSION_REMINDERS_QUEUE } from './session-reminders.service';
export { NOTIFICATION_CATEGORY, NOTIFICATION_KINDS } from './notification-kinds';
export type { NotificationCategory, NotificationKind, NotificationParams } from './notification-kinds';
export { formatInstant } from './message-format';
