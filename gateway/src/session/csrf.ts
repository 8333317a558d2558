/**
 * CSRF defence for state-changing calls (POST/PUT/PATCH/DELETE on /api, /fhir, /logout):
 *  1. the request must carry `X-CSRF-Token` equal to the session's token (a custom header a cross-site page cannot
 *     send without a CORS preflight, which the gateway never grants), and
 *  2. when the browser says where the request came from (Origin, or Sec-Fetch-Site), it must be this origin.
 * The token is derived from the session's secret, so it changes with every session and needs no storage.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Context } from 'hono';
import type { Session } from './types.ts';

export const CSRF_HEADER = 'X-CSRF-Token';

export function csrfTokenFor(session: Pick<Session, 'secret'>): string {
  return createHmac('sha256', session.secret).update('sprout-csrf-v1').digest('base64url');
}

export function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function isStateChanging(method: string): boolean {
  return !SAFE_METHODS.has(method.toUpperCase());
}

/**
 * Same-origin check from the browser's own headers. `requireSignal`: refuse when the browser sent neither Origin nor
 * Sec-Fetch-Site (used for the open-server sign-in form, which has no custom header to lean on).
 */
export function isSameOriginRequest(c: Context, publicOrigin: string, requireSignal = false): boolean {
  const origin = c.req.header('Origin');
  if (origin !== undefined) return origin === publicOrigin;
  const site = c.req.header('Sec-Fetch-Site');
  if (site !== undefined) return site === 'same-origin';
  return !requireSignal;
}

export function hasValidCsrfToken(c: Context, session: Pick<Session, 'secret'>): boolean {
  const sent = c.req.header(CSRF_HEADER);
  return sent !== undefined && safeEqual(sent, csrfTokenFor(session));
}
