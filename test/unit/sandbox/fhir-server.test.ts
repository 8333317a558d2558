import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Bundle, Encounter, FhirResource, Observation } from 'fhir/r4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../../sandbox/src/index.ts';

const EXTERNAL = fileURLToPath(new URL('../../../../shared/fixtures/external/', import.meta.url));
let sandbox: RunningSandbox;

beforeAll(async () => {
  sandbox = await startSandbox({ openServer: true, clients: [{ clientId: 'portal', clientSecret: 's', redirectUris: ['http://127.0.0.1:9/cb'] }] });
});
afterAll(async () => {
  await sandbox?.close();
});

async function get<T = Bundle>(path: string): Promise<T> {
  const url = path.startsWith('http') ? path : `${sandbox.fhirBaseUrl}/${path}`;
  const response = await fetch(url, { headers: { accept: 'application/fhir+json' } });
  expect(response.status, `${url}: ${response.status}`).toBe(200);
  return await response.json() as T;
}
async function post(body: unknown): Promise<{ status: number; json: FhirResource }> {
  const response = await fetch(`${sandbox.fhirBaseUrl}/`, { method: 'POST', headers: { 'content-type': 'application/fhir+json' }, body: JSON.stringify(body) });
  return { status: response.status, json: await response.json() as FhirResource };
}
const link = (bundle: Bundle, relation: string) => bundle.link?.find((l) => l.relation === relation)?.url;
const ids = (bundle: Bundle, type?: string) => (bundle.entry ?? []).filter((e) => !type || e.resource?.resourceType === type).map((e) => e.resource?.id);

describe('sandbox FHIR server with the family seed', () => {
  it('derives the demo accounts from the data', () => {
    expect(sandbox.accounts.map((a) => `${a.username}=${a.accountId}`)).toEqual([
      'daniel=RelatedPerson/daniel-rivera-for-isabel', 'dr.shah=Practitioner/priya-shah', 'elena=Patient/elena-rivera',
      'isabel=Patient/isabel-rivera', 'maria=Person/maria-rivera',
    ]);
    expect(sandbox.accounts.find((a) => a.username === 'maria')?.fhirUser).toBe(`${sandbox.fhirBaseUrl}/Person/maria-rivera`);
  });

  it('reads the guardian Person with a link to one RelatedPerson per child, and includes the patients', async () => {
    const person = await get<{ link?: Array<{ target: { reference?: string } }> }>('Person/maria-rivera');
    expect(person.link?.map((l) => l.target.reference)).toHaveLength(5);
    const related = await get('RelatedPerson?_id=maria-rivera-for-leo,maria-rivera-for-isabel&_include=RelatedPerson:patient');
    expect(ids(related, 'Patient').sort()).toEqual(['isabel-rivera', 'leo-rivera']);
    expect(related.entry?.every((e) => e.fullUrl?.startsWith(`${sandbox.fhirBaseUrl}/`))).toBe(true);
  });

  it('pages with working next/previous links', async () => {
    const first = await get('Observation?patient=Patient/leo-rivera&_count=5&_sort=date');
    expect(first.entry).toHaveLength(5);
    expect(link(first, 'previous')).toBeUndefined();
    const next = link(first, 'next');
    expect(next).toBeDefined();
    const second = await get(next ?? '');
    expect(second.entry).toHaveLength(5);
    expect(ids(second).some((id) => ids(first).includes(id))).toBe(false);
    const back = await get(link(second, 'previous') ?? '');
    expect(ids(back)).toEqual(ids(first));
    let page: Bundle = first;
    const seen = new Set<string | undefined>();
    for (let i = 0; i < 20 && page; i += 1) {
      ids(page).forEach((id) => seen.add(id));
      const url = link(page, 'next');
      if (!url) break;
      page = await get(url);
    }
    expect(seen.size).toBe(first.total);
  });

  it('sorts, searches tokens and dates, and finds compartment members', async () => {
    const a1c = await get<Bundle<Observation>>('Observation?code=http://loinc.org|4548-4&patient=mateo-rivera&_sort=-date');
    const values = a1c.entry?.map((e) => e.resource?.valueQuantity?.value);
    expect(values).toEqual([6.8, 7.1, 7.6, 8.4, 11.2]);
    const dates = a1c.entry?.map((e) => e.resource?.effectiveDateTime ?? '') ?? [];
    const cutoff = dates[2] ?? '';
    const recent = await get(`Observation?code=http://loinc.org|4548-4&patient=mateo-rivera&date=ge${encodeURIComponent(cutoff)}`);
    expect(recent.entry).toHaveLength(3);
    const compartment = await get('Patient/isabel-rivera/MedicationRequest?_count=50');
    expect(ids(compartment).sort()).toEqual(['isabel-albuterol', 'isabel-azithromycin', 'isabel-fluticasone', 'isabel-yaz']);
    const restricted = await get('Observation?_security=http://terminology.hl7.org/CodeSystem/v3-Confidentiality|R&patient=isabel-rivera');
    expect(ids(restricted).length).toBeGreaterThanOrEqual(4);
  });

  it('revincludes and resolves DocumentReference attachments to raw Binary bytes', async () => {
    const withReports = await get('Patient?_id=elena-rivera&_revinclude=DiagnosticReport:patient');
    expect(ids(withReports, 'DiagnosticReport').length).toBe(4);
    const doc = await get<{ content: Array<{ attachment: { url: string; contentType: string } }> }>('DocumentReference/isabel-return-to-school');
    const attachment = doc.content[0]?.attachment;
    const raw = await fetch(`${sandbox.fhirBaseUrl}/${attachment?.url ?? ''}`, { headers: { accept: 'text/plain' } });
    expect(raw.headers.get('content-type')).toBe('text/plain');
    expect(await raw.text()).toContain('may return to school');
  });

  it('answers metadata, read, vread and history', async () => {
    const metadata = await get<{ resourceType: string; fhirVersion: string }>('metadata');
    expect(metadata.resourceType).toBe('CapabilityStatement');
    expect(metadata.fhirVersion).toBe('4.0.1');
    const patient = await get<{ meta: { versionId: string } }>('Patient/sofia-rivera');
    const version = await get<{ id: string }>(`Patient/sofia-rivera/_history/${patient.meta.versionId}`);
    expect(version.id).toBe('sofia-rivera');
    const history = await get('Patient/sofia-rivera/_history');
    expect(history.type).toBe('history');
    expect((await fetch(`${sandbox.fhirBaseUrl}/Patient/nobody`)).status).toBe(404);
  });

  it('processes a transaction with urn:uuid fullUrls and conditional references', async () => {
    const practitioner = await post({ resourceType: 'Bundle', type: 'batch', entry: [{
      resource: { resourceType: 'Practitioner', identifier: [{ system: 'http://hl7.org/fhir/sid/us-npi', value: '1234567893' }], name: [{ family: 'Okafor' }] },
      request: { method: 'POST', url: 'Practitioner' },
    }] });
    expect(practitioner.status).toBe(200);
    const result = await post({
      resourceType: 'Bundle', type: 'transaction',
      entry: [
        { fullUrl: 'urn:uuid:2b8c1d2e-0f3a-4b7c-9d1e-5f6a7b8c9d0e', resource: { resourceType: 'Patient', name: [{ family: 'Transaction' }] }, request: { method: 'POST', url: 'Patient' } },
        { fullUrl: 'urn:uuid:7c1e2d3f-4a5b-4c6d-8e9f-0a1b2c3d4e5f', resource: {
          resourceType: 'Encounter', status: 'finished', class: { code: 'AMB' },
          subject: { reference: 'urn:uuid:2b8c1d2e-0f3a-4b7c-9d1e-5f6a7b8c9d0e' },
          participant: [{ individual: { reference: 'Practitioner?identifier=http://hl7.org/fhir/sid/us-npi|1234567893' } }],
        }, request: { method: 'POST', url: 'Encounter' } },
      ],
    });
    expect(result.status).toBe(200);
    const bundle = result.json as Bundle;
    const encounterId = bundle.entry?.[1]?.response?.location?.split('/')[1] ?? '';
    const encounter = await get<Encounter>(`Encounter/${encounterId}`);
    expect(encounter.subject?.reference).toMatch(/^Patient\/[\w-]+$/);
    expect(encounter.participant?.[0]?.individual?.reference).toMatch(/^Practitioner\/[\w-]+$/);

    const unresolvable = await post({ resourceType: 'Bundle', type: 'transaction', entry: [{
      resource: { resourceType: 'Encounter', status: 'finished', class: { code: 'AMB' }, participant: [{ individual: { reference: 'Practitioner?identifier=urn:none|0' } }] },
      request: { method: 'POST', url: 'Encounter' },
    }] });
    expect(unresolvable.status).toBe(412);
  });

  it.skipIf(!existsSync(EXTERNAL))('loads a Synthea patient with its hospital and practitioner bundles', async () => {
    const files = ['synthea-exf-ca-qicore__hospitalInformation1753719443038.json', 'synthea-exf-ca-qicore__practitionerInformation1753719443038.json', 'synthea-exf-ca-qicore__e0bd4f77-1309-5799-6d56-395e114cdf15.json'];
    for (const file of files) {
      const result = await post(JSON.parse(readFileSync(`${EXTERNAL}${file}`, 'utf8')) as unknown);
      expect(result.status, file).toBe(200);
      const failed = (result.json as Bundle).entry?.filter((e) => !/^2\d\d/.test(e.response?.status ?? ''));
      expect(failed, file).toEqual([]);
    }
    const patient = await get('Patient?identifier=https://github.com/synthetichealth/synthea|e0bd4f77-1309-5799-6d56-395e114cdf15');
    const patientId = ids(patient)[0] ?? '';
    const encounters = await get<Bundle<Encounter>>(`Patient/${patientId}/Encounter?_count=1&_include=Encounter:participant`);
    expect(encounters.total).toBeGreaterThan(0);
    expect(encounters.entry?.[0]?.resource?.participant?.[0]?.individual?.reference).toMatch(/^Practitioner\/[\w-]+$/);
    expect(ids(encounters, 'Practitioner')).toHaveLength(1);
  });
});
