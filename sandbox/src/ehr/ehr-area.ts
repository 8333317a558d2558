/**
 * The sandbox EHR's clinician area under /ehr: sign-in (Practitioner accounts only), the page registry (pages.ts)
 * behind it, CSRF on every POST, forms urlencoded or multipart (attachments), and the page's answer written out with
 * the sandbox's strict HTML headers. Pages read and write FHIR through ehr-fhir.ts, like a real EHR's own screens.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SandboxAccount } from '../auth/accounts.ts';
import { BodyTooLargeError } from '../auth/authorization-server.ts';
import type { FhirService } from '../fhir/service.ts';
import { html } from '../http/html.ts';
import { createEhrFhir } from './ehr-fhir.ts';
import { ehrLayout, type EhrPage, type EhrResponse } from './ehr-page.ts';
import { clearedCookie, csrfMatches, EhrSessions, sessionCookie } from './ehr-session.ts';

export const EHR_PREFIX = '/ehr';
/** Forms may carry attachments (5 × 10 MB). */
const MAX_FORM_BYTES = 60 * 1024 * 1024;

export interface EhrArea {
  /** Handles a request under /ehr. */
  handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void>;
}

export function createEhrArea(options: {
  readonly fhir: FhirService;
  readonly accounts: () => Promise<readonly SandboxAccount[]>;
  readonly password: string;
  readonly pages: readonly EhrPage[];
}): EhrArea {
  const sessions = new EhrSessions();
  const fhir = createEhrFhir(options.fhir);
  const nav = options.pages.filter((p) => p.nav);

  function send(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
    res.writeHead(status, {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; form-action 'self'; frame-ancestors 'none'",
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      ...headers,
    });
    res.end(body);
  }

  function signInPage(error?: string): string {
    return ehrLayout({
      title: 'Sign in',
      body: html`<h1>Clinician sign-in</h1>
        ${error === undefined ? html`` : html`<p class="error" role="alert">${error}</p>`}
        <form method="post" action="/ehr/sign-in">
          <label for="username">Username</label><input id="username" name="username" autocomplete="username" required>
          <label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password" required>
          <button type="submit">Sign in</button>
        </form>
        <p class="note">Practitioner accounts of the sandbox (e.g. <code>dr.shah</code>); the password is the sandbox's.</p>`,
    });
  }

  async function readForm(req: IncomingMessage): Promise<FormData> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
      size += buffer.length;
      if (size > MAX_FORM_BYTES) throw new BodyTooLargeError(MAX_FORM_BYTES);
      chunks.push(buffer);
    }
    const type = req.headers['content-type'] ?? '';
    if (!/^(application\/x-www-form-urlencoded|multipart\/form-data)/i.test(type)) return new FormData();
    return new Request('http://sandbox.invalid/', { method: 'POST', headers: { 'content-type': type }, body: Buffer.concat(chunks) }).formData();
  }

  function write(res: ServerResponse, response: EhrResponse, practitioner: SandboxAccount, csrfToken: string): void {
    if (response.kind === 'redirect') {
      res.writeHead(303, { location: response.location, 'cache-control': 'no-store' });
      res.end();
      return;
    }
    if (response.kind === 'bytes') {
      res.writeHead(200, {
        'content-type': response.contentType,
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
        'content-security-policy': "default-src 'none'; sandbox",
        'content-disposition': `attachment${response.filename === undefined ? '' : `; filename="${response.filename.replace(/[^\w.\- ]/g, '_')}"`}`,
      });
      res.end(response.body);
      return;
    }
    send(res, response.status ?? 200, ehrLayout({ title: response.title, body: response.body, practitioner, csrfToken, nav }));
  }

  return {
    async handle(req, res, url) {
      const path = url.pathname.replace(/\/+$/, '') || EHR_PREFIX;
      const method = req.method === 'POST' ? 'POST' : req.method === 'GET' ? 'GET' : undefined;
      if (method === undefined) {
        send(res, 405, ehrLayout({ title: 'Not allowed', body: html`<p>Method not allowed.</p>` }));
        return;
      }
      if (path === `${EHR_PREFIX}/sign-in`) {
        if (method === 'GET') return send(res, 200, signInPage());
        const form = await readForm(req);
        const username = String(form.get('username') ?? '').trim().toLowerCase();
        const password = String(form.get('password') ?? '');
        const account = (await options.accounts()).find((a) => a.username === username && a.resourceType === 'Practitioner');
        if (account === undefined || password !== options.password) return send(res, 401, signInPage('Unknown clinician or wrong password.'));
        const session = sessions.create(account);
        res.writeHead(303, { location: `${EHR_PREFIX}/home`, 'set-cookie': sessionCookie(session.id), 'cache-control': 'no-store' });
        res.end();
        return;
      }
      const session = sessions.fromRequest(req);
      if (session === undefined) {
        res.writeHead(303, { location: `${EHR_PREFIX}/sign-in`, 'cache-control': 'no-store' });
        res.end();
        return;
      }
      let form: FormData | undefined;
      if (method === 'POST') {
        form = await readForm(req);
        const sent = form.get('csrf');
        if (!csrfMatches(session, typeof sent === 'string' ? sent : undefined)) {
          send(res, 403, ehrLayout({ title: 'Refused', body: html`<p class="error">This form has expired. Go back, reload the page and try again.</p>` }));
          return;
        }
      }
      if (path === `${EHR_PREFIX}/sign-out` && method === 'POST') {
        sessions.end(session.id);
        res.writeHead(303, { location: `${EHR_PREFIX}/sign-in`, 'set-cookie': clearedCookie(), 'cache-control': 'no-store' });
        res.end();
        return;
      }
      if (path === EHR_PREFIX) {
        res.writeHead(303, { location: `${EHR_PREFIX}/home`, 'cache-control': 'no-store' });
        res.end();
        return;
      }
      const page = options.pages.find((p) => path === p.path || path.startsWith(`${p.path}/`));
      if (page === undefined) {
        write(res, { kind: 'html', title: 'Not found', status: 404, body: html`<p>There is no such page.</p>` }, session.practitioner, session.csrfToken);
        return;
      }
      const rest = path.slice(page.path.length).split('/').filter(Boolean).map(decodeURIComponent);
      const response = await page.handle({ method, url, rest, form, practitioner: session.practitioner, fhir, csrfToken: session.csrfToken });
      write(res, response, session.practitioner, session.csrfToken);
    },
  };
}
