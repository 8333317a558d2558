import type { Bundle, DocumentReference, Observation, OperationOutcome } from 'fhir/r4';
import { beforeAll, describe, expect, it } from 'vitest';
import { listRecordViews } from '../../../gateway/src/fhir/audit.ts';
import { BUILTIN_PROFILES } from '../../../gateway/src/policy/index.ts';
import { createHarness, principalFor } from '../leaks/support/facade-harness.ts';
import type { Harness } from '../leaks/support/facade-harness.ts';
import { createSandboxUpstream } from '../leaks/support/sandbox-upstream.ts';
import type { SandboxUpstream } from '../leaks/support/sandbox-upstream.ts';
import { miniFamily, NOW } from './mini-family.ts';

let sandbox: SandboxUpstream;
let mom: Harness;

beforeAll(async () => {
  sandbox = await createSandboxUpstream(miniFamily());
  mom = createHarness({ upstream: sandbox.upstream(), principal: principalFor('RelatedPerson/mom'), profile: BUILTIN_PROFILES['ca-strict'], now: NOW });
});

async function json<T>(response: Response): Promise<T> {
  return (await response.json()) as T;
}

async function walkPages(harness: Harness, first: string): Promise<{ ids: string[]; bodies: string[] }> {
  const ids: string[] = [];
  const bodies: string[] = [];
  let url: string | undefined = first;
  for (let guard = 0; url !== undefined && guard < 20; guard += 1) {
    const response = await harness.get(url);
    expect(response.status).toBe(200);
    const text = await response.text();
    bodies.push(text);
    const bundle = JSON.parse(text) as Bundle;
    ids.push(...(bundle.entry ?? []).filter((e) => e.search?.mode === 'match').map((e) => e.resource?.id ?? ''));
    const next = bundle.link?.find((link) => link.relation === 'next')?.url;
    url = next === undefined ? undefined : new URL(next).pathname + new URL(next).search;
  }
  return { ids, bodies };
}

describe('FHIR facade: reads and searches for an allowed guardian', () => {
  it('reads the infant and her observations, with links on the facade and no upstream addresses', async () => {
    const patient = await mom.get('/fhir/Patient/infant');
    expect(patient.status).toBe(200);
    expect(patient.headers.get('etag')).toBeNull();
    const search = await mom.get('/fhir/Observation?patient=Patient/infant&_count=50');
    const text = await search.text();
    const bundle = JSON.parse(text) as Bundle<Observation>;
    expect(bundle.entry).toHaveLength(12);
    expect(bundle.total).toBeUndefined();
    expect(text).not.toContain('ehr.test');
  });

  it('serves the compartment form and subject=Patient/… the same as patient=…', async () => {
    const a = await json<Bundle>(await mom.get('/fhir/Patient/infant/Observation?_count=50'));
    const b = await json<Bundle>(await mom.get('/fhir/Observation?subject=Patient/infant&_count=50'));
    const ids = (bundle: Bundle) => (bundle.entry ?? []).map((e) => e.resource?.id).sort();
    expect(ids(a)).toEqual(ids(b));
    expect(ids(a)).toHaveLength(12);
  });

  it('pages with its own sealed cursors, re-checked per page, and refuses tampered or foreign cursors', async () => {
    const { ids, bodies } = await walkPages(mom, '/fhir/Observation?patient=infant&_count=5');
    expect(new Set(ids).size).toBe(12);
    expect(ids).toHaveLength(12);
    for (const body of bodies) {
      expect(body).not.toContain('_offset');
      expect(body).not.toContain('ehr.test');
    }
    const first = await json<Bundle>(await mom.get('/fhir/Observation?patient=infant&_count=5'));
    const next = new URL(first.link?.find((link) => link.relation === 'next')?.url ?? '');
    const cursor = next.searchParams.get('cursor') ?? '';
    const tampered = `${cursor.slice(0, -4)}${cursor.endsWith('AAAA') ? 'BBBB' : 'AAAA'}`;
    expect((await mom.get(`/fhir/_page?cursor=${encodeURIComponent(tampered)}`)).status).toBe(410);

    const otherSession = createHarness({
      upstream: sandbox.upstream(),
      principal: principalFor('RelatedPerson/mom'),
      profile: BUILTIN_PROFILES['ca-strict'],
      now: NOW,
      session: { id: 'session-2', secret: 'another-secret-of-enough-length!!' },
    });
    expect((await otherSession.get(next.pathname + next.search)).status).toBe(410);
    const later = createHarness({ upstream: sandbox.upstream(), principal: principalFor('RelatedPerson/mom'), profile: BUILTIN_PROFILES['ca-strict'], now: NOW + 60 * 60 * 1000 });
    expect((await later.get(next.pathname + next.search)).status).toBe(410);
  });

  it('applies _elements after deciding and never asks the upstream to trim', async () => {
    sandbox.requests.length = 0;
    const bundle = await json<Bundle<Observation>>(await mom.get('/fhir/Observation?patient=infant&_elements=code&_count=3'));
    const first = bundle.entry?.[0]?.resource;
    expect(first?.code).toBeDefined();
    expect(first?.valueQuantity).toBeUndefined();
    expect(first?.meta?.tag?.some((tag) => tag.code === 'SUBSETTED')).toBe(true);
    expect(sandbox.requests.some((request) => request.includes('_elements') || request.includes('_summary'))).toBe(false);
  });

  it('keeps _include targets linked to returned matches', async () => {
    const bundle = await json<Bundle>(await mom.get('/fhir/Observation?patient=infant&_include=Observation:performer&_count=50'));
    const included = (bundle.entry ?? []).filter((e) => e.search?.mode === 'include').map((e) => `${e.resource?.resourceType}/${e.resource?.id}`);
    expect(included).toEqual(['Practitioner/dr-lee']);
  });

  it('serves a Binary only through a visible document, with safe headers, and rewrites attachment URLs', async () => {
    const document = await json<DocumentReference>(await mom.get('/fhir/DocumentReference/growth-note'));
    expect(document.content[0]?.attachment.url).toBe('http://portal.test/fhir/Binary/growth-pdf');
    const binary = await mom.get('/fhir/Binary/growth-pdf');
    expect(binary.status).toBe(200);
    expect(binary.headers.get('content-type')).toBe('application/pdf');
    expect(binary.headers.get('content-security-policy')).toContain('sandbox');
    expect(await binary.text()).toContain('growth chart');
  });

  it('answers a batch of reads entry by entry and refuses non-GET entries', async () => {
    const response = await mom.get('/fhir', {
      method: 'POST',
      headers: { 'content-type': 'application/fhir+json' },
      body: JSON.stringify({
        resourceType: 'Bundle',
        type: 'batch',
        entry: [
          { request: { method: 'GET', url: 'Patient/infant' } },
          { request: { method: 'GET', url: 'Observation?patient=infant&_count=2' } },
          { request: { method: 'GET', url: 'Patient/does-not-exist' } },
          { request: { method: 'DELETE', url: 'Patient/infant' } },
        ],
      }),
    });
    const bundle = await json<Bundle>(response);
    expect(bundle.type).toBe('batch-response');
    expect(bundle.entry?.map((e) => e.response?.status)).toEqual(['200', '200', '404', '405']);
  });

  it('records one audit record per request, and shows the family who viewed the record', async () => {
    const before = mom.audits.length;
    await mom.get('/fhir/Patient/infant');
    expect(mom.audits.length).toBe(before + 1);
    const record = mom.audits.at(-1);
    expect(record).toMatchObject({
      actor: 'http://ehr.test/fhir/RelatedPerson/mom',
      patient: 'Patient/infant',
      action: 'read',
      outcome: 'allowed',
      returned: ['Patient/infant'],
      withheld: [],
      query: 'GET /fhir/Patient/infant',
    });
    expect(record?.requestId).toMatch(/^req-/);
    const views = await listRecordViews(mom.store, 'Patient/infant');
    expect(views[0]).toMatchObject({ actor: 'http://ehr.test/fhir/RelatedPerson/mom', action: 'read', recordsShown: 1 });
    expect(JSON.stringify(views)).not.toContain('withheld');
  });
});

describe('FHIR facade: equivalence for an allowed principal', () => {
  it.each(['Observation', 'DocumentReference', 'Patient'])('returns the same %s resources as the upstream for the infant’s guardian', async (type) => {
    const direct = await sandbox.upstream().getJson(type === 'Patient' ? 'Patient?_id=infant' : `${type}?patient=Patient/infant&_count=100`);
    const upstreamIds = direct.ok ? ((direct.resource as Bundle).entry ?? []).map((e) => e.resource?.id).sort() : ['upstream failed'];
    const { ids } = await walkPages(mom, type === 'Patient' ? '/fhir/Patient' : `/fhir/${type}?patient=infant&_count=3`);
    expect(ids.sort()).toEqual(upstreamIds);
    expect(upstreamIds.length).toBeGreaterThan(0);
  });
});

describe('FHIR facade: hidden and missing are indistinguishable', () => {
  it('answers a hidden patient and a missing one with the same status, body and headers', async () => {
    const hidden = await mom.get('/fhir/Patient/no-birthdate');
    const missing = await mom.get('/fhir/Patient/never-existed');
    expect(hidden.status).toBe(404);
    expect(missing.status).toBe(404);
    expect(await hidden.text()).toBe(await missing.text());
    expect([...hidden.headers.entries()]).toEqual([...missing.headers.entries()]);
  });

  it('gives the same empty search for an unrelated patient and a nonexistent one', async () => {
    const unrelated = await json<Bundle>(await mom.get('/fhir/Observation?patient=no-birthdate'));
    const missing = await json<Bundle>(await mom.get('/fhir/Observation?patient=never-existed'));
    expect(unrelated.entry).toEqual([]);
    expect(missing.entry).toEqual([]);
  });
});

describe('FHIR facade: refusals', () => {
  it.each([
    ['/fhir/Observation', 400],
    ['/fhir/Observation?code=29463-7', 400],
    ['/fhir/Observation?patient=infant&_total=accurate', 400],
    ['/fhir/Observation?patient=infant&_total=estimate', 400],
    ['/fhir/Observation?patient=infant&_summary=count', 400],
    ['/fhir/Observation?patient=infant&_count=0', 400],
    ['/fhir/Observation?patient=infant&_has:Condition:subject:code=x', 400],
    ['/fhir/Observation?subject.name=Ana', 400],
    ['/fhir/Observation?subject:Patient.name=Ana', 400],
    ['/fhir/Observation?patient=infant&encounter.class=AMB', 400],
    ['/fhir/Observation?patient=infant&_filter=code eq x', 400],
    ['/fhir/Observation?patient=infant&_query=everything', 400],
    ['/fhir/Observation?patient=infant&_offset=5', 400],
    ['/fhir/Observation?patient=infant&_include=*', 400],
    ['/fhir/Observation?patient=infant&_include:iterate=Observation:subject', 400],
    ['/fhir/Observation?patient=infant&_revinclude=Provenance:target', 400],
    ['/fhir/Observation?patient=infant&unknown-param=1', 400],
    ['/fhir/Observation?patient=infant&_security=R', 400],
    ['/fhir/Observation?patient=http://other.example/Patient/infant', 400],
    ['/fhir/Patient/infant/$everything', 400],
    ['/fhir/$export', 400],
    ['/fhir/Patient/$export', 400],
    ['/fhir/$graphql?query={Patient{id}}', 400],
    ['/fhir/Observation/$lastn?patient=infant', 400],
    ['/fhir/Observation/weight-1/$meta', 400],
    ['/fhir/_history', 400],
    ['/fhir/Observation/_history', 400],
    ['/fhir/Consent?patient=infant', 400],
    ['/fhir/RelatedPerson/mom', 400],
    ['/fhir/Practitioner?name=Lee', 400],
    ['/fhir/Binary?_id=growth-pdf', 400],
    ['/fhir/Patient/infant?_format=xml', 400],
  ])('%s → %i OperationOutcome, no upstream call', async (path, status) => {
    sandbox.requests.length = 0;
    const response = await mom.get(path);
    expect(response.status).toBe(status);
    const outcome = await json<OperationOutcome>(response);
    expect(outcome.resourceType).toBe('OperationOutcome');
    expect(outcome.issue[0]?.diagnostics).toMatch(/\w+ \w+/);
    expect(sandbox.requests).toEqual([]);
  });

  it.each(['PUT', 'PATCH', 'DELETE', 'POST'])('refuses %s writes with 405', async (method) => {
    const response = await mom.get('/fhir/Observation/weight-1', { method, body: '{}' });
    expect(response.status).toBe(405);
    expect((await json<OperationOutcome>(response)).resourceType).toBe('OperationOutcome');
  });

  it('refuses a transaction bundle', async () => {
    const response = await mom.get('/fhir', { method: 'POST', body: JSON.stringify({ resourceType: 'Bundle', type: 'transaction', entry: [] }) });
    expect(response.status).toBe(405);
  });
});
