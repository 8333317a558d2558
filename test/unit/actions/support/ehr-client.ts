/** Drives the sandbox EHR's clinician area over HTTP like a browser (cookie jar, forms, manual redirects). Test support. */
import { CookieJar } from '../../sandbox/oauth-driver.ts';

export class EhrClient {
  readonly jar = new CookieJar();
  csrf = '';
  readonly baseUrl: string;
  constructor(baseUrl: string) {
    this.baseUrl = baseUrl;
  }

  async request(path: string, form?: Record<string, string> | FormData): Promise<Response> {
    const isForm = form instanceof FormData;
    const response = await fetch(`${this.baseUrl}${path}`, {
      method: form === undefined ? 'GET' : 'POST',
      redirect: 'manual',
      headers: { cookie: this.jar.header(), ...(form === undefined || isForm ? {} : { 'content-type': 'application/x-www-form-urlencoded' }) },
      ...(form === undefined ? {} : { body: isForm ? form : new URLSearchParams(form).toString() }),
    });
    this.jar.store(response);
    return response;
  }

  /** Signs in and remembers the session's CSRF token (from the layout's sign-out form). */
  async signIn(username: string, password: string): Promise<void> {
    const response = await this.request('/ehr/sign-in', { username, password });
    if (response.status !== 303) throw new Error(`clinician sign-in answered ${response.status}`);
    const page = await (await this.request('/ehr/home')).text();
    this.csrf = /name="csrf" value="([^"]+)"/.exec(page)?.[1] ?? '';
  }
}
