/**
 * The leak suite. For every signed-in person of the family fixture, both shipped profiles and every child, it walks
 * every facade path (read, vread, history, type and compartment search with cursor paging, _include/_revinclude,
 * batch, Binary, refused parameters, errors) and asserts that no hidden resource's id, content or existence shows
 * anywhere in the answer — body or headers — and that no answer carries a count.
 *
 * Ground truth is computed independently of the facade: the per-patient decision from the access loader over a
 * direct upstream, then the policy core's verdict on every fixture resource with a resolver over the whole fixture,
 * plus a hand-written list of Isabel's minor-consented items that must be hidden from both her guardians.
 */
import type { Binary, Bundle, FhirResource, Resource } from 'fhir/r4';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadFamilyAccess } from '../../../gateway/src/access/load-access.ts';
import { attachmentsOf, binaryReferenceOf, patientIdsOf } from '../../../gateway/src/fhir/compartment.ts';
import { PATIENT_TYPES, SHARED_TYPES } from '../../../gateway/src/fhir/search-parameters.ts';
import { BUILTIN_PROFILES, decideResource } from '../../../gateway/src/policy/index.ts';
import type { HospitalProfile } from '../../../gateway/src/policy/index.ts';
import { loadSeedDirectory } from '../../../sandbox/src/seed/load-seed.ts';
import { createHarness, principalFor } from './support/facade-harness.ts';
import type { Harness } from './support/facade-harness.ts';
import { createSandboxUpstream, SANDBOX_BASE } from './support/sandbox-upstream.ts';
import type { SandboxUpstream } from './support/sandbox-upstream.ts';

const FAMILY_DIR = new URL('../../../fixtures/family/', import.meta.url).pathname;
/** The fixture's anchor day (no date shift), late afternoon in California. */
const NOW = Date.parse('2025-06-02T23:00:00Z');
const CHILDREN = ['leo-rivera', 'sofia-rivera', 'mateo-rivera', 'isabel-rivera', 'elena-rivera'];
const PRINCIPALS = ['Person/maria-rivera', 'RelatedPerson/daniel-rivera-for-isabel', 'Patient/isabel-rivera', 'Patient/elena-rivera'];
// ca-strict-messaging: guardians of 12–17 keep the balance due (bills "balance-only") but never a statement line.
const PROFILES: readonly (keyof typeof BUILTIN_PROFILES)[] = ['ca-strict', 'ca-adolescent-split', 'ca-strict-messaging'];

/** Isabel's minor-consented care (fixtures/family/generate.ts): hidden from Maria and Daniel under every profile. */
const ISABEL_MINOR_CONSENTED = [
  'Encounter/isabel-teen-clinic-visit',
  'Observation/isabel-chlamydia-naat',
  'Observation/isabel-gonorrhea-naat',
  'DiagnosticReport/isabel-sti-panel',
  'Condition/isabel-chlamydia',
  'MedicationRequest/isabel-azithromycin',
  'MedicationRequest/isabel-yaz',
  'Observation/isabel-hcg-urine',
  'Appointment/isabel-appt-teen-clinic',
  'Encounter/isabel-behavioral-health-visit',
  'Condition/isabel-anxiety',
  'Observation/isabel-gad7',
  'Observation/isabel-phq-teen',
  'DocumentReference/isabel-bh-note',
  'Binary/isabel-bh-note-content',
  'Appointment/isabel-appt-behavioral-health',
  'Observation/isabel-audit-c',
  'Observation/isabel-dast-10',
  // Her own message thread with Dr. Shah (fixtures/family/messages.json): a teen's messages never reach a guardian.
  'Communication/msg-isabel-private',
  'Communication/msg-isabel-private-reply',
  // Her bill's lines (fixtures/family/billing.json): a guardian sees at most the balance, never a line item.
  'Invoice/isabel-2025-05-statement',
  'ChargeItem/isabel-asthma-office-visit',
  'ChargeItem/isabel-teen-clinic-visit',
  'ChargeItem/isabel-ct-naat',
];

let sandbox: SandboxUpstream;
let all: Resource[] = [];
const byReference = new Map<string, Resource>();

const ref = (resource: Resource): string => `${resource.resourceType}/${resource.id ?? ''}`;

beforeAll(async () => {
  const items = await loadSeedDirectory(FAMILY_DIR, { today: new Date(NOW) });
  sandbox = await createSandboxUpstream(items as FhirResource[], { replayRepeatedGets: true });
  for (const type of ['Patient', 'Binary', ...Object.keys(PATIENT_TYPES), ...SHARED_TYPES]) {
    for (const resource of await sandbox.service.searchResources(`${type}?_count=1000`)) {
      all.push(resource);
      byReference.set(ref(resource), resource);
    }
  }
  all = all.filter((resource) => resource.id !== undefined);
}, 60_000);

interface Truth {
  hidden: Set<string>;
  visible: Set<string>;
  /** Human text (code displays) found only in hidden resources. */
  hiddenText: Set<string>;
  /** One pattern matching any hidden resource's id as a reference ("Type/id") or as an id ("id":"…"). */
  hiddenIdPattern: RegExp;
}

/** A hidden reference's id as it could show in an answer: after "Type/" or as `"id":"…"`, not as part of a longer id. */
function idPattern(reference: string): string {
  const [type, id] = reference.split('/');
  return `(?:${type}/|"id":")${(id ?? '').replace(/[.\-]/g, '\\$&')}(?![A-Za-z0-9\\-.])`;
}

/** What this principal may see under this profile, decided without the facade. */
async function groundTruth(principal: string, profile: HospitalProfile): Promise<Truth> {
  const family = await loadFamilyAccess(sandbox.upstream(), principalFor(principal), { profile, asOf: new Date(NOW) });
  const decisions = new Map(family.patients.map((entry) => [entry.decision.patient, entry]));
  const resolve = (reference: string) => byReference.get(reference.replace(`${SANDBOX_BASE}/`, ''));
  const hidden = new Set<string>();
  const visible = new Set<string>();
  for (const resource of all) {
    if (resource.resourceType === 'Binary' || SHARED_TYPES.includes(resource.resourceType)) continue;
    const [patientId] = patientIdsOf(resource, SANDBOX_BASE);
    const access = patientId === undefined ? undefined : decisions.get(`Patient/${patientId}`);
    const shown = access !== undefined && access.decision.level !== 'none' && decideResource(access.decision, resource, resolve, profile, access.patient).effect === 'show';
    (shown ? visible : hidden).add(ref(resource));
  }
  // A Binary is visible only through a visible document that carries it as an attachment (its securityContext alone
  // authorises nothing), and only when it carries no restricted label of its own.
  for (const binary of all.filter((resource): resource is Binary => resource.resourceType === 'Binary')) {
    const viaDocument = all.some(
      (resource) => visible.has(ref(resource)) && attachmentsOf(resource).some((attachment) => binaryReferenceOf(attachment.url, SANDBOX_BASE) === ref(binary)),
    );
    const restricted = (binary.meta?.security ?? []).some((label) => label.code === 'R' || label.code === 'V');
    (viaDocument && !restricted ? visible : hidden).add(ref(binary));
  }
  // Phrases that also occur in visible or shared records (a department name, a practitioner) are not secrets.
  const visibleJson = all
    .filter((resource) => visible.has(ref(resource)) || SHARED_TYPES.includes(resource.resourceType))
    .map((resource) => JSON.stringify(resource))
    .join('\n');
  const hiddenText = new Set<string>();
  for (const reference of hidden) {
    const text = JSON.stringify(byReference.get(reference));
    for (const match of text.matchAll(/"(?:display|text)":"([^"]{12,})"/g)) {
      const phrase = match[1] ?? '';
      if (!visibleJson.includes(phrase)) hiddenText.add(phrase);
    }
  }
  // No hidden resources (an empty alternation would match everywhere): a pattern that never matches.
  const hiddenIdPattern = hidden.size === 0 ? /(?!)/ : new RegExp([...hidden].map(idPattern).join('|'));
  return { hidden, visible, hiddenText, hiddenIdPattern };
}

/** Body and headers (minus the per-request id) as one text to search. */
async function exposed(response: Response): Promise<string> {
  const headers = [...response.headers.entries()].filter(([name]) => name !== 'x-request-id').map(([n, v]) => `${n}: ${v}`);
  return `${headers.join('\n')}\n\n${await response.clone().text()}`;
}

function assertNoLeak(text: string, truth: Truth, where: string): void {
  if (truth.hiddenIdPattern.test(text)) {
    const shown = [...truth.hidden].filter((reference) => new RegExp(idPattern(reference)).test(text));
    throw new Error(`${where}: hidden ${shown.join(', ')} shows in the answer`);
  }
  for (const phrase of truth.hiddenText) {
    if (text.includes(phrase)) throw new Error(`${where}: text of a hidden record ("${phrase}") shows in the answer`);
  }
  if (/"total"\s*:/.test(text)) throw new Error(`${where}: a count (Bundle.total) shows in the answer`);
}

/**
 * What the read test asks for: every hidden resource, and of the others (visible or shared) the first two of each type
 * plus every third one, by reference order — the same sample on every run.
 */
function readTargets(truth: Truth): Resource[] {
  const sorted = [...all].sort((a, b) => ref(a).localeCompare(ref(b)));
  const seenPerType = new Map<string, number>();
  return sorted.filter((resource) => {
    if (truth.hidden.has(ref(resource))) return true;
    const index = seenPerType.get(resource.resourceType) ?? 0;
    seenPerType.set(resource.resourceType, index + 1);
    return index < 2 || index % 3 === 0;
  });
}

async function walk(harness: Harness, path: string, truth: Truth, seen: Set<string>): Promise<void> {
  let url: string | undefined = path;
  for (let page = 0; url !== undefined && page < 30; page += 1) {
    const response = await harness.get(url);
    const text = await exposed(response);
    // The self link echoes what the caller asked (their own words); everything else is scanned.
    assertNoLeak(text.replaceAll(JSON.stringify(`http://portal.test${path}`).slice(1, -1), '<self>').replaceAll(`http://portal.test${path}`, '<self>'), truth, url);
    if (response.status !== 200) return;
    const bundle = JSON.parse(text.slice(text.indexOf('\n\n') + 2)) as Bundle;
    for (const entry of bundle.entry ?? []) if (entry.resource !== undefined) seen.add(ref(entry.resource));
    const next = bundle.link?.find((link) => link.relation === 'next')?.url;
    url = next === undefined ? undefined : `${new URL(next).pathname}${new URL(next).search}`;
  }
}

describe.each(PROFILES)('no leak under profile %s', (profileId) => {
  const profile = BUILTIN_PROFILES[profileId];

  describe.each(PRINCIPALS)('signed in as %s', (principal) => {
    let harness: Harness;
    let truth: Truth;

    beforeAll(async () => {
      truth = await groundTruth(principal, profile);
      harness = createHarness({ upstream: sandbox.upstream(), principal: principalFor(principal), profile, now: NOW, limits: { maxUpstreamPagesPerRequest: 2 } });
    });

    it('hides Isabel’s minor-consented care from her guardians', () => {
      if (!principal.includes('maria') && !principal.includes('daniel')) return;
      for (const reference of ISABEL_MINOR_CONSENTED) expect(truth.hidden.has(reference), reference).toBe(true);
    });

    it('reads, vreads and histories: hidden answers exactly like missing', async () => {
      const missing = await harness.get('/fhir/Observation/no-such-record');
      const missingBody = await missing.text();
      // Every hidden resource by every read path; visible and shared ones by a deterministic sample (they can only
      // leak through what they point at, which the searches below cover in bulk).
      for (const resource of readTargets(truth)) {
        const reference = ref(resource);
        const paths = [`/fhir/${reference}`];
        if (resource.resourceType !== 'Binary') {
          paths.push(`/fhir/${reference}/_history`);
          if (resource.meta?.versionId !== undefined) paths.push(`/fhir/${reference}/_history/${resource.meta.versionId}`);
        }
        for (const path of paths) {
          const response = await harness.get(path);
          assertNoLeak(await exposed(response), truth, path);
          if (truth.hidden.has(reference)) {
            expect(response.status, path).toBe(404);
            expect(await response.text(), path).toBe(missingBody);
            expect([...response.headers.keys()].sort(), path).toEqual([...missing.headers.keys()].sort());
          }
        }
      }
    });

    it.each(CHILDREN)('searches, compartments, includes and cursors for %s', async (child) => {
      const seen = new Set<string>();
      for (const type of Object.keys(PATIENT_TYPES)) {
        // Small pages walk the cursors; the compartment form shares that paging code, so one large page suffices.
        await walk(harness, `/fhir/${type}?patient=Patient/${child}&_count=4`, truth, seen);
        await walk(harness, `/fhir/Patient/${child}/${type}?_count=100`, truth, seen);
      }
      await walk(harness, `/fhir/Observation?patient=${child}&_include=Observation:encounter&_include=Observation:performer&_count=5`, truth, seen);
      await walk(harness, `/fhir/Encounter?patient=${child}&_revinclude=Observation:encounter&_revinclude=Condition:encounter&_count=3`, truth, seen);
      await walk(harness, `/fhir/DiagnosticReport?subject=Patient/${child}&_include=DiagnosticReport:result&_count=2`, truth, seen);
      await walk(harness, `/fhir/Observation?patient=${child}&_elements=code&_count=3`, truth, seen);
      await walk(harness, `/fhir/Patient?_id=${child}`, truth, seen);
      // Everything the facade showed is visible by the ground truth (includes may add shared resources).
      for (const reference of seen) {
        if (SHARED_TYPES.includes(reference.split('/')[0] ?? '')) continue;
        expect(truth.visible.has(reference), reference).toBe(true);
      }
    });

    it('batch, Binary, refused parameters and errors show nothing hidden', async () => {
      // Every hidden resource through batch, 20 entries (the facade's limit) at a time.
      const hidden = [...truth.hidden].sort();
      for (let start = 0; start < hidden.length; start += 20) {
        const entries = hidden.slice(start, start + 20).map((reference) => ({ request: { method: 'GET', url: reference } }));
        const batch = await harness.get('/fhir', { method: 'POST', body: JSON.stringify({ resourceType: 'Bundle', type: 'batch', entry: entries }) });
        expect(batch.status).toBe(200);
        assertNoLeak(await exposed(batch), truth, `batch from ${hidden[start] ?? ''}`);
      }
      for (const child of CHILDREN) {
        for (const path of [
          `/fhir/Observation?patient=${child}&_has:Condition:subject:code=A56.0`,
          `/fhir/Observation?patient=${child}&_total=accurate`,
          `/fhir/Observation?patient=${child}&_summary=count`,
          `/fhir/Patient/${child}/$everything`,
          `/fhir/Observation?patient=${child}&encounter.type=teen`,
          `/fhir/Observation?patient=${child}&code:below=http://loinc.org|`,
          `/fhir/Patient`,
        ]) {
          assertNoLeak(await exposed(await harness.get(path)), truth, path);
        }
      }
    });

    it('the audit trail never lists a hidden resource as returned', () => {
      // Runs after the tests above (same harness): their requests are all in harness.audits.
      expect(harness.audits.length).toBeGreaterThan(0);
      for (const record of harness.audits) {
        for (const reference of record.returned) {
          if (truth.hidden.has(reference)) throw new Error(`audit ${record.requestId} (${record.query}) lists hidden ${reference} as returned`);
        }
      }
    });
  });
});
