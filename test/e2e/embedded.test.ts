/**
 * Issue 10 finding 3, in Chromium: an EHR patient portal shows Sprout in a frame.
 *
 * A stand-in "EHR portal" page is served on another loopback origin (its own port). With EMBED_ORIGINS naming it, the
 * page frames an EHR launch of the portal: inside the frame the launch signs in (the sandbox's authorization server
 * approves an EHR launch without a page of its own), the app loads and reads the launched child's record, and the
 * session cookie is `SameSite=None; Secure` (accepted by Chromium on plain-http 127.0.0.1) and partitioned.
 * The same page is refused by a portal with embedding off (the default), and so is a page on an origin that is not
 * listed (http://localhost:<same port> is another origin than http://127.0.0.1:<port>).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Frame, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { launchChromium } from '../support/chromium.ts';
import { CHILDREN } from './support/family.ts';
import { newPage, startPortal, type RunningPortal } from './support/portal.ts';

/** The stand-in EHR portal: GET /?src=<url> answers a page that frames <url>. */
async function startEhrPortalPage(): Promise<{ server: Server; port: number }> {
  const server = createServer((req, res) => {
    const src = new URL(req.url ?? '/', 'http://127.0.0.1').searchParams.get('src') ?? '';
    const attribute = src.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    res.end(`<!doctype html><html lang="en"><title>Hospital patient portal</title><h1>Hospital patient portal</h1>
<iframe id="sprout" title="Sprout" src="${attribute}" style="width:1200px;height:900px;border:0"></iframe></html>`);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', () => done()));
  return { server, port: (server.address() as AddressInfo).port };
}

let ehrPage: { server: Server; port: number };
let embedding: RunningPortal;
let plain: RunningPortal;
let browser: Browser;

beforeAll(async () => {
  ehrPage = await startEhrPortalPage();
  [embedding, plain, browser] = await Promise.all([
    startPortal({ profile: 'ca-strict', env: { EMBED_ORIGINS: `http://127.0.0.1:${ehrPage.port}` } }),
    startPortal({ profile: 'ca-strict' }),
    launchChromium(),
  ]);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await Promise.allSettled([embedding?.stop(), plain?.stop()]);
  await new Promise<void>((done) => (ehrPage?.server ? ehrPage.server.close(() => done()) : done()));
});

const parentUrl = (host: string, src: string) => `http://${host}:${ehrPage.port}/?${new URLSearchParams({ src }).toString()}`;

/** The frame the parent page holds (Playwright sees it even when the browser refused its content). */
async function childFrame(page: Page): Promise<Frame> {
  const handle = await page.locator('#sprout').elementHandle();
  const frame = await handle?.contentFrame();
  if (frame === undefined || frame === null) throw new Error('the parent page has no frame');
  return frame;
}

/** Loads the parent page framing `src` and reports whether Chromium refused the frame (CSP or X-Frame-Options). */
async function framedAndRefused(page: Page, host: string, src: string): Promise<{ refused: boolean; messages: string[] }> {
  const messages: string[] = [];
  page.on('console', (message) => messages.push(message.text()));
  await page.goto(parentUrl(host, src), { waitUntil: 'load' });
  const frame = await childFrame(page);
  await frame.waitForLoadState('load');
  // A refused frame is left on Chromium's error page instead of the portal.
  const refused = frame.url().startsWith('chrome-error://') || !(await frame.locator('body').count().catch(() => 0));
  return { refused, messages };
}

describe('embedded launch (EMBED_ORIGINS)', () => {
  test('the listed EHR portal frames an EHR launch: the frame signs in and reads the launched child', async () => {
    const page = await newPage(browser);
    try {
      const fhirStatuses: number[] = [];
      page.on('response', (response) => {
        const url = new URL(response.url());
        if (url.origin === embedding.portalUrl && url.pathname.startsWith('/fhir/')) fhirStatuses.push(response.status());
      });
      const launch = embedding.sandbox.createLaunch({ accountId: 'Person/maria-rivera', patient: CHILDREN.sofia.id });
      const src = `${embedding.portalUrl}/launch?${new URLSearchParams({ iss: embedding.sandbox.fhirBaseUrl, launch }).toString()}`;
      await page.goto(parentUrl('127.0.0.1', src), { waitUntil: 'load' });
      expect(new URL(page.url()).origin).toBe(`http://127.0.0.1:${ehrPage.port}`); // the top level stays the EHR portal

      const frame = page.frameLocator('#sprout');
      await frame.getByRole('button', { name: 'Sign out', exact: true }).waitFor();
      await frame.locator('sprout-patient-banner').getByText(CHILDREN.sofia.name, { exact: true }).waitFor();
      await frame.getByRole('heading', { name: 'Allergies' }).waitFor();
      await frame.getByText(/amoxicillin/i).first().waitFor(); // Sofia's allergy, read through the facade
      expect(new URL((await childFrame(page)).url()).origin).toBe(embedding.portalUrl);
      expect(fhirStatuses.length).toBeGreaterThan(0);
      expect(fhirStatuses.every((status) => status === 200)).toBe(true);

      const cookies = await page.context().cookies(embedding.portalUrl);
      const session = cookies.find((cookie) => cookie.name === 'sprout');
      expect(session, 'the session cookie is set inside the frame').toBeDefined();
      expect(session?.sameSite).toBe('None');
      expect(session?.secure).toBe(true); // Chromium keeps Secure cookies from plain-http 127.0.0.1
      expect(session?.httpOnly).toBe(true);
      // Partitioned: kept in the jar of the top-level site (the EHR portal's), not in the portal's own.
      expect(session?.partitionKey, 'the session cookie is partitioned').toBeDefined();
      expect(session?.partitionKey).toContain('127.0.0.1');
    } finally {
      await page.close();
    }
  });

  test('a page on an origin that is not listed cannot frame the embedding portal', async () => {
    const page = await newPage(browser);
    try {
      const { refused, messages } = await framedAndRefused(page, 'localhost', `${embedding.portalUrl}/`);
      expect(refused).toBe(true);
      expect(messages.some((text) => text.includes('frame-ancestors'))).toBe(true);
    } finally {
      await page.close();
    }
  });

  test('with embedding off (the default) the frame is refused', async () => {
    const page = await newPage(browser);
    try {
      const { refused, messages } = await framedAndRefused(page, '127.0.0.1', `${plain.portalUrl}/`);
      expect(refused).toBe(true);
      expect(messages.some((text) => text.includes("frame-ancestors 'none'"))).toBe(true);
    } finally {
      await page.close();
    }
  });
});
