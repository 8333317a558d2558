/**
 * The formatters a record component uses when no <sprout-app> provides `formatContext` (a component rendered on its
 * own, e.g. in a harness): the document's language and the hospital default zone. Inside the app the shell's
 * context always wins, carrying the profile's time zone.
 */
import { createFormatters, type Formatters } from '../i18n/format.ts';
import { isAppLocale, SOURCE_LOCALE } from '../i18n/locales.ts';

const DEFAULT_TIME_ZONE = 'America/Los_Angeles';

export function fallbackFormatters(): Formatters {
  const lang = document.documentElement.lang.toLowerCase().split('-')[0];
  return createFormatters(isAppLocale(lang) ? lang : SOURCE_LOCALE, DEFAULT_TIME_ZONE);
}
