/**
 * `returnTo` after sign-in: a path on the portal's own origin, or nothing. Absolute URLs, protocol-relative
 * ("//evil"), backslash tricks ("/\\evil"), and control characters are refused, so the sign-in flow can never be
 * turned into an open redirect.
 */
export function safeReturnTo(raw: string | undefined, publicUrl: string): string | undefined {
  if (raw === undefined || raw === '' || raw.length > 1024) return undefined;
  if (!raw.startsWith('/') || raw.startsWith('//') || raw.includes('\\') || /[\u0000-\u001f\u007f]/.test(raw)) return undefined;
  let url: URL;
  try {
    url = new URL(raw, publicUrl);
  } catch {
    return undefined;
  }
  if (url.origin !== new URL(publicUrl).origin) return undefined;
  return `${url.pathname}${url.search}${url.hash}`;
}

/** A FHIR logical id (R4: 1–64 of A–Z, a–z, 0–9, "-" and "."). */
const FHIR_ID = /^[A-Za-z0-9\-.]{1,64}$/;

/**
 * Where an EHR launch lands when no returnTo was asked for: the launched patient's record, else the family dashboard.
 * (A standalone sign-in always starts on the dashboard, even when its token names a patient.) The app and the facade
 * still decide what that page may show; this only picks the page.
 */
export function landingPath(launchContext: Readonly<Record<string, unknown>> | undefined): string {
  const patient = launchContext?.['patient'];
  return typeof patient === 'string' && FHIR_ID.test(patient) ? `/patient/${patient}` : '/';
}
