/**
 * `npx node scripts/bench-messages.ts` — issue 11's two speed targets (a benchmark, not a test; exits 0 either way):
 *
 *   1. An inbox of 500 threads answers in under 1 s on the sandbox: the demo family plus 500 two-message threads about
 *      the infant (maria ↔ dr.shah) seeded into the sandbox; measured: `GET /api/messages` through the whole gateway
 *      (session, policy decision per Communication, grouping, read marks, audit) for the first page — the page the
 *      app renders (20 threads; "load more" fetches the next). The app's own rendering of 20 rows is not included.
 *   2. Sending a message with a 5 MB PDF completes in under 2 s on loopback: `POST /api/messages` (multipart) through
 *      the gateway to the sandbox over 127.0.0.1 — Communication, Binary, the completing update, idempotency record,
 *      audit — each with a fresh Idempotency-Key.
 *
 * The gateway runs in process (`app.request`); the sandbox is a real HTTP server on 127.0.0.1. Medians of N rounds.
 */
import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Communication } from 'fhir/r4';
import { createApp } from '../gateway/src/app.ts';
import { parseConfig } from '../gateway/src/config.ts';
import { createLogger } from '../gateway/src/http/logger.ts';
import { BUILTIN_PROFILES } from '../gateway/src/policy/profile.ts';
import { openPgliteStore } from '../gateway/src/store/pglite-store.ts';
import { startSandbox } from '../sandbox/src/index.ts';
import { TestBrowser } from '../test/unit/gateway/support/browser.ts';
import { CookieJar, follow } from '../test/unit/sandbox/oauth-driver.ts';

const PORTAL = 'http://127.0.0.1:9';
const THREADS = 500;
const ROUNDS = Number(process.argv.find((a) => a.startsWith('--rounds='))?.split('=')[1] ?? '7');
const FAMILY_DIR = resolve(import.meta.dirname, '../fixtures/family');

function seedFolder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sprout-bench-messages-'));
  for (const name of readdirSync(FAMILY_DIR)) if (name.endsWith('.json')) copyFileSync(join(FAMILY_DIR, name), join(dir, name));
  const entries: Communication[] = [];
  for (let n = 0; n < THREADS; n++) {
    const day = String(1 + (n % 28)).padStart(2, '0');
    const base = { resourceType: 'Communication' as const, status: 'completed' as const, subject: { reference: 'Patient/leo-rivera' }, topic: { text: `Question ${n} about Leo` } };
    entries.push({ ...base, id: `bench-${n}`, sent: `2025-05-${day}T08:00:00-07:00`, sender: { reference: 'RelatedPerson/maria-rivera-for-leo' }, recipient: [{ reference: 'Practitioner/priya-shah' }], payload: [{ contentString: `Hello Dr. Shah, question number ${n} about Leo's sleep and feeding.` }] });
    entries.push({ ...base, id: `bench-${n}-reply`, sent: `2025-05-${day}T12:00:00-07:00`, inResponseTo: [{ reference: `Communication/bench-${n}` }], sender: { reference: 'Practitioner/priya-shah' }, recipient: [{ reference: 'RelatedPerson/maria-rivera-for-leo' }], payload: [{ contentString: `Hi Maria, about question ${n}: that is normal at his age.` }] });
  }
  writeFileSync(join(dir, 'zz-bench-threads.json'), JSON.stringify({ resourceType: 'Bundle', type: 'batch', entry: entries.map((r) => ({ resource: r, request: { method: 'PUT', url: `Communication/${r.id}` } })) }));
  return dir;
}

async function median(rounds: number, run: () => Promise<void>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const start = performance.now();
    await run();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

async function main(): Promise<void> {
  const seedDir = seedFolder();
  const clientSecret = randomBytes(18).toString('base64url');
  const sandbox = await startSandbox({ seedDir, clients: [{ clientId: 'sprout-portal', clientSecret, redirectUris: [`${PORTAL}/callback`] }] });
  const store = await openPgliteStore();
  try {
    const config = parseConfig({ PUBLIC_URL: PORTAL, FHIR_BASE_URL: sandbox.fhirBaseUrl, CLIENT_ID: 'sprout-portal', CLIENT_SECRET: clientSecret, LOG_LEVEL: 'silent' });
    const app = createApp({ config, store, clock: { now: () => Date.now() }, fetch: globalThis.fetch, profile: BUILTIN_PROFILES['ca-strict'], logger: createLogger('silent'), staticRoot: '/nonexistent' });
    const browser = new TestBrowser(app, PORTAL);
    const login = await browser.request('/login');
    const jar = new CookieJar();
    let step = await follow(jar, login.headers.get('location') ?? '', `${PORTAL}/callback`);
    if (step.response) {
      const action = /<form method="post" action="([^"]+)"/.exec(await step.response.text())?.[1] ?? '';
      step = await follow(jar, new URL(action, step.url).href, `${PORTAL}/callback`, {
        method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ username: 'maria', password: sandbox.password }).toString(),
      });
    }
    await browser.request(step.url);
    const { csrfToken } = (await (await browser.request('/api/session')).json()) as { csrfToken: string };

    let threads = 0;
    const inboxMs = await median(ROUNDS, async () => {
      const response = await browser.request('/api/messages');
      const body = (await response.json()) as { threads: unknown[]; nextOffset?: number };
      threads = body.threads.length;
      if (response.status !== 200 || body.nextOffset === undefined) throw new Error(`inbox answered ${response.status}`);
    });
    const pdf = Buffer.concat([Buffer.from('%PDF-1.4\n'), randomBytes(5 * 1024 * 1024), Buffer.from('\n%%EOF\n')]);
    const sendMs = await median(ROUNDS, async () => {
      const form = new FormData();
      form.set('patientId', 'leo-rivera');
      form.set('recipient', 'Practitioner/priya-shah');
      form.set('subject', 'Bench: scan attached');
      form.set('body', 'The scan from the other clinic is attached.');
      form.append('attachment', new File([new Uint8Array(pdf)], 'scan.pdf', { type: 'application/pdf' }));
      const response = await browser.request('/api/messages', { method: 'POST', body: form, headers: { 'x-csrf-token': csrfToken, 'idempotency-key': randomBytes(18).toString('base64url'), origin: PORTAL } });
      if (response.status !== 201) throw new Error(`send answered ${response.status}: ${await response.text()}`);
    });
    const line = (label: string, ms: number, targetMs: number) => `${label.padEnd(58)} ${ms.toFixed(0).padStart(6)} ms   target < ${targetMs} ms   ${ms < targetMs ? 'met' : 'NOT MET'}`;
    console.log(`\nMessaging (issue 11), medians of ${ROUNDS} rounds`);
    console.log(line(`Inbox of ${THREADS} threads, first page (${threads} threads)`, inboxMs, 1000));
    console.log(line('Send a message with a 5 MB PDF attachment (loopback)', sendMs, 2000));
  } finally {
    await store.close();
    await sandbox.close();
    rmSync(seedDir, { recursive: true, force: true });
  }
}

await main();
