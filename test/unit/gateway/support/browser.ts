/** A minimal cookie jar over `app.request`, so tests read like a browser session. */
export interface AppLike {
  request(input: string, init?: RequestInit): Response | Promise<Response>;
}

export class TestBrowser {
  readonly cookies = new Map<string, string>();
  readonly #app: AppLike;
  readonly #origin: string;

  constructor(app: AppLike, origin: string) {
    this.#app = app;
    this.#origin = origin;
  }

  cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  async request(pathOrUrl: string, init: RequestInit = {}): Promise<Response> {
    const url = new URL(pathOrUrl, this.#origin);
    const headers = new Headers(init.headers);
    if (this.cookies.size > 0) headers.set('cookie', this.cookieHeader());
    const response = await this.#app.request(`${url.pathname}${url.search}`, { ...init, headers });
    for (const line of response.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (value === '' || /max-age=0/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return response;
  }

  /** A state-changing call the way the app makes it: same Origin and the CSRF token header. */
  post(path: string, csrfToken: string | undefined, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    headers.set('Origin', this.#origin);
    if (csrfToken !== undefined) headers.set('X-CSRF-Token', csrfToken);
    return this.request(path, { ...init, method: 'POST', headers });
  }
}
