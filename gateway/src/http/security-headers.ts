/**
 * Security headers on every response. The CSP fits the built Lit app: scripts and styles from this origin only
 * (Lit uses constructable stylesheets; inline `style` attributes are allowed for its style bindings), no plugins,
 * no framing, no base-tag tricks, forms post only here. API and FHIR answers are never cached.
 *
 * A route that sets its own Content-Security-Policy keeps it: the facade's `sandbox; default-src 'none'` for Binary
 * documents is stricter than the app's and must not be replaced by it. When the portal's public URL is https, every
 * response carries HSTS (two years, subdomains included; no preload — that is the hospital's decision).
 */
import type { MiddlewareHandler } from 'hono';

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

export const STRICT_TRANSPORT_SECURITY = 'max-age=63072000; includeSubDomains';

const NO_STORE_PREFIXES = ['/api', '/fhir', '/launch', '/login', '/callback', '/logout'];

export interface SecurityHeaderOptions {
  /** Send Strict-Transport-Security (the portal is served over https). */
  readonly hsts: boolean;
}

export function securityHeaders(options: SecurityHeaderOptions = { hsts: false }): MiddlewareHandler {
  return async function applySecurityHeaders(c, next) {
    await next();
    const headers = c.res.headers;
    if (!headers.has('Content-Security-Policy')) headers.set('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    if (options.hsts) headers.set('Strict-Transport-Security', STRICT_TRANSPORT_SECURITY);
    headers.set('X-Content-Type-Options', 'nosniff');
    headers.set('Referrer-Policy', 'no-referrer');
    headers.set('X-Frame-Options', 'DENY');
    headers.set('Cross-Origin-Opener-Policy', 'same-origin');
    headers.set('Cross-Origin-Resource-Policy', 'same-origin');
    headers.set('Permissions-Policy', 'camera=(), microphone=(), geolocation=(), payment=()');
    const path = c.req.path;
    if (NO_STORE_PREFIXES.some((p) => path === p || path.startsWith(`${p}/`))) headers.set('Cache-Control', 'no-store');
  };
}
