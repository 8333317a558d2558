/**
 * `npm run seed:remote`: the demo family into a writable FHIR server (the sandbox's open FHIR endpoint, empty),
 * through a proxy that behaves like a public test server on a bad day: 502/504 bursts on reads and writes (including
 * writes that happen but whose answer is lost), no Bundle.total, no meta, ids only in Location. Nothing may be lost or
 * written twice, references must point at the server's ids, and a second run must change nothing.
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Bundle, DocumentReference, FhirResource, Patient, RelatedPerson } from 'fhir/r4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEED_IDENTIFIER_SYSTEM, seedRemote, type SeedRemoteResult } from '../../../scripts/seed-remote.ts';
import { DEFAULT_SEED_DIR, startSandbox, type RunningSandbox } from '../../../sandbox/src/index.ts';
import { daysSinceAnchor, shiftDateString } from '../../../sandbox/src/seed/date-shift.ts';
import { flattenSeedItems, readSeedDirectory } from '../../../sandbox/src/seed/load-seed.ts';
import { listen, openMemoryStore } from '../gateway/interop-live.ts';

const TODAY = new Date('2026-11-22T12:00:00Z');
const MALFORMED_MARKER = 'do-not-print-this-raw-entry';

let sandbox: RunningSandbox;
let proxy: ReturnType<typeof createServer>;
let proxyBase: string;
const faults = { lostWrites: 0, refusedWrites: 0, failedReads: 0 };

/** Deterministic faults by request number; every response stripped of Bundle.total and meta. */
async function forward(req: IncomingMessage, res: ServerResponse, n: number): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const method = req.method ?? 'GET';
  if (method === 'GET' && n % 4 === 0) {
    faults.failedReads += 1;
    res.writeHead(n % 8 === 0 ? 504 : 502, { 'content-type': 'text/html' }).end('<html>Bad Gateway</html>');
    return;
  }
  if (method !== 'GET' && n % 9 === 0) {
    faults.refusedWrites += 1;
    res.writeHead(502).end();
    return;
  }
  const upstream = await fetch(`${sandbox.fhirBaseUrl}${(req.url ?? '/').slice('/fhir'.length)}`, {
    method,
    headers: { 'content-type': req.headers['content-type'] ?? 'application/fhir+json', accept: 'application/fhir+json' },
    ...(chunks.length > 0 ? { body: Buffer.concat(chunks) } : {}),
  });
  const text = await upstream.text();
  if (method !== 'GET' && n % 7 === 0) {
    faults.lostWrites += 1; // the write happened; its answer did not arrive
    res.writeHead(504).end();
    return;
  }
  let body = text;
  try {
    const json = JSON.parse(text) as Record<string, unknown>;
    const strip = (resource: Record<string, unknown>) => {
      delete resource['meta'];
      return resource;
    };
    delete json['total'];
    strip(json);
    for (const entry of (json['entry'] as Array<{ resource?: Record<string, unknown> }> | undefined) ?? []) if (entry.resource) strip(entry.resource);
    // A minimal write answer: no body, the id only in Location.
    body = method === 'POST' && n % 2 === 0 ? '' : JSON.stringify(json);
  } catch {
    // not JSON: pass through
  }
  const location = upstream.headers.get('location');
  res.writeHead(upstream.status, {
    'content-type': 'application/fhir+json',
    ...(location ? { location: location.replace(sandbox.fhirBaseUrl, proxyBase) } : {}),
  });
  res.end(body);
}

let requests = 0;
beforeAll(async () => {
  const emptySeed = mkdtempSync(join(tmpdir(), 'sprout-empty-seed-'));
  sandbox = await startSandbox({ openServer: true, seedDir: emptySeed, clients: [{ clientId: 'unused', redirectUris: ['http://127.0.0.1:9/callback'] }] });
  proxy = createServer((req, res) => {
    requests += 1;
    forward(req, res, requests).catch(() => res.writeHead(500).end());
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  proxyBase = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}/fhir`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => {
    if (proxy === undefined) return resolve();
    proxy.close(() => resolve());
    proxy.closeAllConnections();
  });
  await sandbox?.close();
});

async function search(query: string): Promise<FhirResource[]> {
  const bundle = (await (await fetch(`${sandbox.fhirBaseUrl}/${query}`, { headers: { accept: 'application/fhir+json' } })).json()) as Bundle;
  return (bundle.entry ?? []).map((e) => e.resource as FhirResource);
}

/** A copy of the demo family's folder plus a file with three malformed entries, in a temporary folder. */
function familyWithMalformedEntries(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sprout-seed-'));
  for (const name of readdirSync(DEFAULT_SEED_DIR).filter((n) => n.endsWith('.json'))) writeFileSync(join(dir, name), readFileSync(join(DEFAULT_SEED_DIR, name)));
  const malformed: Bundle = {
    resourceType: 'Bundle',
    type: 'batch',
    entry: [
      { resource: { resourceType: 'Observation', status: 'final', code: { text: MALFORMED_MARKER } } as FhirResource },
      { resource: { resourceType: 'not a type', id: MALFORMED_MARKER } as unknown as FhirResource },
      { resource: { resourceType: 'Patient', id: '../../etc', name: [{ text: MALFORMED_MARKER }] } as FhirResource },
    ],
  };
  writeFileSync(join(dir, 'zz-malformed.json'), JSON.stringify(malformed));
  return dir;
}

describe('seed:remote into a flaky FHIR server', () => {
  const logs: string[] = [];
  let first: SeedRemoteResult;
  let expected: FhirResource[];

  beforeAll(async () => {
    expected = flattenSeedItems((await readSeedDirectory(DEFAULT_SEED_DIR, { today: TODAY })).items);
    first = await seedRemote({ baseUrl: proxyBase, seedDir: familyWithMalformedEntries(), today: TODAY, retryDelayMs: 0, attempts: 4, log: (l) => logs.push(l) });
  }, 120_000);

  it('writes every resource exactly once despite lost answers and 502/504 bursts', async () => {
    expect(faults.lostWrites).toBeGreaterThan(0);
    expect(faults.refusedWrites).toBeGreaterThan(0);
    expect(faults.failedReads).toBeGreaterThan(0);
    expect(first.failed).toBe(0);
    // A write whose answer was lost is found by the next look-up and counted as already there, never written again.
    expect(first.reused).toBeGreaterThan(0);
    expect(first.created + first.reused).toBe(expected.length);
    expect(first.ids.size).toBe(expected.length);
    const counts = new Map<string, number>();
    for (const r of expected) if (r.resourceType !== 'Binary') counts.set(r.resourceType, (counts.get(r.resourceType) ?? 0) + 1);
    for (const [type, count] of counts) {
      const onServer = await search(`${type}?identifier=${encodeURIComponent(`${SEED_IDENTIFIER_SYSTEM}|`)}&_count=1000`);
      expect({ type, count: onServer.length }).toEqual({ type, count });
    }
  });

  it('points references at the ids the server assigned, dates shifted like the sandbox seed', async () => {
    const seedPatient = expected.find((r) => r.id === 'isabel-rivera') as Patient;
    const patientRef = first.ids.get('Patient/isabel-rivera');
    expect(patientRef).toMatch(/^Patient\/[A-Za-z0-9\-.]+$/);
    expect(patientRef).not.toBe('Patient/isabel-rivera');
    const patient = (await (await fetch(`${sandbox.fhirBaseUrl}/${patientRef}`)).json()) as Patient;
    expect(patient.birthDate).toBe(seedPatient.birthDate);
    const raw = (JSON.parse(readFileSync(join(DEFAULT_SEED_DIR, 'family.json'), 'utf8')) as Bundle).entry!.find((e) => e.resource?.id === 'isabel-rivera')!.resource as Patient;
    const { anchorDate } = JSON.parse(readFileSync(join(DEFAULT_SEED_DIR, 'seed-manifest.json'), 'utf8')) as { anchorDate: string };
    expect(patient.birthDate).toBe(shiftDateString(raw.birthDate!, daysSinceAnchor(anchorDate, TODAY)));
    const relatedPersons = (await search(`RelatedPerson?identifier=${encodeURIComponent(`${SEED_IDENTIFIER_SYSTEM}|`)}&_count=100`)) as RelatedPerson[];
    const serverIds = new Set(first.ids.values());
    for (const rp of relatedPersons) expect(serverIds).toContain(rp.patient.reference);
    const documents = (await search(`DocumentReference?identifier=${encodeURIComponent(`${SEED_IDENTIFIER_SYSTEM}|`)}&_count=100`)) as DocumentReference[];
    const binaryUrls = documents.flatMap((d) => d.content.map((c) => c.attachment.url)).filter((url) => url?.startsWith('Binary/'));
    expect(binaryUrls.length).toBeGreaterThan(0);
    for (const url of binaryUrls) {
      expect(serverIds).toContain(url);
      expect((await fetch(`${sandbox.fhirBaseUrl}/${url}`, { headers: { accept: 'application/fhir+json' } })).status).toBe(200);
    }
  });

  it('keeps the login identifiers and lists the people to act as', async () => {
    const maria = first.people.find((p) => p.login === 'maria');
    expect(maria).toMatchObject({ seedReference: 'Person/maria-rivera', name: 'Maria Rivera' });
    const person = (await (await fetch(`${sandbox.fhirBaseUrl}/${maria!.reference}`)).json()) as { identifier: Array<{ system: string; value: string }> };
    expect(person.identifier).toEqual(expect.arrayContaining([expect.objectContaining({ system: 'urn:sprout:sandbox:login', value: 'maria' })]));
    expect(first.people.map((p) => p.login).filter(Boolean).sort()).toEqual(['daniel', 'dr.shah', 'elena', 'isabel', 'maria']);
  });

  it('skips malformed seed entries and logs where they were, never their content', () => {
    expect(first.skipped).toBe(3);
    expect(logs.filter((l) => l.includes('skipped seed entry'))).toHaveLength(3);
    for (const line of logs) expect(line).not.toContain(MALFORMED_MARKER);
  });

  it('the portal in open-server mode, acting as the seeded guardian, sees the family through the rewritten links', async () => {
    const maria = first.people.find((p) => p.login === 'maria')!;
    const store = await openMemoryStore();
    const portal = await listen();
    try {
      portal.attach({ OPEN_SERVER_MODE: 'true', FHIR_BASE_URL: sandbox.fhirBaseUrl }, store);
      const login = await fetch(`${portal.url}/login`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded', origin: portal.url },
        body: new URLSearchParams({ fhirUser: maria.reference }).toString(),
      });
      expect(login.status).toBe(303);
      const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
      const view = (await (await fetch(`${portal.url}/api/session`, { headers: { cookie } })).json()) as { openServerMode: boolean; patients: Array<{ id: string }> };
      expect(view.openServerMode).toBe(true);
      const children = ['leo-rivera', 'sofia-rivera', 'mateo-rivera', 'isabel-rivera', 'elena-rivera'].map((id) => first.ids.get(`Patient/${id}`)?.slice('Patient/'.length));
      expect(view.patients.map((p) => p.id).sort()).toEqual([...children].sort());
    } finally {
      await portal.close();
      await store.close();
    }
  }, 60_000);

  it('a second run finds everything and writes nothing new', async () => {
    const second = await seedRemote({ baseUrl: sandbox.fhirBaseUrl, seedDir: DEFAULT_SEED_DIR, today: TODAY, retryDelayMs: 0, log: () => undefined });
    expect(second.failed).toBe(0);
    expect(second.created).toBe(0);
    expect(second.reused).toBe(expected.length);
    expect([...second.ids]).toEqual(expect.arrayContaining([...first.ids]));
    const patients = await search(`Patient?identifier=${encodeURIComponent(`${SEED_IDENTIFIER_SYSTEM}|`)}&_count=100`);
    expect(patients).toHaveLength(expected.filter((r) => r.resourceType === 'Patient').length);
  }, 120_000);
});
