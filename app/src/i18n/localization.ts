/**
 * @lit/localize in RUNTIME mode: one build serves both languages and the family switches live.
 *
 * configureLocalization may run only once per page (lit-localize throws otherwise), so this module owns it;
 * elements learn the active locale through `localeContext` (provided by <sprout-app>) and re-render through
 * `@localized()`. Spanish templates are hand-maintained TS modules, see app/src/locales/README.md.
 */
import { configureLocalization, LOCALE_STATUS_EVENT } from '@lit/localize';
import { isAppLocale, LOCALE_STORAGE_KEY, pickInitialLocale, SOURCE_LOCALE, TARGET_LOCALES, type AppLocale } from './locales.ts';

const { getLocale, setLocale } = configureLocalization({
  sourceLocale: SOURCE_LOCALE,
  targetLocales: TARGET_LOCALES,
  loadLocale: (locale) => {
    if (locale === 'es') return import('../locales/es.ts');
    // configureLocalization only asks for target locales; anything else is a programming error.
    return Promise.reject(new Error(`No templates for locale ${locale}`));
  },
});

/** The active locale. */
export function activeLocale(): AppLocale {
  const locale = getLocale();
  return isAppLocale(locale) ? locale : SOURCE_LOCALE;
}

/**
 * Switches the UI language: loads the templates, re-renders every @localized element, updates <html lang>, and
 * remembers the choice. Resolves when the new language is on screen.
 */
export async function switchLocale(locale: AppLocale): Promise<void> {
  await setLocale(locale);
  document.documentElement.lang = activeLocale();
  try {
    localStorage.setItem(LOCALE_STORAGE_KEY, locale);
  } catch {
    // Storage may be blocked (private mode, policy); the choice then lasts for this page only.
  }
}

let initialLoad: Promise<AppLocale> | undefined;

/**
 * Starts in the saved or browser language. Idempotent: every caller gets the same promise, so the shell can
 * wait for it before its first real render (no flash of English for a Spanish-speaking family). If the Spanish
 * templates fail to load, it resolves to English rather than leaving the page blank.
 */
export function initLocale(): Promise<AppLocale> {
  initialLoad ??= loadInitialLocale().catch((error: unknown) => {
    console.error('Could not load the saved language; continuing in English.', error);
    document.documentElement.lang = SOURCE_LOCALE;
    return SOURCE_LOCALE;
  });
  return initialLoad;
}

async function loadInitialLocale(): Promise<AppLocale> {
  let saved: string | null = null;
  try {
    saved = localStorage.getItem(LOCALE_STORAGE_KEY);
  } catch {
    saved = null;
  }
  const initial = pickInitialLocale(saved, navigator.languages ?? [navigator.language]);
  document.documentElement.lang = initial;
  if (initial !== SOURCE_LOCALE) await setLocale(initial);
  return activeLocale();
}

/** Calls `listener` with the new locale each time one has finished loading. Returns the unsubscribe function. */
export function onLocaleReady(listener: (locale: AppLocale) => void): () => void {
  const handler = (event: WindowEventMap[typeof LOCALE_STATUS_EVENT]): void => {
    if (event.detail.status === 'ready' && isAppLocale(event.detail.readyLocale)) listener(event.detail.readyLocale);
  };
  window.addEventListener(LOCALE_STATUS_EVENT, handler);
  return () => window.removeEventListener(LOCALE_STATUS_EVENT, handler);
}
