/**
 * End-to-end harness: the whole portal on 127.0.0.1 as `npm start` runs it, for one test file.
 *
 *   startPortal({ profile })  sandbox EHR (family fixture, ephemeral port) + gateway on a free port serving the built
 *                             app (dist/app), with a fresh DATA_DIR; `stop()` closes both and removes the folder.
 *   newPage(browser, size)    a fresh browser context (no cookies, English) at a desktop or phone viewport.
 *   signIn(page, username)    standalone sign-in through the portal and the sandbox's sign-in form.
 *
 * The build is not made here: `npm test` runs `vite build` before the browser project (and so must you: `npx vite
 * build`). Start one portal per test file in beforeAll and stop it, by reference, in afterAll.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { parseConfig } from '../../../gateway/src/config.ts';
import { startGateway } from '../../../gateway/src/server.ts';
import { startSandbox, type RunningSandbox } from '../../../sandbox/src/index.ts';
import { launchChromium } from '../../support/chromium.ts';

export const REPO_ROOT = resolve(import.meta.dirname, '../../..');
export const APP_ROOT = join(REPO_ROOT, 'dist/app');
export const SANDBOX_PASSWORD = 'sprout-sandbox';

export type ProfileId = 'ca-strict' | 'ca-adolescent-split';

export interface RunningPortal {
  /** http://127.0.0.1:<port>, the portal's public URL (redirect URI = portalUrl + /callback). */
  readonly portalUrl: string;
  readonly sandbox: RunningSandbox;
  readonly profile: ProfileId;
  /** Closes the gateway and the sandbox and removes the data folder. Safe to call twice. */
  stop(): Promise<void>;
}

const CLIENT_ID = 'sprout-portal';

/** A port that was free a moment ago (the sandbox needs the portal's URL before the portal can listen). */
async function findFreePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => done());
  });
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((done) => server.close(() => done()));
  return port;
}

export interface StartPortalOptions {
  readonly profile: ProfileId;
  readonly openServer?: boolean;
  /** Load this folder of FHIR JSON instead of the demo family (like SANDBOX_SEED). */
  readonly seedDir?: string;
  /** Wrap the gateway's outbound fetch to the sandbox (the summary benchmark records and delays it). */
  readonly wrapUpstreamFetch?: (sandbox: RunningSandbox) => typeof globalThis.fetch;
  /** Further gateway settings (e.g. EMBED_ORIGINS), added to the environment above. */
  readonly env?: Readonly<Record<string, string>>;
}

export async function startPortal(options: StartPortalOptions): Promise<RunningPortal> {
  if (!existsSync(join(APP_ROOT, 'index.html'))) {
    throw new Error(`The app is not built (${join(APP_ROOT, 'index.html')} is missing): run npx vite build first.`);
  }
  const port = await findFreePort();
  const portalUrl = `http://127.0.0.1:${port}`;
  const clientSecret = randomBytes(24).toString('base64url');
  const dataDir = await mkdtemp(join(tmpdir(), 'sprout-e2e-'));
  let sandbox: RunningSandbox | undefined;
  try {
    sandbox = await startSandbox({
      port: 0,
      openServer: options.openServer === true,
      ...(options.seedDir === undefined ? {} : { seedDir: options.seedDir }),
      clients: [{ clientId: CLIENT_ID, clientSecret, redirectUris: [`${portalUrl}/callback`], launchUrl: `${portalUrl}/launch` }],
    });
    const config = parseConfig({
      PORT: String(port),
      FHIR_BASE_URL: sandbox.fhirBaseUrl,
      ALLOWED_ISS: sandbox.fhirBaseUrl,
      CLIENT_ID,
      CLIENT_SECRET: clientSecret,
      POLICY_PROFILE: options.profile,
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      OPEN_SERVER_MODE: options.openServer === true ? 'true' : 'false',
      ...options.env,
    });
    const fetch = options.wrapUpstreamFetch?.(sandbox);
    const gateway = await startGateway({ config, staticRoot: APP_ROOT, ...(fetch === undefined ? {} : { fetch }) });
    const runningSandbox = sandbox;
    let stopped: Promise<void> | undefined;
    return {
      portalUrl,
      sandbox: runningSandbox,
      profile: options.profile,
      stop() {
        stopped ??= (async () => {
          await Promise.allSettled([gateway.close(), runningSandbox.close()]);
          await rm(dataDir, { recursive: true, force: true });
        })();
        return stopped;
      },
    };
  } catch (error) {
    await sandbox?.close();
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
}

export const VIEWPORTS = {
  desktop: { width: 1280, height: 800 },
  phone: { width: 360, height: 740 },
} as const;

/**
 * A page in its own browser context (own cookies and storage), English unless `locale` says otherwise.
 * Closing the page closes its context.
 */
export async function newPage(
  browser: Browser,
  size: keyof typeof VIEWPORTS = 'desktop',
  options: { locale?: string } = {},
): Promise<Page> {
  const context = await browser.newContext({
    viewport: VIEWPORTS[size],
    locale: options.locale ?? 'en-US',
    timezoneId: 'America/Los_Angeles',
  });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  page.on('close', () => void context.close().catch(() => undefined));
  return page;
}

/**
 * Standalone sign-in: opens the portal, clicks "Sign in" (or "Iniciar sesión"), fills the sandbox's sign-in form,
 * and waits until the browser is back on the portal with the signed-in header ("Sign out" button) showing.
 */
export async function signIn(page: Page, portalUrl: string, username: string): Promise<void> {
  await page.goto(`${portalUrl}/`);
  await page.getByRole('link', { name: /^(Sign in|Iniciar sesión)$/ }).click();
  await page.waitForURL((url) => url.pathname.startsWith('/interaction/'));
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(SANDBOX_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => url.origin === portalUrl);
  await page.getByRole('button', { name: /^(Sign out|Cerrar sesión)$/ }).waitFor();
}

/** Every /fhir response the page received, with its body (collected as they arrive; await `settled()` before reading). */
export interface FhirTraffic {
  readonly responses: Array<{ readonly url: string; readonly status: number; readonly body: string }>;
  settled(): Promise<void>;
}

export function recordFhirTraffic(page: Page, portalUrl: string): FhirTraffic {
  const responses: FhirTraffic['responses'] = [];
  const pending = new Set<Promise<void>>();
  page.on('response', (response) => {
    const url = new URL(response.url());
    if (url.origin !== portalUrl || !url.pathname.startsWith('/fhir')) return;
    const read = response
      .body()
      .then(
        (body) => void responses.push({ url: response.url(), status: response.status(), body: body.toString('utf8') }),
        // A response whose body is gone (navigation away, download) is still recorded, so a test can see it happened.
        () => void responses.push({ url: response.url(), status: response.status(), body: '' }),
      )
      .finally(() => pending.delete(read));
    pending.add(read);
  });
  return {
    responses,
    async settled() {
      while (pending.size > 0) await Promise.all([...pending]);
    },
  };
}

/** Where failing tests leave a full-page screenshot of their shared page (for the report of a product bug). */
export const FAILURE_SCREENSHOT_DIR = join(tmpdir(), 'sprout-e2e');

/**
 * For afterEach: when the test just failed, saves a full-page screenshot of `page` as
 * /tmp/sprout-e2e/<file>-<test name>.png and returns its path. Never throws (a closed page has nothing to show).
 */
export async function screenshotIfFailed(
  page: Page | undefined,
  task: { readonly name: string; readonly file?: { readonly name: string }; readonly result?: { readonly state?: string } },
): Promise<string | undefined> {
  if (!page || page.isClosed() || task.result?.state !== 'fail') return undefined;
  const slug = `${task.file?.name ?? 'e2e'}-${task.name}`.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 120);
  const path = join(FAILURE_SCREENSHOT_DIR, `${slug}.png`);
  try {
    await page.screenshot({ path, fullPage: true });
    console.warn(`screenshot of the failed test: ${path}`);
    return path;
  } catch {
    return undefined;
  }
}

/**
 * Runs `body` with a fresh page (own context) and closes it afterwards; when `body` throws, a full-page screenshot
 * goes to /tmp/sprout-e2e/<label>.png first, so the report of a failure can show what the page looked like.
 */
export async function withPage<T>(
  browser: Browser,
  label: string,
  body: (page: Page) => Promise<T>,
  size: keyof typeof VIEWPORTS = 'desktop',
): Promise<T> {
  const page = await newPage(browser, size);
  try {
    return await body(page);
  } catch (error) {
    await screenshotIfFailed(page, { name: label, result: { state: 'fail' } });
    throw error;
  } finally {
    await page.close();
  }
}

export interface SignedInPortal {
  readonly portal: RunningPortal;
  readonly browser: Browser;
  /** The signed-in page, shared by the block's tests. */
  readonly page: Page;
}

/**
 * One portal, one browser and one signed-in page for the surrounding describe block: started before its tests,
 * a screenshot after any failing test, everything stopped after the block. Call it at the top of the block and read
 * the returned getter inside tests or later hooks.
 */
export function useSignedInPortal(options: {
  readonly profile: ProfileId;
  readonly username: string;
  /** Called with the page before sign-in (e.g. to collect page errors). */
  readonly onPage?: (page: Page) => void;
}): () => SignedInPortal {
  let portal: RunningPortal | undefined;
  let browser: Browser | undefined;
  let signedIn: SignedInPortal | undefined;
  beforeAll(async () => {
    [portal, browser] = await Promise.all([startPortal({ profile: options.profile }), launchChromium()]);
    const page = await newPage(browser);
    options.onPage?.(page);
    await signIn(page, portal.portalUrl, options.username);
    signedIn = { portal, browser, page };
  });
  afterEach(async ({ task }) => {
    if (signedIn !== undefined) await screenshotIfFailed(signedIn.page, task);
  });
  afterAll(async () => {
    await browser?.close();
    await portal?.stop();
  });
  return () => {
    if (signedIn === undefined) throw new Error('The portal did not start (see the beforeAll error).');
    return signedIn;
  };
}
