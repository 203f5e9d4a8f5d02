import { domainError } from '../../common/errors/domain-error';

/** No such notification, or it belongs to someone else (never revealed). */
export class NotificationNotFound extends domainError('NOTIFICATION_NOT_FOUND', 404, 'Notification not found') {}
