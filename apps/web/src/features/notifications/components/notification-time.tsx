import { DateTime } from 'luxon';
import { formatDateTime, zoneLabel } from '../../../lib/time';

/** When a notification arrived: "5 minutes ago", with the exact time and its zone on hover and for assistive tech. */
export function NotificationTime({ at, zone, locale }: { at: string; zone: string; locale: string }) {
  const exact = `${formatDateTime(at, zone, locale)} ${zoneLabel(zone, at)}`;
  const relative = DateTime.fromISO(at).toRelative({ locale }) ?? exact;
  return (
    <time dateTime={at} title={exact} aria-label={`Received ${relative}, ${exact}`}>
      {relative}
    </time>
  );
}
