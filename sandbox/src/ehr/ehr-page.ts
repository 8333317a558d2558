/**
 * The clinician area's page contract and layout. A page is a path, a title, whether it is in the navigation, and a
 * handler that gets the signed-in practitioner, the parsed form (POST), and the EHR's FHIR access, and returns HTML,
 * a redirect or raw bytes. Add a page in its own file and list it in pages.ts.
 */
import type { SandboxAccount } from '../auth/accounts.ts';
import { escapeHtml, html, raw, type SafeHtml } from '../http/html.ts';
import type { EhrFhir } from './ehr-fhir.ts';

export interface EhrRequest {
  readonly method: 'GET' | 'POST';
  readonly url: URL;
  /** Path segments after the page's path ("/ehr/messages/abc" on page "/ehr/messages" → ["abc"]). */
  readonly rest: readonly string[];
  /** POST bodies (urlencoded or multipart), CSRF already checked. */
  readonly form: FormData | undefined;
  readonly practitioner: SandboxAccount;
  readonly fhir: EhrFhir;
  /** For hidden inputs in forms: `${csrfField(request)}`. */
  readonly csrfToken: string;
}

export type EhrResponse =
  | { readonly kind: 'html'; readonly title: string; readonly body: SafeHtml; readonly status?: number }
  | { readonly kind: 'redirect'; readonly location: string }
  | { readonly kind: 'bytes'; readonly contentType: string; readonly body: Buffer; readonly filename?: string };

export interface EhrPage {
  /** "/ehr/messages": the page answers this path and everything below it. */
  readonly path: string;
  readonly title: string;
  readonly nav: boolean;
  handle(request: EhrRequest): Promise<EhrResponse>;
}

export const csrfField = (request: Pick<EhrRequest, 'csrfToken'>): SafeHtml => html`<input type="hidden" name="csrf" value="${request.csrfToken}">`;

const STYLE = `
  body { font-family: system-ui, sans-serif; margin: 0; background: #eef1f5; color: #1c1e21; }
  header { background: #23395d; color: #fff; padding: .6rem 1.2rem; display: flex; flex-wrap: wrap; gap: 1rem; align-items: center; }
  header strong { margin-right: auto; }
  header a, header button { color: #fff; }
  header form { margin: 0; }
  header button { background: none; border: 1px solid #fff; border-radius: 4px; padding: .2rem .6rem; font: inherit; cursor: pointer; }
  nav a { margin-right: .8rem; }
  main { max-width: 60rem; margin: 1.2rem auto; background: #fff; padding: 1.2rem 1.6rem; border-radius: 6px; box-shadow: 0 1px 3px rgba(0,0,0,.15); }
  table { border-collapse: collapse; width: 100%; } th, td { text-align: left; padding: .4rem; border-bottom: 1px solid #dde1e6; vertical-align: top; }
  label { display: block; margin-top: .8rem; font-weight: 600; }
  input, select, textarea { font: inherit; padding: .4rem; width: 100%; box-sizing: border-box; margin-top: .2rem; }
  input[type=checkbox] { width: auto; }
  button { font: inherit; margin-top: 1rem; padding: .5rem 1rem; background: #0b5cad; color: #fff; border: 0; border-radius: 4px; cursor: pointer; }
  a:focus-visible, button:focus-visible, input:focus-visible, select:focus-visible, textarea:focus-visible { outline: 3px solid #f0a500; outline-offset: 2px; }
  .note { color: #4a4f57; font-size: .9rem; } .error { color: #a4000f; background: #fde8ea; padding: .6rem; border-radius: 4px; }
  .unread { font-weight: 700; } .label { display: inline-block; background: #7a1f5c; color: #fff; border-radius: 3px; padding: 0 .4rem; font-size: .8rem; }
  pre.body { white-space: pre-wrap; font: inherit; background: #f6f7f9; padding: .6rem; border-radius: 4px; }
`;

export function ehrLayout(options: { title: string; body: SafeHtml; practitioner?: SandboxAccount; csrfToken?: string; nav?: readonly EhrPage[] }): string {
  const header = options.practitioner === undefined
    ? html`<header><strong>Sandbox EHR — clinician area</strong></header>`
    : html`<header><strong>Sandbox EHR — ${options.practitioner.displayName}</strong>
        <nav aria-label="Clinician area">${(options.nav ?? []).map((p) => html`<a href="${p.path}">${p.title}</a>`)}</nav>
        <form method="post" action="/ehr/sign-out"><input type="hidden" name="csrf" value="${options.csrfToken ?? ''}"><button type="submit">Sign out</button></form>
      </header>`;
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">`
    + `<title>${escapeHtml(options.title)} — Sandbox EHR</title><style>${STYLE}</style></head><body>${header.html}<main>${options.body.html}</main></body></html>`;
}

export { html, raw, type SafeHtml };
