/**
 * Security headers on every response. The CSP fits the built Lit app: scripts and styles from this origin only
 * (Lit uses constructable stylesheets; inline `style` attributes are allowed for its style bindings), no plugins,
 * no framing, no base-tag tricks, forms post only here. API and FHIR answers are never cached.
 *
 * A route that sets its own Content-Security-Policy keeps it: the facade's `sandbox; default-src 'none'` for Binary
 * documents is stricter than the app's and must not be replaced by it. When the portal's public URL is https, every
 * response carries HSTS (two years, subdomains included; no preload — that is the hospital's decision).
 *
 * Framing: none by default (`frame-ancestors 'none'` and `X-Frame-Options: DENY`). With EMBED_ORIGINS, every response
 * says `frame-ancestors` with exactly those origins and no X-Frame-Options (it cannot name origins, and a DENY would
 * refuse the frame in browsers that read it). A route's own CSP without frame-ancestors then gets the same directive
 * appended, so a Binary document can never be framed by a page the hospital did not list (without EMBED_ORIGINS the
 * X-Frame-Options DENY covers it).
 */
import type { MiddlewareHandler } from 'hono';

const BASE_DIRECTIVES = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
];

/** `frame-ancestors` for the allow-list: exactly the listed origins, or 'none'. */
export function frameAncestors(embedOrigins: readonly string[]): string {
  return `frame-ancestors ${embedOrigins.length === 0 ? "'none'" : embedOrigins.join(' ')}`;
}

/** The app's CSP, framing as configured. */
export function contentSecurityPolicy(embedOrigins: readonly string[] = []): string {
  return [...BASE_DIRECTIVES, frameAncestors(embedOrigins)].join('; ');
}

export const CONTENT_SECURITY_POLICY = contentSecurityPolicy();

export const STRICT_TRANSPORT_SECURITY = 'max-age=63072000; includeSubDomains';

const NO_STORE_PREFIXES = ['/api', '/fhir', '/launch', '/login', '/callback', '/logout'];

export interface SecurityHeaderOptions {
  /** Send Strict-Transport-Security (the portal is served over https). */
  readonly hsts: boolean;
  /** EMBED_ORIGINS: origins that may frame the portal; empty or absent → none may. */
  readonly embedOrigins?: readonly string[];
}

export function securityHeaders(options: SecurityHeaderOptions = { hsts: false }): MiddlewareHandler {
  const embedOrigins = options.embedOrigins ?? [];
  const appPolicy = contentSecurityPolicy(embedOrigins);
  const framing = frameAncestors(embedOrigins);
  return async function applySecurityHeaders(c, next) {
    await next();
    const headers = c.res.headers;
    const own = headers.get('Content-Security-Policy');
    if (own === null) headers.set('Content-Security-Policy', appPolicy);
    else if (embedOrigins.length > 0 && !/(^|;)\s*frame-ancestors\s/i.test(own)) headers.set('Content-Security-Policy', `${own}; ${framing}`);
    if (options.hsts) headers.set('Strict-Transport-Security', STRICT_TRANSPORT_SECURITY);
    headers.set('X-Content-Type-Options', 'nosniff');
    headers.set('Referrer-Policy', 'no-referrer');
    if (embedOrigins.length === 0) headers.set('X-Frame-Options', 'DENY');
    else headers.delete('X-Frame-Options');
    headers.set('Cross-Origin-Opener-Policy', 'same-origin');
    headers.set('Cross-Origin-Resource-Policy', 'same-origin');
    headers.set('Permissions-Policy', 'camera=(), microphone=(), geolocation=(), payment=()');
    const path = c.req.path;
    if (NO_STORE_PREFIXES.some((p) => path === p || path.startsWith(`${p}/`))) headers.set('Cache-Control', 'no-store');
  };
}
