/**
 * Security headers on every response. The CSP fits the built Lit app: scripts and styles from this origin only
 * (Lit uses constructable stylesheets; inline `style` attributes are allowed for its style bindings), no plugins,
 * no framing, no base-tag tricks, forms post only here. API and FHIR answers are never cached.
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

const NO_STORE_PREFIXES = ['/api', '/fhir', '/launch', '/login', '/callback', '/logout'];

export function securityHeaders(): MiddlewareHandler {
  return async function applySecurityHeaders(c, next) {
    await next();
    const headers = c.res.headers;
    headers.set('Content-Security-Policy', CONTENT_SECURITY_POLICY);
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
