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
