/**
 * Serves a browser harness folder with Vite's dev server on an ephemeral 127.0.0.1 port, and drives it with
 * Debian Chromium. Shared by the component and record browser tests.
 */
import { resolve } from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';
import { createServer, type Plugin, type ViteDevServer } from 'vite';
import { launchChromium } from '../../support/chromium.ts';

export interface HarnessSession {
  readonly browser: Browser;
  readonly server: ViteDevServer;
  readonly baseUrl: string;
  /** A fresh page on the harness, with the harness API ready; fails on any page error. */
  newPage(options?: { width?: number }): Promise<Page>;
  close(): Promise<void>;
}

const REPO_ROOT = resolve(import.meta.dirname, '../../..');

/** `plugins` lets a test serve fixture endpoints (e.g. a /fhir stand-in) from the same origin as the harness. */
export async function startHarness(harnessDir: string, plugins: Plugin[] = []): Promise<HarnessSession> {
  const server = await createServer({
    configFile: false,
    plugins,
    root: harnessDir,
    logLevel: 'error',
    server: { host: '127.0.0.1', port: 0, strictPort: false, hmr: false, fs: { allow: [REPO_ROOT] } },
    optimizeDeps: { noDiscovery: true, include: [] },
  });
  await server.listen();
  const address = server.httpServer?.address();
  if (!address || typeof address === 'string') throw new Error('Vite did not report a TCP address');
  const baseUrl = `http://127.0.0.1:${address.port}`;
  const browser = await launchChromium();
  return {
    browser,
    server,
    baseUrl,
    async newPage(options = {}) {
      const context = await browser.newContext({ viewport: { width: options.width ?? 1024, height: 800 } });
      const page = await context.newPage();
      page.on('close', () => {
        context.close().catch(() => undefined);
      });
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      await page.goto(`${baseUrl}/index.html`);
      await page.waitForFunction(() => document.documentElement.dataset['harnessReady'] === 'true', undefined, { timeout: 30_000 }).catch((error: unknown) => {
        throw new Error(`Harness did not start: ${errors.join('; ') || String(error)}`);
      });
      return page;
    },
    async close() {
      await browser.close();
      await server.close();
    },
  };
}

/** Axe violations of impact serious or critical, as "rule: target" lines (empty when clean). */
export async function seriousAxeViolations(page: Page, include?: string): Promise<string[]> {
  let builder = new AxeBuilder({ page });
  if (include) builder = builder.include(include);
  const results = await builder.analyze();
  return results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .flatMap((violation) => violation.nodes.map((node) => `${violation.id}: ${node.target.join(' ')} — ${violation.help}`));
}
