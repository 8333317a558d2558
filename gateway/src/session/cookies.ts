/**
 * The browser's only state: an opaque session id in an HttpOnly cookie.
 * - Session cookie: `__Host-sprout; Secure; HttpOnly; SameSite=Strict; Path=/` on https; `sprout` without Secure
 *   only when PUBLIC_URL is plain-http loopback (config refuses plain http elsewhere).
 * - Pre-auth cookie (`__Host-sprout-auth` / `sprout-auth`): binds an authorization request's `state` to this browser
 *   between /launch|/login and /callback. It is SameSite=Lax on purpose: the callback is a top-level navigation
 *   redirected from the EHR's authorization server, usually another site, and a Strict cookie would not be sent on it.
 *   It grants nothing by itself (no tokens, no principal), lives 10 minutes and is spent by the callback.
 */
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { Config } from '../config.ts';

export interface CookieNames {
  readonly session: string;
  readonly preAuth: string;
}

export function cookieNames(config: Pick<Config, 'secureCookies'>): CookieNames {
  return config.secureCookies ? { session: '__Host-sprout', preAuth: '__Host-sprout-auth' } : { session: 'sprout', preAuth: 'sprout-auth' };
}

/** Session ids are base64url from randomToken(); anything else is ignored without a lookup. */
const SESSION_ID = /^[A-Za-z0-9_-]{32,128}$/;

function readId(c: Context, name: string): string | undefined {
  const value = getCookie(c, name);
  return value !== undefined && SESSION_ID.test(value) ? value : undefined;
}

export interface SessionCookies {
  readonly names: CookieNames;
  readSession(c: Context): string | undefined;
  readPreAuth(c: Context): string | undefined;
  setSession(c: Context, id: string, maxAgeSeconds: number): void;
  setPreAuth(c: Context, id: string, maxAgeSeconds: number): void;
  clearSession(c: Context): void;
  clearPreAuth(c: Context): void;
}

export function createSessionCookies(config: Pick<Config, 'secureCookies'>): SessionCookies {
  const names = cookieNames(config);
  const secure = config.secureCookies;
  // With `secure`, hono refuses a __Host- cookie that is not Secure, Path=/ and without Domain — a useful check.
  const prefix = secure ? { prefix: 'host' as const } : {};
  const base = { httpOnly: true, secure, path: '/' };
  const strip = (name: string) => (secure ? name.replace(/^__Host-/, '') : name);
  return {
    names,
    readSession: (c) => readId(c, names.session),
    readPreAuth: (c) => readId(c, names.preAuth),
    setSession: (c, id, maxAge) => setCookie(c, strip(names.session), id, { ...base, ...prefix, sameSite: 'Strict', maxAge: Math.floor(maxAge) }),
    setPreAuth: (c, id, maxAge) => setCookie(c, strip(names.preAuth), id, { ...base, ...prefix, sameSite: 'Lax', maxAge: Math.floor(maxAge) }),
    clearSession: (c) => deleteCookie(c, strip(names.session), { ...base, ...prefix, sameSite: 'Strict' }),
    clearPreAuth: (c) => deleteCookie(c, strip(names.preAuth), { ...base, ...prefix, sameSite: 'Lax' }),
  };
}
