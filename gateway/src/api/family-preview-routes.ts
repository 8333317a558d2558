/**
 * GET /api/clinician/family-preview/:patientId — the family-view preview for a clinician launched from the EHR
 * (family-preview.ts). Read-only; mounted behind requireSession like every /api route.
 *
 * - Practitioner principals only: anyone else gets 403 (a family member never sees another viewer's rule).
 * - Only the patient the EHR launched the clinician on (the session's launch context): another id gets the same 404
 *   as a patient that does not exist.
 * - The facts are read with the clinician's own token; any upstream failure fails closed (502, nothing shown).
 * - One audit record per answer (action "family-preview", returned: the patient and each guardian named, reasons:
 *   each viewer's machine reason), appended before the answer leaves.
 */
import { randomUUID } from 'node:crypto';
import type { Bundle, Consent, FhirResource, Patient, RelatedPerson } from 'fhir/r4';
import { Hono } from 'hono';
import type { FhirUpstream } from '../fhir/upstream.ts';
import type { Clock } from '../http/clock.ts';
import type { GatewayEnv } from '../http/context.ts';
import type { HospitalProfile } from '../policy/index.ts';
import type { Store } from '../store/types.ts';
import { familyPreview, type FamilyPreviewFacts } from './family-preview.ts';

export interface FamilyPreviewRouteDeps {
  readonly store: Store;
  readonly clock: Clock;
  readonly profile: HospitalProfile;
}

const PATIENT_ID = /^[A-Za-z0-9\-.]{1,64}$/;
/** Fact searches follow at most this many pages, then fail closed (as the access loader does). */
const MAX_PAGES = 20;

class PreviewUnavailable extends Error {}

const problem = (code: string, text: string) => ({
  resourceType: 'OperationOutcome',
  issue: [{ severity: 'error', code, details: { text } }],
});

export function createFamilyPreviewRoutes(deps: FamilyPreviewRouteDeps): Hono<GatewayEnv> {
  const { store, clock, profile } = deps;
  const routes = new Hono<GatewayEnv>();

  routes.get('/:patientId', async (c) => {
    const principal = c.get('principal');
    const session = c.get('session');
    const patientId = c.req.param('patientId');
    c.header('Cache-Control', 'no-store');
    if (principal.kind !== 'Practitioner') return c.json(problem('forbidden', 'The family-view preview is for clinicians.'), 403);
    const launched = session.launchContext?.['patient'];
    if (!PATIENT_ID.test(patientId) || launched !== patientId) {
      return c.json(problem('not-found', 'There is no such patient in this launch.'), 404);
    }
    let facts: FamilyPreviewFacts | undefined;
    try {
      facts = await loadFacts(c.get('upstream'), patientId, c.req.raw.signal);
    } catch (error) {
      if (!(error instanceof PreviewUnavailable)) throw error;
      return c.json(problem('transient', 'The EHR did not answer; nothing is shown.'), 502);
    }
    if (facts === undefined) return c.json(problem('not-found', 'There is no such patient in this launch.'), 404);
    const asOf = new Date(clock.now());
    const preview = familyPreview(facts, profile, asOf);
    await store.audit.append({
      id: randomUUID(),
      recorded: asOf.toISOString(),
      requestId: c.get('requestId'),
      actor: principal.fhirUser,
      patient: `Patient/${patientId}`,
      action: 'family-preview',
      query: `GET /api/clinician/family-preview/${patientId}`,
      outcome: 'allowed',
      returned: [`Patient/${patientId}`, ...preview.viewers.filter((v) => v.kind === 'guardian').map((v) => v.reference)],
      withheld: [],
      reasons: [...new Set(preview.viewers.map((viewer) => viewer.today.reason))],
    });
    return c.json(preview);
  });

  return routes;
}

async function loadFacts(upstream: FhirUpstream, patientId: string, signal: AbortSignal): Promise<FamilyPreviewFacts | undefined> {
  const read = await upstream.getJson(`Patient/${patientId}`, { signal });
  if (!read.ok) {
    if (read.status === 404 || read.status === 410) return undefined;
    throw new PreviewUnavailable(`Patient read ${read.status}`);
  }
  if (read.resource.resourceType !== 'Patient') return undefined;
  const [relatedPersons, consents] = await Promise.all([
    searchAll<RelatedPerson>(upstream, `RelatedPerson?patient=Patient/${patientId}`, 'RelatedPerson', signal),
    searchAll<Consent>(upstream, `Consent?patient=Patient/${patientId}`, 'Consent', signal),
  ]);
  return { patient: read.resource as Patient, relatedPersons, consents };
}

async function searchAll<T extends FhirResource>(upstream: FhirUpstream, query: string, type: T['resourceType'], signal: AbortSignal): Promise<T[]> {
  const found: T[] = [];
  let next: string | undefined = `${query}&_count=100`;
  for (let page = 0; next !== undefined; page += 1) {
    if (page >= MAX_PAGES) throw new PreviewUnavailable(`Too many ${type} pages`);
    const result = await upstream.getJson(next, { signal });
    if (!result.ok || result.resource.resourceType !== 'Bundle') throw new PreviewUnavailable(`${type} search ${result.status}`);
    const bundle: Bundle = result.resource;
    for (const entry of bundle.entry ?? []) if (entry.resource?.resourceType === type) found.push(entry.resource as T);
    next = bundle.link?.find((link) => link.relation === 'next')?.url;
  }
  return found;
}
