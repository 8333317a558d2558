/**
 * The browser's only state: an opaque session id in an HttpOnly cookie.
 * - Session cookie: `__Host-sprout; Secure; HttpOnly; SameSite=Strict; Path=/` on https; `sprout` without Secure
 *   only when PUBLIC_URL is plain-http loopback (config refuses plain http elsewhere).
 * - Pre-auth cookie (`__Host-sprout-auth` / `sprout-auth`): binds an authorization request's `state` to this browser
 *   between /launch|/login and /callback. It is SameSite=Lax on purpose: the callback is a top-level navigation
 *   redirected from the EHR's authorization server, usually another site, and a Strict cookie would not be sent on it.
 *   It grants nothing by itself (no tokens, no principal), lives 10 minutes and is spent by the callback.
 * - Embedded (EMBED_ORIGINS set): the portal runs in an EHR portal's frame, where the browser sends SameSite=Strict
 *   or Lax cookies on no request when the EHR portal is another site. Both cookies become `SameSite=None; Secure;
 *   Partitioned`: sent inside the frame, and kept in a jar keyed by the top-level site (CHIPS), so no other site that
 *   frames the portal shares them. CSRF then rests on the X-CSRF-Token header and the Origin check (csrf.ts), as it
 *   always did; docs/security.md explains why that holds. `Secure` is set even on plain-http loopback development:
 *   browsers accept Secure cookies from http://localhost and http://127.0.0.1 (the embedded browser test checks it).
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

export function createSessionCookies(config: Pick<Config, 'secureCookies'> & Partial<Pick<Config, 'embedOrigins'>>): SessionCookies {
  const names = cookieNames(config);
  const secure = config.secureCookies;
  const embedded = (config.embedOrigins ?? []).length > 0;
  // With `secure`, hono refuses a __Host- cookie that is not Secure, Path=/ and without Domain — a useful check.
  const prefix = secure ? { prefix: 'host' as const } : {};
  const base = { httpOnly: true, secure, path: '/' };
  const framed = { httpOnly: true, secure: true, path: '/', sameSite: 'None' as const, partitioned: true };
  const session = embedded ? { ...framed, ...prefix } : { ...base, ...prefix, sameSite: 'Strict' as const };
  const preAuth = embedded ? { ...framed, ...prefix } : { ...base, ...prefix, sameSite: 'Lax' as const };
  const strip = (name: string) => (secure ? name.replace(/^__Host-/, '') : name);
  return {
    names,
    readSession: (c) => readId(c, names.session),
    readPreAuth: (c) => readId(c, names.preAuth),
    setSession: (c, id, maxAge) => setCookie(c, strip(names.session), id, { ...session, maxAge: Math.floor(maxAge) }),
    setPreAuth: (c, id, maxAge) => setCookie(c, strip(names.preAuth), id, { ...preAuth, maxAge: Math.floor(maxAge) }),
    clearSession: (c) => deleteCookie(c, strip(names.session), session),
    clearPreAuth: (c) => deleteCookie(c, strip(names.preAuth), preAuth),
  };
}
