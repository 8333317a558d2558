/**
 * `returnTo` after sign-in: one of the app's own pages on the portal's origin, or nothing. The sign-in flow must never
 * become an open redirect, so the value is accepted only when
 *  - it is a path ("/…"), not "//…", with no backslash, no control character and no percent-encoded dot, slash or
 *    backslash (`%2e`, `%2f`, `%5c`), and at most 1024 characters;
 *  - URL parsing on the portal's origin changes nothing about the path (no dot segments to collapse: "/a/..//evil"
 *    and "/.//evil" would otherwise become "//evil"), and the parsed result is still on the portal's origin;
 *  - the path is one of the app's routes that a signed-in person lands on (app/src/shell/router.ts): the dashboard
 *    `/` or a record page `/patient/{id}[/{section}]`.
 * The check runs when /login receives the value and again at /callback before the redirect.
 */

/** A FHIR logical id (R4: 1–64 of A–Z, a–z, 0–9, "-" and "."). */
const FHIR_ID = /^[A-Za-z0-9\-.]{1,64}$/;
/** Record section slugs, as app/src/shell/router.ts accepts them. */
const SECTION = /^[a-z][a-z0-9-]{0,39}$/;
const MAX_RETURN_TO_LENGTH = 1024;
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f]/;
const ENCODED_SEPARATOR_OR_DOT = /%(2e|2f|5c)/i;

/** The landing routes of the app (a subset of app/src/shell/router.ts's matchRoute: no error or signed-out pages). */
export function isAppLandingPath(pathname: string): boolean {
  if (pathname === '/') return true;
  const segments = pathname.split('/').slice(1);
  if (segments[0] !== 'patient' || segments.length < 2 || segments.length > 3) return false;
  const [, id = '', section] = segments;
  if (id === '.' || id === '..' || !FHIR_ID.test(id)) return false;
  return section === undefined || SECTION.test(section);
}

export function safeReturnTo(raw: string | undefined, publicUrl: string): string | undefined {
  if (raw === undefined || raw === '' || raw.length > MAX_RETURN_TO_LENGTH) return undefined;
  if (!raw.startsWith('/') || raw.startsWith('//') || raw.includes('\\')) return undefined;
  if (CONTROL_CHARACTERS.test(raw) || ENCODED_SEPARATOR_OR_DOT.test(raw)) return undefined;
  const origin = new URL(publicUrl).origin;
  let url: URL;
  try {
    url = new URL(raw, origin);
  } catch {
    return undefined;
  }
  if (url.origin !== origin) return undefined;
  const rawPath = raw.split(/[?#]/, 1)[0] ?? '';
  // Re-check after normalising: parsing must not have moved the path anywhere (dot segments, "//" left behind).
  if (url.pathname !== rawPath || url.pathname.startsWith('//')) return undefined;
  if (!isAppLandingPath(url.pathname)) return undefined;
  return `${url.pathname}${url.search}${url.hash}`;
}

/**
 * Where an EHR launch lands when no returnTo was asked for: the launched patient's record, else the family dashboard.
 * (A standalone sign-in always starts on the dashboard, even when its token names a patient.) The app and the facade
 * still decide what that page may show; this only picks the page.
 */
export function landingPath(launchContext: Readonly<Record<string, unknown>> | undefined): string {
  const patient = launchContext?.['patient'];
  return typeof patient === 'string' && FHIR_ID.test(patient) ? `/patient/${patient}` : '/';
}
