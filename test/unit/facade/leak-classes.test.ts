/**
 * One test per leak class of issue 8 that the facade owns (2–7, and 9 for the facade's audit). Each was written
 * against the facade before its fix and failed there. The mother (Person/mom) signs in; her 15-year-old's restricted
 * care must look exactly like records that never existed, on every interaction, at the same upstream cost.
 */
import type { Bundle, BundleEntry } from 'fhir/r4';
import { beforeAll, describe, expect, it } from 'vitest';
import { BUILTIN_PROFILES } from '../../../gateway/src/policy/index.ts';
import { createHarness, principalFor } from '../leaks/support/facade-harness.ts';
import type { Harness } from '../leaks/support/facade-harness.ts';
import { createSandboxUpstream } from '../leaks/support/sandbox-upstream.ts';
import type { SandboxUpstream } from '../leaks/support/sandbox-upstream.ts';
import { HIDDEN_TEXT, NOW, TEEN_HIDDEN, TEEN_VERSIONED_V2, teenFamily } from './teen-family.ts';

let sandbox: SandboxUpstream;
let versionIds: string[] = [];

beforeAll(async () => {
  sandbox = await createSandboxUpstream(teenFamily());
  const put = await sandbox.service.handle({ method: 'PUT', path: '/Observation/teen-versioned', query: new URLSearchParams(), body: TEEN_VERSIONED_V2, accept: undefined });
  expect(put.status).toBe(200);
  const history = await sandbox.service.handle({ method: 'GET', path: '/Observation/teen-versioned/_history', query: new URLSearchParams(), body: undefined, accept: undefined });
  const bundle = JSON.parse(String(history.body)) as Bundle;
  versionIds = (bundle.entry ?? []).map((entry) => entry.resource?.meta?.versionId ?? '');
  expect(versionIds).toHaveLength(2);
});

describe.each(['ca-adolescent-split', 'ca-strict'] as const)('leak classes under %s', (profileId) => {
  let mom: Harness;
  beforeAll(() => {
    mom = createHarness({ upstream: sandbox.upstream(), principal: principalFor('Person/mom'), profile: BUILTIN_PROFILES[profileId], now: NOW });
  });

  /** Status, headers and body of an answer, with the caller's own self link taken out. */
  async function answer(path: string, init?: RequestInit): Promise<{ status: number; headers: string; body: string; calls: number }> {
    const before = sandbox.requests.length;
    const response = await mom.get(path, init);
    const body = (await response.text()).replace(/"relation":"self","url":"[^"]*"/, '"relation":"self"');
    const headers = [...response.headers.entries()].map(([name, value]) => `${name}: ${value}`).join('\n');
    return { status: response.status, headers, body, calls: sandbox.requests.length - before };
  }

  function expectNothingHidden(text: string): void {
    for (const reference of TEEN_HIDDEN) expect(text).not.toContain(reference.split('/')[1]);
    for (const phrase of HIDDEN_TEXT) expect(text).not.toContain(phrase);
  }

  it('class 2: history and vread of a record whose current version is restricted show no version', async () => {
    const missingHistory = await answer('/fhir/Observation/never-was/_history');
    const hiddenHistory = await answer('/fhir/Observation/teen-versioned/_history');
    expect(hiddenHistory).toEqual(missingHistory);
    expect(hiddenHistory.status).toBe(404);
    for (const versionId of versionIds) {
      const hidden = await answer(`/fhir/Observation/teen-versioned/_history/${versionId}`);
      const missing = await answer(`/fhir/Observation/never-was/_history/${versionId}`);
      expect(hidden).toEqual(missing);
      expect(hidden.status).toBe(404);
    }
  });

  it('class 3: hidden, missing, deleted and malformed ids answer byte-identically on every interaction', async () => {
    const hidden = 'teen-labelled-only';
    for (const [hiddenPath, missingPaths] of [
      [`/fhir/Observation/${hidden}`, ['/fhir/Observation/never-was', '/fhir/Observation/bad%20id!']],
      [`/fhir/Observation/${hidden}/_history`, ['/fhir/Observation/never-was/_history', '/fhir/Observation/bad%20id!/_history']],
      [`/fhir/Observation/${hidden}/_history/1`, ['/fhir/Observation/never-was/_history/1']],
      ['/fhir/Binary/teen-bh-content', ['/fhir/Binary/never-was', '/fhir/Binary/bad%20id!']],
    ] as const) {
      const expected = await answer(hiddenPath);
      expect(expected.status, hiddenPath).toBe(404);
      for (const path of missingPaths) {
        const got = await answer(path);
        expect({ ...got, calls: 0 }, path).toEqual({ ...expected, calls: 0 });
      }
    }
    // The same inside a batch: one entry per form, all alike.
    const batch = await answer('/fhir', {
      method: 'POST',
      body: JSON.stringify({
        resourceType: 'Bundle',
        type: 'batch',
        entry: [
          `Observation/${hidden}`,
          'Observation/never-was',
          `Observation/${hidden}/_history`,
          'Observation/never-was/_history',
          `Observation/teen-versioned/_history/${versionIds[0] ?? ''}`,
          'Observation/never-was/_history/1',
        ].map((url) => ({ request: { method: 'GET', url } })),
      }),
    });
    const entries = (JSON.parse(batch.body) as Bundle).entry ?? [];
    expect(entries).toHaveLength(6);
    const first = JSON.stringify(entries[0]);
    for (const entry of entries) expect(JSON.stringify(entry)).toBe(first);
    expect(entries[0]?.response?.status).toBe('404');
  });

  it('class 3: a deleted record answers like one that never existed, on every interaction', async () => {
    const deleted = `teen-weight-0-deleted-${profileId}`;
    const created = await sandbox.service.handle({
      method: 'PUT',
      path: `/Observation/${deleted}`,
      query: new URLSearchParams(),
      body: { resourceType: 'Observation', id: deleted, status: 'final', code: { text: 'Body weight' }, subject: { reference: 'Patient/baby' } },
      accept: undefined,
    });
    expect(created.status).toBeLessThan(300);
    const versionId = (JSON.parse(String(created.body)) as { meta?: { versionId?: string } }).meta?.versionId ?? '1';
    expect((await answer(`/fhir/Observation/${deleted}`)).status).toBe(200);
    const removed = await sandbox.service.handle({ method: 'DELETE', path: `/Observation/${deleted}`, query: new URLSearchParams(), body: undefined, accept: undefined });
    expect(removed.status).toBeLessThan(300);
    for (const [asDeleted, asMissing] of [
      [`/fhir/Observation/${deleted}`, '/fhir/Observation/never-was'],
      [`/fhir/Observation/${deleted}/_history`, '/fhir/Observation/never-was/_history'],
      [`/fhir/Observation/${deleted}/_history/${versionId}`, `/fhir/Observation/never-was/_history/${versionId}`],
    ] as const) {
      const got = await answer(asDeleted);
      expect(got.status, asDeleted).toBe(404);
      expect(got, asDeleted).toEqual(await answer(asMissing));
    }
  });

  it('class 4: a cursor is handed out only when a further visible entry exists', async () => {
    // The baby's three visible weights, then four restricted results: a page of three must not offer a next page.
    const page = JSON.parse((await answer('/fhir/Observation?patient=Patient/baby&_count=3&_sort=date')).body) as Bundle;
    const matches = (page.entry ?? []).filter((entry: BundleEntry) => entry.search?.mode === 'match');
    expect(matches.map((entry) => entry.resource?.id).sort()).toEqual(['baby-weight-0', 'baby-weight-1', 'baby-weight-2']);
    expect(page.link?.find((link) => link.relation === 'next')).toBeUndefined();
    // Adding a sensitive code to a code= list changes nothing a guardian can see.
    const plain = await answer('/fhir/Observation?patient=Patient/baby&code=29463-7&_count=3');
    const withSensitive = await answer('/fhir/Observation?patient=Patient/baby&code=29463-7,21613-5&_count=3');
    const withoutCursor = (body: string): string => body.replace(/cursor=[^"]*/g, 'cursor=…');
    expect(withoutCursor(withSensitive.body)).toBe(withoutCursor(plain.body));
    // A visible entry beyond the page does get a cursor, and the next page holds it.
    const small = JSON.parse((await answer('/fhir/Observation?patient=Patient/baby&_count=2&_sort=date')).body) as Bundle;
    const nextUrl = small.link?.find((link) => link.relation === 'next')?.url;
    expect(nextUrl).toBeDefined();
    const second = JSON.parse((await answer(new URL(nextUrl ?? '').pathname + new URL(nextUrl ?? '').search)).body) as Bundle;
    expect((second.entry ?? []).map((entry) => entry.resource?.id)).toEqual(['baby-weight-2']);
    expect(second.link?.find((link) => link.relation === 'next')).toBeUndefined();
  });

  it('class 5: a Binary is served only through a visible record carrying it, and its own labels are judged', async () => {
    expect((await answer('/fhir/Binary/teen-bh-content')).status).toBe(404);
    expect((await answer('/fhir/Binary/teen-labelled-pdf')).status).toBe(404);
    const missing = await answer('/fhir/Binary/never-was');
    expect(await answer('/fhir/Binary/teen-bh-content')).toEqual(missing);
    expect(await answer('/fhir/Binary/teen-labelled-pdf')).toEqual(await answer('/fhir/Binary/teen-missing-pdf'));
    expect({ ...(await answer('/fhir/Binary/teen-labelled-pdf')), calls: 0 }).toEqual({ ...missing, calls: 0 });
    if (profileId === 'ca-adolescent-split') expect((await answer('/fhir/Binary/teen-growth-pdf')).status).toBe(200);
  });

  it('class 6: a reference parameter naming a hidden record answers like a never-existing id, at the same cost', async () => {
    for (const [child, parameter, hidden] of [
      ['teen', 'encounter', 'Encounter/teen-clinic'],
      ['teen', 'has-member', 'Observation/teen-naat-0'],
      ['baby', 'encounter', 'Encounter/baby-clinic'],
      ['baby', 'has-member', 'Observation/baby-restricted-0'],
    ] as const) {
      const asHidden = await answer(`/fhir/Observation?patient=Patient/${child}&${parameter}=${hidden}`);
      const asMissing = await answer(`/fhir/Observation?patient=Patient/${child}&${parameter}=${hidden.split('/')[0] ?? ''}/never-was`);
      expect(asHidden.status).toBe(200);
      expect(asHidden, `${child} ${parameter}`).toEqual(asMissing);
      expectNothingHidden(asHidden.body);
    }
  });

  it('class 7: hidden and missing records cost the same upstream calls', async () => {
    for (const [hidden, missing] of [
      ['/fhir/Observation/teen-labelled-only', '/fhir/Observation/never-was'],
      ['/fhir/Observation/teen-labelled-only/_history', '/fhir/Observation/never-was/_history'],
      [`/fhir/Observation/teen-versioned/_history/${versionIds[0] ?? ''}`, '/fhir/Observation/never-was/_history/1'],
      ['/fhir/Binary/teen-bh-content', '/fhir/Binary/never-was'],
      ['/fhir/Binary/teen-labelled-pdf', '/fhir/Binary/teen-missing-pdf'],
      ['/fhir/Patient/teen/Observation?encounter=Encounter/teen-clinic', '/fhir/Patient/teen/Observation?encounter=Encounter/never-was'],
    ] as const) {
      const a = await answer(hidden);
      const b = await answer(missing);
      expect(a.calls, `${hidden} vs ${missing}`).toBe(b.calls);
      expect(a.body, `${hidden} vs ${missing}`).toBe(b.body);
    }
  });

  it('class 9: a search over two children writes one audit row per child disclosed', async () => {
    const before = mom.audits.length;
    const response = await answer('/fhir/Patient?_id=teen,baby');
    const shown = ((JSON.parse(response.body) as Bundle).entry ?? []).map((entry) => entry.resource?.id ?? '');
    // Under ca-strict the teen's record (her Patient resource included) is not shown to her mother at all.
    const expected = profileId === 'ca-strict' ? ['baby'] : ['baby', 'teen'];
    expect(shown.sort()).toEqual(expected);
    const rows = mom.audits.slice(before);
    expect(rows.map((row) => row.patient).sort()).toEqual(expected.map((id) => `Patient/${id}`));
    for (const row of rows) {
      const prefix = row.patient ?? '-';
      expect(row.returned.length).toBeGreaterThan(0);
      for (const reference of row.returned) expect(reference.startsWith(prefix)).toBe(true);
      expect(row.requestId).toBe(rows[0]?.requestId);
    }
  });
});
