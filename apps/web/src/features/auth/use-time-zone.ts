import { isValidTimeZone } from '@lm/domain';
import { browserLocale, browserTimeZone } from '../../lib/time';
import { useCurrentUser } from './use-current-user';

export interface ViewerTime {
  /** IANA zone every time on the page is shown in. */
  zone: string;
  /** Locale for dates, times and money. */
  locale: string;
}

/** The signed-in account's own time zone and locale (its profile), or the browser's for visitors. */
export function useTimeZone(): ViewerTime {
  const { user } = useCurrentUser();
  if (user && isValidTimeZone(user.timeZone)) {
    return { zone: user.timeZone, locale: user.locale || browserLocale() };
  }
  return { zone: browserTimeZone(), locale: browserLocale() };
}
