/**
 * The few server-rendered pages of the sign-in flow (errors, the open-server "act as" form). Every dynamic value
 * goes through escapeHtml; the pages carry no script and rely on the app's CSP.
 */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"'`=]/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)} · Sprout</title></head>
<body>
<main>
<h1>${escapeHtml(title)}</h1>
${body}
</main>
</body>
</html>`;
}

/** A sign-in error. `detail` (e.g. the EHR's error_description) is untrusted text, escaped and shortened. */
export function renderSignInError(options: { readonly message: string; readonly detail?: string; readonly loginUrl?: string }): string {
  const detail = options.detail === undefined ? '' : `<p>The health record system said: <q>${escapeHtml(options.detail.slice(0, 300))}</q></p>`;
  const again = `<p><a href="${escapeHtml(options.loginUrl ?? '/login')}">Sign in again</a></p>`;
  return page('Sign-in did not complete', `<p>${escapeHtml(options.message)}</p>${detail}${again}`);
}

/** Open-server test mode: choose whom to act as (no OAuth on the FHIR server). */
export function renderOpenServerLogin(options: { readonly fhirBaseUrl: string; readonly returnTo?: string; readonly error?: string }): string {
  const error = options.error === undefined ? '' : `<p role="alert">${escapeHtml(options.error)}</p>`;
  const returnTo = options.returnTo === undefined ? '' : `<input type="hidden" name="returnTo" value="${escapeHtml(options.returnTo)}">`;
  return page(
    'Test mode: choose who you are',
    `<p><strong>Test mode.</strong> This portal is connected to an open FHIR server without sign-in (${escapeHtml(options.fhirBaseUrl)}).
Do not use real patient data. The same access rules apply as in a real sign-in.</p>
${error}
<form method="post" action="/login">
<label for="fhirUser">Act as (a Patient, RelatedPerson, Person or Practitioner reference, for example RelatedPerson/123)</label>
<input id="fhirUser" name="fhirUser" required pattern="(Patient|RelatedPerson|Person|Practitioner)/[A-Za-z0-9.\\-]{1,64}" autocomplete="off">
${returnTo}
<button type="submit">Continue</button>
</form>`,
  );
}
