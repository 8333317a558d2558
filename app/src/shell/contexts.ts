/**
 * Objects the shell shares with every descendant element through @lit/context (not module singletons).
 * Consume with `@consume({ context: sessionContext, subscribe: true })`.
 */
import { createContext } from '@lit/context';
import type { SessionView } from '../api/session.ts';
import type { Formatters } from '../i18n/format.ts';
import type { AppLocale } from '../i18n/locales.ts';

/** The signed-in session (undefined while loading or when signed out). */
export const sessionContext = createContext<SessionView | undefined>(Symbol('sprout.session'));

/** The active UI language; changes live when the family switches language. */
export const localeContext = createContext<AppLocale>(Symbol('sprout.locale'));

/** Formatting helpers bound to the active locale and the hospital's time zone; replaced on every locale change. */
export const formatContext = createContext<Formatters>(Symbol('sprout.format'));
