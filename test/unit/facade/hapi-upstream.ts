/**
 * Test support: a FHIR server that pages the way HAPI FHIR (and the public HAPI sandbox) does, in front of the real
 * sandbox FHIR server.
 *
 * - A search (`GET {base}/{Type}?…`) is run once to the end against the sandbox; its matches are cached under a fresh
 *   search id, and the first `_count` of them are answered with NO Bundle.total.
 * - `next` is on the base itself: `{base}?_getpages=<id>&_getpagesoffset=<n>&_count=<c>&_bundletype=searchset`.
 * - `expireSearches()` forgets every cached search: its pages then answer 410 Gone with an OperationOutcome, as HAPI
 *   does for an expired search; running the search again gives a new id.
 * - Reads and everything else go to the sandbox unchanged. `_include` is not mimicked (refused with 400).
 */
import type { Bundle, BundleEntry } from 'fhir/r4';
import type { SandboxUpstream } from '../leaks/support/sandbox-upstream.ts';
import { SANDBOX_BASE } from '../leaks/support/sandbox-upstream.ts';

export interface HapiUpstream {
  readonly fetch: typeof globalThis.fetch;
  /** Forget every cached search (their pages answer 410 from now on). */
  expireSearches(): void;
  /** `_getpages` requests answered 410 so far. */
  readonly goneAnswers: number;
  /** Every request, as "GET /Type?query" or "GET ?_getpages=…" (relative to the base). */
  readonly requests: string[];
}

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/fhir+json' } });

export function createHapiUpstream(sandbox: SandboxUpstream): HapiUpstream {
  const searches = new Map<string, BundleEntry[]>();
  const requests: string[] = [];
  let counter = 0;
  let gone = 0;

  function page(id: string, entries: BundleEntry[], offset: number, count: number): Bundle {
    const slice = entries.slice(offset, offset + count);
    const link: Bundle['link'] = [{ relation: 'self', url: `${SANDBOX_BASE}?_getpages=${id}&_getpagesoffset=${offset}&_count=${count}&_bundletype=searchset` }];
    if (offset + count < entries.length) {
      link.push({ relation: 'next', url: `${SANDBOX_BASE}?_getpages=${id}&_getpagesoffset=${offset + count}&_count=${count}&_bundletype=searchset` });
    }
    return { resourceType: 'Bundle', id: `page-${id}-${offset}`, type: 'searchset', link, entry: slice };
  }

  async function runToTheEnd(type: string, query: URLSearchParams): Promise<BundleEntry[] | Response> {
    const all = new URLSearchParams(query);
    all.set('_count', '1000');
    let url: string | undefined = `${SANDBOX_BASE}/${type}?${all.toString()}`;
    const entries: BundleEntry[] = [];
    while (url !== undefined) {
      const answer = await sandbox.fetch(url, { headers: { accept: 'application/fhir+json' } });
      if (!answer.ok) return answer;
      const bundle = (await answer.json()) as Bundle;
      for (const entry of bundle.entry ?? []) entries.push({ ...(entry.fullUrl === undefined ? {} : { fullUrl: entry.fullUrl }), ...(entry.resource === undefined ? {} : { resource: entry.resource }), search: { mode: 'match' } });
      url = bundle.link?.find((link) => link.relation === 'next')?.url;
    }
    return entries;
  }

  const fetch: typeof globalThis.fetch = async (input, init) => {
    const request = input instanceof Request ? input : new Request(input, init);
    const url = new URL(request.url);
    if (url.origin !== new URL(SANDBOX_BASE).origin) throw new TypeError(`hapi fake: unexpected host ${url.origin}`);
    const path = url.pathname.slice('/fhir'.length);
    requests.push(`${request.method} ${path}${url.search}`);
    if (request.method === 'GET' && (path === '' || path === '/') && url.searchParams.has('_getpages')) {
      const id = url.searchParams.get('_getpages') ?? '';
      const entries = searches.get(id);
      if (entries === undefined) {
        gone += 1;
        return json({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'processing', diagnostics: `Search ID "${id}" does not exist and may have expired` }] }, 410);
      }
      return json(page(id, entries, Number(url.searchParams.get('_getpagesoffset') ?? '0'), Number(url.searchParams.get('_count') ?? '20')));
    }
    const type = /^\/([A-Z][A-Za-z]+)$/.exec(path)?.[1];
    if (request.method === 'GET' && type !== undefined) {
      const query = new URLSearchParams(url.searchParams);
      if (query.has('_include') || query.has('_revinclude')) return json({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'not-supported' }] }, 400);
      const count = Number(query.get('_count') ?? '20');
      query.delete('_count');
      const entries = await runToTheEnd(type, query);
      if (entries instanceof Response) return entries;
      counter += 1;
      const id = `hapi-search-${counter}`;
      searches.set(id, entries);
      return json(page(id, entries, 0, count));
    }
    return sandbox.fetch(input, init);
  };

  return {
    fetch,
    expireSearches: () => searches.clear(),
    get goneAnswers() {
      return gone;
    },
    requests,
  };
}
