/** The locales Sprout ships, as a closed set. English is the source language of every msg() call. */
export const SOURCE_LOCALE = 'en';
export const TARGET_LOCALES = ['es'] as const;
export const APP_LOCALES = [SOURCE_LOCALE, ...TARGET_LOCALES] as const;
export type AppLocale = (typeof APP_LOCALES)[number];

/** The key under which the family's language choice persists in localStorage. */
export const LOCALE_STORAGE_KEY = 'sprout.locale';

export function isAppLocale(value: unknown): value is AppLocale {
  return typeof value === 'string' && (APP_LOCALES as readonly string[]).includes(value);
}

/**
 * The language to start in: the saved choice, else the browser's first supported language, else English.
 * Pure: the caller passes what it read from storage and navigator.languages.
 */
export function pickInitialLocale(saved: string | null | undefined, browserLanguages: readonly string[]): AppLocale {
  if (isAppLocale(saved)) return saved;
  for (const tag of browserLanguages) {
    const primary = tag.toLowerCase().split('-')[0];
    if (isAppLocale(primary)) return primary;
  }
  return SOURCE_LOCALE;
}
