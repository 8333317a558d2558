/**
 * The `iss` allow-list. An EHR launch names its FHIR base in `iss`; the gateway talks to it only when it matches a
 * configured base exactly (scheme, host, port and path, after URL normalisation; no credentials, query or fragment).
 * This check runs before any network call, so a hostile `iss` never receives a request.
 */
import { normalizeBaseUrl } from '../config.ts';

/**
 * Returns the configured base the iss names, or undefined when it is not allowed. Callers use the returned
 * (configured) string for every network call, never the raw parameter.
 */
export function matchAllowedIss(rawIss: string | undefined, allowed: readonly string[]): string | undefined {
  if (rawIss === undefined || rawIss.length > 2048) return undefined;
  // Refuse whitespace and control characters outright: URL parsing would silently strip some of them.
  if (/[\s\u0000-\u001f\u007f\\]/.test(rawIss)) return undefined;
  const normalized = normalizeBaseUrl(rawIss);
  if (normalized === undefined) return undefined;
  return allowed.find((base) => base === normalized);
}

/** The origins an allowed base may use for its OAuth endpoints: its own, plus configured extras. */
export function allowedAuthOriginsFor(base: string, extraOrigins: readonly string[]): ReadonlySet<string> {
  return new Set([new URL(base).origin, ...extraOrigins]);
}
