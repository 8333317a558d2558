/**
 * `npx node scripts/bench-summary.ts` — issue 5's two data-loading targets, measured in a real browser against the
 * whole portal (a benchmark, not a test):
 *
 *   1. A child with about ten years of data renders the summary in under a second on the sandbox.
 *   2. One page never waits on more than a few sequential gateway round trips.
 *
 * Options: --runs=N (default 5, after one warm-up load that is shown but not counted), --child=<part of a Synthea
 * file name> (default Erminia_Ondricka), --upstream-latency=MS (delay every gateway → sandbox call, as a networked
 * EHR would), --cpu-profile=<file>.cpuprofile (V8 profile of this process during the measured runs), --build (run
 * vite build first; done anyway when dist/app/index.html is missing).
 *
 * Setup. A temporary seed folder holds one Synthea child from ../shared/fixtures/external (default Erminia Ondricka:
 * visits from age 1 to 11, 2010-03 → 2020-12) plus a guardian written into the same transaction bundle: a Person
 * (sandbox sign-in `bench-parent`) linked to a RelatedPerson (mother, MTH) for the child, so urn:uuid references tie
 * them to the Patient id the sandbox assigns. A seed-manifest.json shifts every date so the child's last visit was
 * yesterday: the record is current and the child is still under 12, so under ca-strict the guardian has full access
 * (Synthea wrote the data years ago; unshifted, this child would be 17). The sandbox and the gateway (serving
 * dist/app) start in this process as test/e2e/support/portal.ts starts them; the gateway gets a recording fetch.
 *
 * Measured. Debian Chromium signs in once through the sandbox's sign-in page; then each run opens /patient/<id> in a
 * new page of the same browser context (session and HTTP cache kept, as for a family coming back to the portal) and
 * takes the page's own clock from navigation start until the summary is complete: the banner and the Health issues,
 * Allergies, Medications and Immunizations sections with their items (or their "none recorded" line), no loading
 * state left. Every request comes from the page's Resource Timing entries, in the same clock. The critical path is
 * the longest chain of gateway data requests (/api/*, /fhir/*) in which each started only after the previous one had
 * finished — an upper bound on true dependencies (it also counts a request that merely happens to start late).
 * Then, for the median run: each of its gateway requests again alone (its own cost without queueing, and how many
 * sandbox calls it makes, how many of them in sequence), and each of its sandbox calls again alone, straight to the
 * sandbox (the EHR's share of the server work).
 *
 * Caveat: the sandbox, the gateway and their PGlite store share this one Node process (as in the e2e tests), and
 * Chromium shares the machine, so parallel page requests queue on one event loop and the numbers move with the
 * machine's load (printed first). Exit status is 0 whatever the numbers (a benchmark reports).
 */
import { spawnSync } from 'node:child_process';
import { Session as InspectorSession } from 'node:inspector/promises';
import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import type { Bundle, BundleEntry, Encounter, Patient, Person, RelatedPerson } from 'fhir/r4';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { SessionView } from '../gateway/src/api/session-view.ts';
import { SANDBOX_LOGIN_SYSTEM } from '../sandbox/src/index.ts';
import { launchChromium } from '../test/support/chromium.ts';
import { signIn, startPortal, VIEWPORTS } from '../test/e2e/support/portal.ts';

const REPO_ROOT = resolve(import.meta.dirname, '..');
const APP_ROOT = join(REPO_ROOT, 'dist/app');
const EXTERNAL_DIR = resolve(REPO_ROOT, '../shared/fixtures/external');
const TARGET_MS = 1000;
/** Issue 15: gateway → EHR calls for one summary page (warm session: its policy facts are kept, FACTS_CACHE_SECONDS). */
const UPSTREAM_CALLS_TARGET = 20;
const USERNAME = 'bench-parent';
const PROFILE = 'ca-strict';
const ROLE = 'http://terminology.hl7.org/CodeSystem/v3-RoleCode';
const DAY_MS = 24 * 60 * 60 * 1000;
const YEAR_MS = 365.2425 * DAY_MS;

// ---------------------------------------------------------------------------------------------------------------
// Arguments

interface Options {
  readonly runs: number;
  /** Added before every gateway → sandbox call, to stand in for a real EHR across a network (0 = none). */
  readonly upstreamLatencyMs: number;
  /** Where to write a V8 CPU profile of this process (gateway + sandbox) covering the measured runs only. */
  readonly cpuProfile?: string;
  readonly child: string;
  readonly build: boolean;
}

function parseArgs(argv: readonly string[]): Options {
  let runs = 5;
  let child = 'Erminia_Ondricka';
  let build = false;
  let upstreamLatencyMs = 0;
  let cpuProfile: string | undefined;
  for (const arg of argv) {
    const [name, value] = arg.replace(/^--/, '').split('=', 2) as [string, string | undefined];
    if (name === 'runs' && value !== undefined && /^\d+$/.test(value) && Number(value) >= 1 && Number(value) <= 100) runs = Number(value);
    else if (name === 'child' && value !== undefined && value !== '') child = value;
    else if (name === 'build' && value === undefined) build = true;
    else if (name === 'upstream-latency' && value !== undefined && /^\d+$/.test(value) && Number(value) <= 1000) upstreamLatencyMs = Number(value);
    else if (name === 'cpu-profile' && value !== undefined && value.endsWith('.cpuprofile')) cpuProfile = resolve(value);
    else {
      throw new Error(
        `bench-summary: unknown or invalid argument ${arg} (use --runs=1..100, --child=<part of a file name>, ` +
          '--upstream-latency=0..1000, --cpu-profile=<file>.cpuprofile, --build)',
      );
    }
  }
  return { runs, child, build, upstreamLatencyMs, ...(cpuProfile === undefined ? {} : { cpuProfile }) };
}

// ---------------------------------------------------------------------------------------------------------------
// Seed: the Synthea child + a guardian, dates shifted so the last visit was yesterday

interface SeedInfo {
  readonly dir: string;
  readonly file: string;
  readonly childName: string;
  readonly resourceCount: number;
  readonly countsByType: ReadonlyMap<string, number>;
  /** Years between the first and the last Encounter (what "ten years of data" refers to). */
  readonly yearsOfData: number;
  readonly firstVisit: string;
  readonly lastVisit: string;
  /** Age at the last visit = age today after the shift, in years. */
  readonly ageYears: number;
  readonly anchorDate: string;
}

function day(value: string): string {
  return value.slice(0, 10);
}

async function writeSeed(childPattern: string): Promise<SeedInfo> {
  const candidates = readdirSync(EXTERNAL_DIR).filter((name) => name.startsWith('synthea-') && name.includes(childPattern) && name.endsWith('.json'));
  const [file] = candidates;
  if (file === undefined || candidates.length > 1) {
    throw new Error(`bench-summary: --child=${childPattern} must name exactly one Synthea file in ${EXTERNAL_DIR} (matched ${candidates.length}).`);
  }
  const bundle = JSON.parse(readFileSync(join(EXTERNAL_DIR, file), 'utf8')) as Bundle;
  if (bundle.type !== 'transaction') throw new Error(`bench-summary: ${file} is not a transaction bundle.`);
  const entries = bundle.entry ?? [];
  const patientEntry = entries.find((entry) => entry.resource?.resourceType === 'Patient');
  const patient = patientEntry?.resource as Patient | undefined;
  if (patientEntry?.fullUrl === undefined || patient?.birthDate === undefined) throw new Error(`bench-summary: ${file} has no Patient with a fullUrl and birthDate.`);

  const visits = entries
    .map((entry) => entry.resource)
    .filter((resource): resource is Encounter => resource?.resourceType === 'Encounter')
    .flatMap((encounter) => [encounter.period?.start, encounter.period?.end].filter((d): d is string => d !== undefined).map(day))
    .sort();
  const firstVisit = visits[0];
  const lastVisit = visits.at(-1);
  if (firstVisit === undefined || lastVisit === undefined) throw new Error(`bench-summary: ${file} has no dated Encounters.`);
  const ageYears = (Date.parse(lastVisit) - Date.parse(patient.birthDate)) / YEAR_MS;
  if (ageYears >= 11.98) {
    throw new Error(`bench-summary: ${file}'s child is ${ageYears.toFixed(1)} at the last visit; a guardian needs a child under 12 for full access.`);
  }
  const anchorDate = new Date(Date.parse(lastVisit) + DAY_MS).toISOString().slice(0, 10);

  // The guardian joins the child's own transaction, so urn:uuid references resolve to the ids the sandbox assigns.
  const relatedPersonUrl = `urn:uuid:${randomUUID()}`;
  const relatedPerson: RelatedPerson = {
    resourceType: 'RelatedPerson',
    active: true,
    patient: { reference: patientEntry.fullUrl },
    relationship: [{ coding: [{ system: ROLE, code: 'MTH', display: 'mother' }], text: 'mother' }],
    name: [{ use: 'official', family: 'Parent', given: ['Bench'] }],
  };
  const person: Person = {
    resourceType: 'Person',
    active: true,
    identifier: [{ system: SANDBOX_LOGIN_SYSTEM, value: USERNAME }],
    name: [{ use: 'official', family: 'Parent', given: ['Bench'] }],
    link: [{ target: { reference: relatedPersonUrl }, assurance: 'level3' }],
  };
  const guardianEntries: BundleEntry[] = [
    { fullUrl: relatedPersonUrl, resource: relatedPerson, request: { method: 'POST', url: 'RelatedPerson' } },
    { fullUrl: `urn:uuid:${randomUUID()}`, resource: person, request: { method: 'POST', url: 'Person' } },
  ];
  const dir = await mkdtemp(join(tmpdir(), 'sprout-bench-seed-'));
  await writeFile(join(dir, 'child.json'), JSON.stringify({ ...bundle, entry: [...entries, ...guardianEntries] }));
  await writeFile(join(dir, 'seed-manifest.json'), JSON.stringify({ anchorDate, description: 'bench-summary: the last visit becomes yesterday' }));

  const countsByType = new Map<string, number>();
  for (const entry of entries) {
    const type = entry.resource?.resourceType ?? '?';
    countsByType.set(type, (countsByType.get(type) ?? 0) + 1);
  }
  const name = patient.name?.[0];
  const childName = [...(name?.given ?? []), name?.family ?? ''].join(' ').replace(/\d+/g, '').trim() || 'the child';
  return {
    dir, file, childName, resourceCount: entries.length, countsByType, firstVisit, lastVisit, anchorDate, ageYears,
    yearsOfData: (Date.parse(lastVisit) - Date.parse(firstVisit)) / YEAR_MS,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Portal: sandbox + gateway (as test/e2e/support/portal.ts), with the gateway's upstream calls recorded

interface UpstreamCall {
  readonly url: string;
  readonly label: string;
  readonly start: number;
  end: number;
}

/**
 * A fetch for the gateway that records every call to the sandbox (Node clock, ms), and keeps the latest bearer
 * token the gateway sent (a sandbox token of this run, used only to replay the same calls directly).
 */
function recordingFetch(calls: UpstreamCall[], sandboxUrl: () => string, lastToken: { value?: string }, latencyMs: number): typeof globalThis.fetch {
  return async (input, init) => {
    if (latencyMs > 0) await delay(latencyMs);
    const url = input instanceof Request ? input.url : String(input);
    const authorization = new Headers(input instanceof Request ? input.headers : init?.headers).get('authorization');
    if (authorization !== null) lastToken.value = authorization;
    const call: UpstreamCall = { url, label: url.replace(sandboxUrl(), ''), start: performance.now(), end: Number.NaN };
    calls.push(call);
    try {
      const response = await globalThis.fetch(input, init);
      // Bodies are small next to the request time; cloning keeps the gateway's stream untouched.
      void response
        .clone()
        .arrayBuffer()
        .then(
          () => (call.end = performance.now()),
          () => (call.end = performance.now()),
        );
      return response;
    } catch (error) {
      call.end = performance.now();
      throw error;
    }
  };
}

interface Portal {
  readonly portalUrl: string;
  readonly upstreamCalls: UpstreamCall[];
  readonly upstreamToken: { value?: string };
}

/** The same portal the end-to-end tests run (sandbox + gateway + built app), seeded with the bench child. */
async function startBenchPortal(seedDir: string, upstreamLatencyMs: number, cleanup: Array<() => Promise<unknown>>): Promise<Portal> {
  const upstreamCalls: UpstreamCall[] = [];
  const upstreamToken: { value?: string } = {};
  const portal = await startPortal({
    profile: PROFILE,
    seedDir,
    wrapUpstreamFetch: (sandbox) => recordingFetch(upstreamCalls, () => sandbox.fhirBaseUrl, upstreamToken, upstreamLatencyMs),
  });
  cleanup.push(() => portal.stop());
  return { portalUrl: portal.portalUrl, upstreamCalls, upstreamToken };
}

// ---------------------------------------------------------------------------------------------------------------
// One run in the browser

/** A request as the page's Resource Timing saw it (ms since navigation start). */
interface TimedRequest {
  readonly path: string;
  readonly start: number;
  readonly end: number;
  readonly status: number;
  readonly kind: 'document' | 'asset' | 'data';
}

interface Run {
  readonly summaryMs: number;
  /** The page's main-thread tasks of 50 ms or more (Long Tasks API), ms since navigation start. */
  readonly longTasks: ReadonlyArray<{ readonly start: number; readonly duration: number }>;
  readonly requests: readonly TimedRequest[];
  /** /fhir requests the page sent before the summary was complete (Playwright's count, incl. unfinished ones). */
  readonly fhirRequestsSent: number;
  readonly upstream: readonly UpstreamCall[];
  /** CPU time of this Node process (gateway + sandbox + store + Playwright's client) during the run. */
  readonly serverCpuMs: number;
}

type SummaryState = { readonly done: number } | { readonly failed: string } | false;

/**
 * In the page: false until the summary is complete, then the time (performance.now(), ms since navigation start).
 * Walks open shadow roots. A load error or the "not available" screen ends the wait with `failed`.
 */
function summaryState(): SummaryState {
  const find = (root: Document | ShadowRoot, selector: string): Element | undefined => {
    const here = root.querySelector(selector);
    if (here) return here;
    for (const element of root.querySelectorAll('*')) {
      if (element.shadowRoot) {
        const inner = find(element.shadowRoot, selector);
        if (inner) return inner;
      }
    }
    return undefined;
  };
  const failure = find(document, '[data-testid="load-error"], [data-testid="not-available"]');
  if (failure) return { failed: (failure.textContent ?? '').replace(/\s+/g, ' ').trim().slice(0, 200) };
  const banner = find(document, 'sprout-patient-banner')?.shadowRoot?.querySelector('[data-testid="patient-banner"]');
  const summary = find(document, 'sprout-record-summary')?.shadowRoot;
  if (!banner || !summary) return false;
  const complete = ['issues-h', 'allergies-h', 'meds-h', 'imm-h'].every((heading) => {
    const section = summary.getElementById(heading)?.closest('section');
    return section?.querySelector('ul.items > li, sprout-load-state[state="empty"]') != null;
  });
  if (!complete || find(document, 'sprout-load-state[state="loading"]')) return false;
  return { done: performance.now() };
}

/** Gateway requests and the page's own loads, from Resource Timing (same clock as summaryState). */
function timedRequests(): Array<{ path: string; start: number; end: number; status: number; kind: 'document' | 'asset' | 'data' }> {
  const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
  const resources = performance.getEntriesByType('resource') as PerformanceResourceTiming[];
  const rows = resources
    .filter((entry) => new URL(entry.name).origin === location.origin)
    .map((entry) => {
      const url = new URL(entry.name);
      const data = url.pathname.startsWith('/fhir/') || url.pathname.startsWith('/api/');
      return { path: url.pathname + url.search, start: entry.startTime, end: entry.responseEnd, status: entry.responseStatus, kind: data ? ('data' as const) : ('asset' as const) };
    });
  const navigation = nav ? [{ path: location.pathname, start: 0, end: nav.responseEnd, status: nav.responseStatus, kind: 'document' as const }] : [];
  return [...navigation, ...rows];
}

async function measureRun(context: BrowserContext, portal: Portal, patientId: string): Promise<Run> {
  const page: Page = await context.newPage();
  try {
    let fhirSent = 0;
    let counting = true;
    page.on('request', (request) => {
      if (counting && new URL(request.url()).pathname.startsWith('/fhir/')) fhirSent += 1;
    });
    const upstreamFrom = portal.upstreamCalls.length;
    const cpuBefore = process.cpuUsage();
    await page.goto(`${portal.portalUrl}/patient/${encodeURIComponent(patientId)}`, { waitUntil: 'commit' });
    const handle = await page.waitForFunction(summaryState, undefined, { polling: 'raf', timeout: 60_000 });
    counting = false;
    const cpu = process.cpuUsage(cpuBefore);
    const state = (await handle.jsonValue()) as Exclude<SummaryState, false>;
    if ('failed' in state) throw new Error(`bench-summary: the record page showed an error instead of the summary: ${state.failed}`);
    const requests = await page.evaluate(timedRequests);
    const longTasks = (await page.evaluate(readLongTasks)).filter((task) => task.start < state.done);
    return { summaryMs: state.done, longTasks, requests, fhirRequestsSent: fhirSent, upstream: portal.upstreamCalls.slice(upstreamFrom), serverCpuMs: (cpu.user + cpu.system) / 1000 };
  } finally {
    await page.close();
  }
}

type LongTaskLog = Array<{ start: number; duration: number }>;

/** Init script: collects the page's long tasks from its first moment (read back by readLongTasks). */
function observeLongTasks(): void {
  const log: LongTaskLog = [];
  (globalThis as unknown as { benchLongTasks: LongTaskLog }).benchLongTasks = log;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) log.push({ start: entry.startTime, duration: entry.duration });
  }).observe({ type: 'longtask', buffered: true });
}

function readLongTasks(): LongTaskLog {
  return (globalThis as unknown as { benchLongTasks?: LongTaskLog }).benchLongTasks ?? [];
}

// ---------------------------------------------------------------------------------------------------------------
// Analysis (pure)

/**
 * The longest chain of requests where each starts only after the previous one ended: its length is the number of
 * sequential round trips the page waited on; the chain itself says which ones.
 */
function criticalPath<T extends { readonly start: number; readonly end: number }>(requests: readonly T[]): T[] {
  const sorted = [...requests].sort((a, b) => a.start - b.start || a.end - b.end);
  const depth: number[] = [];
  const previous: Array<number | undefined> = [];
  sorted.forEach((request, index) => {
    depth[index] = 1;
    previous[index] = undefined;
    for (let before = 0; before < index; before += 1) {
      const candidate = sorted[before];
      const candidateDepth = depth[before] ?? 0;
      if (candidate !== undefined && candidate.end <= request.start && candidateDepth + 1 > (depth[index] ?? 0)) {
        depth[index] = candidateDepth + 1;
        previous[index] = before;
      }
    }
  });
  let last: number | undefined;
  sorted.forEach((request, index) => {
    if (last === undefined) {
      last = index;
      return;
    }
    const best = sorted[last];
    if ((depth[index] ?? 0) > (depth[last] ?? 0) || ((depth[index] ?? 0) === (depth[last] ?? 0) && best !== undefined && request.end > best.end)) last = index;
  });
  const chain: T[] = [];
  for (let at = last; at !== undefined; at = previous[at]) {
    const request = sorted[at];
    if (request !== undefined) chain.unshift(request);
  }
  return chain;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] ?? Number.NaN) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

/** A request path with the child's id and opaque cursors shortened, for reading. */
function label(path: string, patientId: string): string {
  const decoded = path.split(patientId).join('{child}').split(encodeURIComponent(patientId)).join('{child}');
  return decoded.replace(/cursor=[^&]+/, 'cursor=…').replace(/^\/fhir\/_page\?/, '/fhir/_page?');
}

const ms = (value: number): string => `${Math.round(value).toLocaleString('en-US')} ms`;
const pad = (text: string, width: number): string => (text.length >= width ? text : text + ' '.repeat(width - text.length));

/**
 * What kind of upstream call this is: the access facts a gateway request gathers when the session has none kept
 * (Patient, Person, RelatedPerson, Consent), the data search itself, or the records the policy follows (an encounter,
 * a reason), read one by one or several at once with an `_id` search.
 */
function upstreamKind(labelText: string, patientId: string): string {
  const path = labelText.replace(/^\//, '');
  const type = path.split(/[/?]/)[0] ?? path;
  const what = path.includes('?') ? 'search' : 'read';
  if (/[?&]_id=[^&]*,/.test(path)) return `followed: ${type} _id search (${(/[?&]_id=([^&]*)/.exec(path)?.[1] ?? '').split(',').length} ids)`;
  if (['Patient', 'Person', 'RelatedPerson', 'Consent'].includes(type)) return `access facts: ${type} ${what}`;
  return what === 'search' ? `data: ${label(path, patientId)}` : `followed: ${type} read`;
}

// ---------------------------------------------------------------------------------------------------------------
// Report

const dataRequests = (run: Run): TimedRequest[] => run.requests.filter((request) => request.kind === 'data');
const longTaskMs = (run: Run): number => run.longTasks.reduce((sum, task) => sum + task.duration, 0);
/** The browser fetches the favicon on its own; the app never waits for it. */
const pageLoads = (run: Run): TimedRequest[] => run.requests.filter((request) => request.end <= run.summaryMs && request.path !== '/favicon.svg');

function printSetup(seed: SeedInfo, access: string, upstreamLatencyMs: number): void {
  console.log(`load average ${loadavg().map((value) => value.toFixed(2)).join(' ')} on ${availableParallelism()} cores`);
  console.log(`Summary page of a Synthea child through the whole portal (sandbox → gateway → app in Chromium), ${PROFILE}`);
  console.log(`  child: ${seed.childName} (${seed.file})`);
  console.log(
    `  ${seed.resourceCount} resources, ${seed.yearsOfData.toFixed(1)} years of visits (${seed.firstVisit} → ${seed.lastVisit}, ` +
      `shifted so the last was yesterday); age ${Math.floor(seed.ageYears)}; guardian access: ${access}`,
  );
  const counts = [...seed.countsByType.entries()].sort((a, b) => b[1] - a[1]);
  console.log(`  ${counts.map(([type, count]) => `${type} ${count}`).join(', ')}`);
  if (upstreamLatencyMs > 0) console.log(`  every gateway → sandbox call delayed by ${upstreamLatencyMs} ms (--upstream-latency), as a networked EHR would be`);
  console.log('');
}

function printRun(name: string, run: Run, patientId: string): void {
  const data = dataRequests(run);
  const chain = criticalPath(data);
  console.log(
    `  ${pad(name, 8)} summary complete at ${pad(ms(run.summaryMs), 9)} ${data.length} gateway requests (${run.fhirRequestsSent} /fhir), ` +
      `${chain.length} sequential; ${run.upstream.length} calls to the sandbox; server process CPU ${ms(run.serverCpuMs)}; ` +
      `page long tasks ${ms(longTaskMs(run))}`,
  );
  // The usual chain is /api/session → the section's parallel searches; say which requests made a longer one.
  if (chain.length > 2) {
    const steps = chain.map((r) => `${label(r.path, patientId).split('?')[0]} ${Math.round(r.start)}–${Math.round(r.end)}`);
    console.log(`           sequential: ${steps.join(' → ')}`);
  }
}

function printMedianRun(run: Run, runs: readonly Run[], patientId: string): void {
  console.log('');
  console.log(`  Timeline of the median run (${ms(run.summaryMs)}; ms since navigation start):`);
  const rows = [
    ...run.requests.map((r) => ({ start: r.start, end: r.end, text: `${r.status} ${label(r.path, patientId)}` })),
    ...run.longTasks.map((task) => ({ start: task.start, end: task.start + task.duration, text: '(page main thread busy: long task)' })),
  ];
  for (const row of rows.sort((a, b) => a.start - b.start)) {
    console.log(`    ${pad(`${Math.round(row.start)}–${Math.round(row.end)}`, 11)} ${pad(ms(row.end - row.start), 9)} ${row.text}`);
  }
  console.log(`    ${pad(String(Math.round(run.summaryMs)), 11)} summary complete (rendered)`);
  const path = (requests: readonly TimedRequest[]): string => requests.map((r) => label(r.path, patientId).split('?')[0]).join(' → ');
  const dataChain = criticalPath(dataRequests(run));
  const fullChain = criticalPath(pageLoads(run));
  console.log('');
  console.log(`  Critical path, gateway data requests (${dataChain.length} sequential): ${path(dataChain)}`);
  console.log(`  Critical path incl. the page's own loads (${fullChain.length} sequential): ${path(fullChain)}`);

  const byLabel = new Map<string, number[]>();
  for (const each of runs) {
    for (const request of dataRequests(each)) {
      const key = label(request.path, patientId);
      byLabel.set(key, [...(byLabel.get(key) ?? []), request.end - request.start]);
    }
  }
  console.log('');
  console.log('  Slowest gateway requests in the page (median over runs; they run in parallel):');
  for (const [key, durations] of [...byLabel.entries()].sort((a, b) => median(b[1]) - median(a[1])).slice(0, 6)) {
    console.log(`    ${pad(ms(median(durations)), 9)} ${key}`);
  }
}

/** Each gateway request of the run again, alone and in turn (same session): its own cost without queueing. */
async function replayGatewayRequests(context: BrowserContext, portal: Portal, run: Run, patientId: string): Promise<void> {
  console.log('');
  console.log('  The same gateway requests again, one at a time (median of 3):');
  const page = await context.newPage();
  let fhirSoloMs = 0;
  try {
    for (const request of dataRequests(run)) {
      const samples: number[] = [];
      const calls: number[] = [];
      const sequential: number[] = [];
      let status = 0;
      for (let round = 0; round < 3; round += 1) {
        const from = portal.upstreamCalls.length;
        const started = performance.now();
        const response = await page.request.get(`${portal.portalUrl}${request.path}`);
        await response.body();
        samples.push(performance.now() - started);
        status = response.status();
        const upstream = portal.upstreamCalls.slice(from);
        calls.push(upstream.length);
        sequential.push(criticalPath(upstream).length);
      }
      if (request.path.startsWith('/fhir/')) fhirSoloMs += median(samples);
      console.log(
        `    ${pad(ms(median(samples)), 9)} ${status} ${pad(label(request.path, patientId), 82)} ` +
          `${median(calls)} calls to the sandbox, ${median(sequential)} sequential`,
      );
    }
  } finally {
    await page.close();
  }
  const fhir = run.requests.filter((request) => request.path.startsWith('/fhir/'));
  const parallelMs = Math.max(...fhir.map((r) => r.end)) - Math.min(...fhir.map((r) => r.start));
  console.log(`    /fhir requests one at a time: ${ms(fhirSoloMs)} in all; in the page, in parallel: ${ms(parallelMs)} from first start to last end`);
}

/** The run's upstream calls again, straight to the sandbox one at a time: the EHR's share of the server's work. */
async function replayUpstreamCalls(portal: Portal, run: Run, runs: readonly Run[], patientId: string): Promise<void> {
  const authorization = portal.upstreamToken.value;
  if (authorization === undefined) return;
  const byKind = new Map<string, { count: number; soloMs: number }>();
  const cpuBefore = process.cpuUsage();
  let wallMs = 0;
  for (const call of run.upstream) {
    const samples: number[] = [];
    for (let round = 0; round < 3; round += 1) {
      const started = performance.now();
      await (await fetch(call.url, { headers: { authorization, accept: 'application/fhir+json' } })).arrayBuffer();
      samples.push(performance.now() - started);
    }
    const kind = upstreamKind(call.label, patientId);
    const entry = byKind.get(kind) ?? { count: 0, soloMs: 0 };
    byKind.set(kind, { count: entry.count + 1, soloMs: entry.soloMs + median(samples) });
    wallMs += median(samples);
  }
  const cpu = process.cpuUsage(cpuBefore);
  const sandboxCpuMs = (cpu.user + cpu.system) / 1000 / 3;
  console.log('');
  console.log(`  The median run's ${run.upstream.length} gateway → sandbox calls, each sent again alone, straight to the sandbox (median of 3):`);
  for (const [kind, entry] of [...byKind.entries()].sort((x, y) => y[1].soloMs - x[1].soloMs)) {
    console.log(`    ${pad(ms(entry.soloMs), 8)} ${pad(String(entry.count), 3)} × ${kind}${entry.count > 1 ? ` (${(entry.soloMs / entry.count).toFixed(1)} ms each)` : ''}`);
  }
  const serverCpuMs = median(runs.map((each) => each.serverCpuMs));
  console.log(
    `    sandbox alone: ${ms(wallMs)} wall, ≈ ${ms(sandboxCpuMs)} CPU for all of them; the server process used ${ms(serverCpuMs)} CPU ` +
      `per page load (median), so the gateway's own share is ≈ ${ms(Math.max(0, serverCpuMs - sandboxCpuMs))}.`,
  );
}

function printVerdict(runs: readonly Run[]): void {
  const times = runs.map((run) => run.summaryMs);
  const medianMs = median(times);
  const maxMs = Math.max(...times);
  const fhirCounts = runs.map((run) => run.fhirRequestsSent);
  const depths = runs.map((run) => criticalPath(dataRequests(run)).length);
  const verdict = (value: number): string => (value < TARGET_MS ? 'PASS' : 'MISS');
  console.log('');
  console.log(
    `  time to summary: median ${ms(medianMs)} ${verdict(medianMs)}, max ${ms(maxMs)} ${verdict(maxMs)} ` +
      `(${runs.length} runs; target < ${ms(TARGET_MS)})`,
  );
  console.log(
    `  /fhir requests per page: ${Math.min(...fhirCounts)}–${Math.max(...fhirCounts)}; ` +
      `sequential gateway round trips on the critical path: ${Math.max(...depths)} (max over runs)`,
  );
  // Issue 15: counts do not depend on the machine's load, unlike every time above.
  const upstreamCounts = runs.map((run) => run.upstream.length);
  const upstreamMedian = median(upstreamCounts);
  console.log(
    `  upstream calls per summary page: median ${upstreamMedian} (${Math.min(...upstreamCounts)}–${Math.max(...upstreamCounts)}) ` +
      `${upstreamMedian <= UPSTREAM_CALLS_TARGET ? 'PASS' : 'MISS'} (target ≤ ${UPSTREAM_CALLS_TARGET}; 77 before issue 15)`,
  );
}

/** Starts the V8 profiler on this process; the returned function stops it and writes the profile to `file`. */
async function startCpuProfile(file: string): Promise<() => Promise<void>> {
  const session = new InspectorSession();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  return async () => {
    const { profile } = await session.post('Profiler.stop');
    await writeFile(file, JSON.stringify(profile));
    session.disconnect();
    console.log(`  CPU profile of the measured runs (gateway + sandbox process): ${file}`);
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Main

async function main(): Promise<void> {
  if (!existsSync(EXTERNAL_DIR)) {
    console.log('bench-summary skipped: ../shared/fixtures/external not found');
    return;
  }
  const options = parseArgs(process.argv.slice(2));
  if (options.build || !existsSync(join(APP_ROOT, 'index.html'))) {
    console.log('building the app (vite build) …');
    const built = spawnSync('npx', ['vite', 'build', '--logLevel', 'warn'], { cwd: REPO_ROOT, stdio: 'inherit' });
    if (built.status !== 0) throw new Error('bench-summary: vite build failed.');
  }

  // Undone in reverse order: gateway, sandbox, then the folders.
  const cleanup: Array<() => Promise<unknown>> = [];
  let browser: Browser | undefined;
  try {
    const seed = await writeSeed(options.child);
    cleanup.push(() => rm(seed.dir, { recursive: true, force: true }));
    const portal = await startBenchPortal(seed.dir, options.upstreamLatencyMs, cleanup);
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: VIEWPORTS.desktop, locale: 'en-US', timezoneId: 'America/Los_Angeles' });
    await context.addInitScript(observeLongTasks);
    const signInPage = await context.newPage();
    await signIn(signInPage, portal.portalUrl, USERNAME);
    const session = (await (await signInPage.request.get(`${portal.portalUrl}/api/session`)).json()) as SessionView;
    await signInPage.close();
    const child = session.patients.find((patient) => patient.relationship === 'guardian');
    if (child === undefined) throw new Error('bench-summary: the guardian has no child in /api/session.');
    printSetup(seed, child.access.level, options.upstreamLatencyMs);

    // One warm-up load (shown, not counted): the sign-in warmed the sign-in paths, not the record's searches.
    printRun('warm-up', await measureRun(context, portal, child.id), child.id);
    const stopProfile = options.cpuProfile === undefined ? undefined : await startCpuProfile(options.cpuProfile);
    const runs: Run[] = [];
    for (let index = 0; index < options.runs; index += 1) {
      const run = await measureRun(context, portal, child.id);
      runs.push(run);
      printRun(`run ${index + 1}`, run, child.id);
    }
    await stopProfile?.();
    const medianMs = median(runs.map((run) => run.summaryMs));
    const typical = [...runs].sort((a, b) => Math.abs(a.summaryMs - medianMs) - Math.abs(b.summaryMs - medianMs))[0];
    if (typical === undefined) throw new Error('bench-summary: no runs');
    printMedianRun(typical, runs, child.id);
    await replayGatewayRequests(context, portal, typical, child.id);
    await replayUpstreamCalls(portal, typical, runs, child.id);
    printVerdict(runs);
  } finally {
    await browser?.close().catch(() => undefined);
    for (const step of cleanup.reverse()) await step().catch((error: unknown) => console.error('bench-summary cleanup:', error));
  }
}

try {
  await main();
} catch (error) {
  // Our own refusals (bad arguments, unusable fixture) are sentences; anything else keeps its stack.
  console.error(error instanceof Error && error.message.startsWith('bench-summary:') ? error.message : error);
  process.exitCode = 1;
}
