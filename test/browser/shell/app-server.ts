/**
 * Serves the real app (vite.config.ts, root app/) with Vite's dev server on an ephemeral 127.0.0.1 port and
 * drives it with Debian Chromium. The gateway is replaced by a test double of its HTTP contract: Playwright's
 * page.route answers /api/session, /api/session/keepalive, /api/account/* and /logout from SessionView fixtures and records
 * every request, so the tests can check headers and bodies.
 */
import { afterAll, beforeAll, expect } from 'vitest';
import { resolve } from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import type { Browser, Page, Request, Route } from 'playwright-core';
import { createServer, type ViteDevServer } from 'vite';
import type { SessionView, SignedOutView } from '../../../app/src/api/session.ts';
import { launchChromium } from '../../support/chromium.ts';

const REPO_ROOT = resolve(import.meta.dirname, '../../..');

export interface AppServer {
  readonly baseUrl: string;
  readonly browser: Browser;
  close(): Promise<void>;
}

export async function startAppServer(): Promise<AppServer> {
  const server: ViteDevServer = await createServer({
    configFile: resolve(REPO_ROOT, 'vite.config.ts'),
    logLevel: 'error',
    server: { host: '127.0.0.1', port: 0, strictPort: false, hmr: false, fs: { allow: [REPO_ROOT] } },
    // Serve node_modules ESM as is: no pre-bundling cache shared with other test runs.
    optimizeDeps: { noDiscovery: true, include: [] },
  });
  await server.listen();
  const address = server.httpServer?.address();
  if (!address || typeof address === 'string') throw new Error('Vite did not report a TCP address');
  const browser = await launchChromium();
  return {
    baseUrl: `http://127.0.0.1:${address.port}`,
    browser,
    async close() {
      await browser.close();
      await server.close();
    },
  };
}

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string | null;
}

export interface GatewayDouble {
  readonly requests: RecordedRequest[];
  /** What GET /api/session answers; change it between navigations. */
  session: SessionView | SignedOutView | { status: number };
  /** What POST /api/session/keepalive answers (JSON body), default: a fresh 20-minute deadline. */
  keepalive: () => unknown;
  /** What POST /api/account/<action> answers: status and JSON body (default: the gateway's signed-out answers). */
  account: (action: string) => { status: number; json: unknown };
}

export interface OpenedPage {
  readonly page: Page;
  readonly gateway: GatewayDouble;
  readonly errors: string[];
}

/** A fresh browser context and page with the gateway double installed. `locale` seeds the saved language. */
export async function openApp(
  app: AppServer,
  path: string,
  session: GatewayDouble['session'],
  options: { width?: number; savedLocale?: string } = {},
): Promise<OpenedPage> {
  const context = await app.browser.newContext({ viewport: { width: options.width ?? 1024, height: 800 }, locale: 'en-US' });
  if (options.savedLocale) {
    await context.addInitScript((locale) => localStorage.setItem('sprout.locale', locale), options.savedLocale);
  }
  const page = await context.newPage();
  // Closing the context after the browser itself has gone (suite teardown) rejects harmlessly; never leave that
  // rejection unhandled, or vitest fails the run.
  page.on('close', () => {
    context.close().catch(() => undefined);
  });
  /** Answers a routed request; a request still in flight when its page closes is teardown, not a test failure. */
  const fulfill = async (route: Route, response: Parameters<Route['fulfill']>[0]): Promise<void> => {
    try {
      await route.fulfill(response);
    } catch (error) {
      if (!page.isClosed()) throw error;
    }
  };
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  const gateway: GatewayDouble = {
    requests: [],
    session,
    keepalive: () => ({ idleExpiresAt: Date.now() + 20 * 60_000 }),
    account: (action) =>
      action === 'report-unauthorized-access'
        ? { status: 200, json: { signedIn: false, loginUrl: '/login', blocked: true, help: { hospitalName: 'CHOC Children\'s', himPhone: '(714) 509-8460' } } }
        : { status: 200, json: { signedIn: false, loginUrl: '/login' } },
  };
  const record = (request: Request): void => {
    const url = new URL(request.url());
    gateway.requests.push({ method: request.method(), path: url.pathname + url.search, headers: request.headers(), body: request.postData() });
  };
  await page.route(/\/api\/session(\?.*)?$/, async (route) => {
    record(route.request());
    const answer = gateway.session;
    if ('status' in answer) await fulfill(route, { status: answer.status, json: { resourceType: 'OperationOutcome', issue: [] } });
    else await fulfill(route, { status: 200, json: answer });
  });
  await page.route(/\/api\/session\/keepalive$/, async (route) => {
    record(route.request());
    await fulfill(route, { status: 200, json: gateway.keepalive() });
  });
  await page.route(/\/api\/account\/[a-z-]+$/, async (route) => {
    record(route.request());
    const answer = gateway.account(new URL(route.request().url()).pathname.split('/').at(-1) ?? '');
    await fulfill(route, { status: answer.status, json: answer.json });
  });
  await page.route(/\/fhir\//, async (route) => {
    record(route.request());
    await fulfill(route, {
      status: 404,
      contentType: 'application/fhir+json',
      json: { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'not-found' }] },
    });
  });
  await page.route(/\/logout$/, async (route) => {
    record(route.request());
    await fulfill(route, { status: 204 });
  });
  await page.goto(`${app.baseUrl}${path}`);
  // The shell has started once <main> shows a page (dev-server transforms make the first load slow).
  await page.locator('sprout-app main > :not(p[role=status])').first().waitFor({ state: 'attached', timeout: 30_000 });
  return { page, gateway, errors };
}

/**
 * The text of an element and everything in its shadow trees, in document order, whitespace collapsed
 * (innerText stops at shadow boundaries). Hidden <template>, <style> and <script> content is skipped.
 */
export async function deepText(page: Page, selector = 'sprout-app'): Promise<string> {
  return page.locator(selector).first().evaluate((root) => {
    const parts: string[] = [];
    const walk = (node: Node): void => {
      if (node.nodeType === Node.TEXT_NODE) {
        parts.push(node.textContent ?? '');
        return;
      }
      if (node instanceof Element && ['STYLE', 'SCRIPT', 'TEMPLATE'].includes(node.tagName)) return;
      const children = node instanceof Element && node.shadowRoot ? node.shadowRoot.childNodes : node.childNodes;
      children.forEach(walk);
    };
    walk(root);
    return parts.join(' ').replace(/\s+/g, ' ').trim();
  });
}

/** Axe violations of impact serious or critical, as "rule: target" lines (empty when clean). */
export async function seriousAxeViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']).analyze();
  return results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .flatMap((violation) => violation.nodes.map((node) => `${violation.id}: ${JSON.stringify(node.target)} ${node.failureSummary ?? ''}`));
}

/**
 * One app server for the test file: started before its tests, closed after them. Read the returned getter inside
 * tests (`openApp(app(), …)`).
 */
export function useAppServer(): () => AppServer {
  let app: AppServer | undefined;
  beforeAll(async () => {
    app = await startAppServer();
  });
  afterAll(async () => {
    await app?.close();
  });
  return () => {
    if (app === undefined) throw new Error('The app server did not start (see the beforeAll error).');
    return app;
  };
}

/** expect.poll with room for the dev server's first transforms. */
export function poll<T>(read: () => Promise<T> | T) {
  return expect.poll(read, { timeout: 15_000 });
}
