/**
 * Issue 10 finding 2: HAPI-style paging behind the facade. The upstream (test support hapi-upstream.ts, in front of the
 * real sandbox FHIR server) pages on its base with `_getpages`, sends no Bundle.total, and forgets cached searches
 * (410 Gone). A 300-entry search must page to the end through facade cursors with nothing lost or duplicated, also
 * when the upstream's cached search expires between two facade pages; the upstream's links never reach the browser.
 */
import type { Bundle, FhirResource, Observation } from 'fhir/r4';
import { beforeAll, describe, expect, it } from 'vitest';
import { matchCount, reopenAt, withPageOffset } from '../../../gateway/src/fhir/expired-page.ts';
import { createFetchUpstream } from '../../../gateway/src/fhir/fetch-upstream.ts';
import { BUILTIN_PROFILES } from '../../../gateway/src/policy/index.ts';
import { createHarness, principalFor } from '../leaks/support/facade-harness.ts';
import { createSandboxUpstream, SANDBOX_BASE, type SandboxUpstream } from '../leaks/support/sandbox-upstream.ts';
import { createHapiUpstream, type HapiUpstream } from './hapi-upstream.ts';
import { miniFamily, NOW } from './mini-family.ts';

const TOTAL = 300;
let sandbox: SandboxUpstream;

beforeAll(async () => {
  const resources: FhirResource[] = miniFamily();
  const template = resources.find((r) => r.id === 'weight-0') as Observation;
  const existing = resources.filter((r) => r.resourceType === 'Observation' && r.id?.startsWith('weight-')).length;
  for (let i = existing; i < TOTAL; i += 1) resources.push({ ...template, id: `weight-${i}`, valueQuantity: { ...template.valueQuantity, value: 3 + i / 100 } });
  sandbox = await createSandboxUpstream(resources);
}, 60_000);

function harnessOver(hapi: HapiUpstream) {
  const upstream = createFetchUpstream({ baseUrl: SANDBOX_BASE, fetch: hapi.fetch, timeoutMs: 5_000, maxBytes: 8 * 1024 * 1024, retries: 0 });
  return createHarness({
    upstream,
    principal: principalFor('RelatedPerson/mom'),
    profile: BUILTIN_PROFILES['ca-strict'],
    now: NOW,
    limits: { upstreamPageSize: 50, maxPageSize: 50 },
  });
}

/** Pages through the facade from `first`, calling `between(pageNumber)` before each further page. */
async function pageToTheEnd(harness: ReturnType<typeof harnessOver>, first: string, between: (page: number) => void = () => {}) {
  const ids: string[] = [];
  let path: string | undefined = first;
  for (let page = 0; path !== undefined; page += 1) {
    if (page > 0) between(page);
    const res = await harness.get(path);
    const text = await res.text();
    expect(res.status, text).toBe(200);
    expect(text).not.toContain('_getpages');
    expect(text).not.toContain('hapi-search');
    const bundle = JSON.parse(text) as Bundle;
    expect(bundle.total).toBeUndefined();
    for (const entry of bundle.entry ?? []) ids.push(entry.resource?.id ?? '');
    const next = bundle.link?.find((link) => link.relation === 'next')?.url;
    path = next === undefined ? undefined : next.replace('http://portal.test', '');
    if (page > 100) throw new Error('paging does not end');
  }
  return ids;
}

const expected = Array.from({ length: TOTAL }, (_, i) => `weight-${i}`).sort();

describe('HAPI-style paging behind the facade', () => {
  it('follows _getpages links on the base and pages 300 entries to the end, none lost or duplicated', async () => {
    const hapi = createHapiUpstream(sandbox);
    const ids = await pageToTheEnd(harnessOver(hapi), '/fhir/Observation?patient=infant&_count=20');
    expect(ids.length).toBe(TOTAL);
    expect([...ids].sort()).toEqual(expected);
    expect(hapi.requests.some((r) => r.startsWith('GET ?_getpages='))).toBe(true);
    expect(hapi.goneAnswers).toBe(0);
  });

  it('re-runs an expired search and skips to the same entry, none lost or duplicated', async () => {
    const hapi = createHapiUpstream(sandbox);
    // Expire the upstream's cached searches before every third facade page: pages inside and across upstream pages.
    const ids = await pageToTheEnd(harnessOver(hapi), '/fhir/Observation?patient=infant&_count=20', (page) => {
      if (page % 3 === 0) hapi.expireSearches();
    });
    expect(hapi.goneAnswers).toBeGreaterThan(2);
    expect(ids.length).toBe(TOTAL);
    expect([...ids].sort()).toEqual(expected);
  });

  it('a paging link to another server or path is still refused, never followed', async () => {
    const hapi = createHapiUpstream(sandbox);
    const hostile: typeof globalThis.fetch = async (input, init) => {
      const answer = await hapi.fetch(input, init);
      const url = new URL(input instanceof Request ? input.url : String(input));
      if (url.pathname !== '/fhir/Observation') return answer;
      const bundle = (await answer.json()) as Bundle;
      for (const link of bundle.link ?? []) if (link.relation === 'next') link.url = link.url.replace(`${SANDBOX_BASE}?`, 'http://ehr.test/fhirx?');
      return new Response(JSON.stringify(bundle), { status: 200 });
    };
    const harness = harnessOver({ ...hapi, fetch: hostile });
    const res = await harness.get('/fhir/Observation?patient=infant&_count=20');
    expect(res.status).toBe(502);
    expect(hapi.requests.some((r) => r.includes('_getpages'))).toBe(false);
  });
});

describe('re-opening an expired search (pure parts)', () => {
  const entries = (n: number, includes = 0): Bundle['entry'] => [
    ...Array.from({ length: n }, (_, i) => ({ resource: { resourceType: 'Observation' as const, id: `o${i}`, status: 'final' as const, code: {} } })),
    ...Array.from({ length: includes }, (_, i) => ({ resource: { resourceType: 'Encounter' as const, id: `e${i}`, status: 'finished' as const, class: {} }, search: { mode: 'include' as const } })),
  ];

  it('counts matches the way the facade pages them', () => {
    expect(matchCount({ resourceType: 'Bundle', type: 'searchset', entry: [...(entries(3, 2) ?? []), {}, { search: { mode: 'outcome' } }] })).toBe(3);
  });

  it('moves a HAPI link to another offset and leaves other links alone', () => {
    expect(withPageOffset('http://h/fhir?_getpages=abc&_getpagesoffset=40&_count=20&_bundletype=searchset', 130)).toBe(
      'http://h/fhir?_getpages=abc&_getpagesoffset=130&_count=20&_bundletype=searchset',
    );
    expect(withPageOffset('Observation?patient=x&_page=2', 130)).toBeUndefined();
  });

  it('walks plain next links to the page holding the target, or jumps on HAPI links', async () => {
    const read: string[] = [];
    const pages: Record<string, Bundle> = {
      first: { resourceType: 'Bundle', type: 'searchset', entry: entries(10, 1), link: [{ relation: 'next', url: 'second' }] },
      second: { resourceType: 'Bundle', type: 'searchset', entry: entries(10), link: [{ relation: 'next', url: 'third' }] },
      third: { resourceType: 'Bundle', type: 'searchset', entry: entries(5) },
    };
    const deps = { read: async (url: string) => (read.push(url), pages[url] as Bundle), next: (b: Bundle) => b.link?.[0]?.url, maxPages: 5 };
    expect(await reopenAt('first', 23, deps)).toMatchObject({ url: 'third', offset: 20, pagesRead: 3 });
    expect(await reopenAt('first', 99, deps)).toMatchObject({ url: 'third', offset: 20 }); // the search shrank
    await expect(reopenAt('first', 23, { ...deps, maxPages: 2 })).rejects.toMatchObject({ status: 502 });

    const hapiPages = async (url: string) => {
      read.push(url);
      const offset = Number(new URLSearchParams(url.split('?')[1]).get('_getpagesoffset') ?? '0');
      const next = `b?_getpages=new&_getpagesoffset=${offset + 10}&_count=10`;
      return { resourceType: 'Bundle', type: 'searchset', entry: entries(10), link: [{ relation: 'next', url: next }] } as Bundle;
    };
    read.length = 0;
    expect(await reopenAt('T?x=1', 137, { read: hapiPages, next: deps.next, maxPages: 3 })).toMatchObject({ offset: 137, pagesRead: 2 });
    expect(read).toEqual(['T?x=1', 'b?_getpages=new&_getpagesoffset=137&_count=10']);
  });
});
