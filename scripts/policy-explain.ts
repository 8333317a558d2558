/**
 * npm run policy:explain -- --profile ca-strict --user RelatedPerson/… --patient Patient/… --at <instant> [--data <dir>]
 * npm run policy:explain -- --profile-file my-hospital.json --user … --patient …   (a hospital's own profile, e.g. with
 *                                                                                 localTerminology; validated first)
 *
 * Reads every FHIR JSON file (resources and bundles) in --data (default fixtures/family; a seed-manifest.json there
 * date-shifts the data with --at as "today", as the sandbox does), decides access for the user on the patient at the
 * instant, and prints the decision, its reasons and legal basis, and a verdict for every resource of the patient: which
 * label, value set (title, OID, repository), code or ingredient matched, and whether a medicine could be read at all.
 */
import { readFileSync } from 'node:fs';
import { resolve as resolvePath } from 'node:path';
import { parseArgs } from 'node:util';
import type { Consent, FhirResource, Patient, Person, RelatedPerson, Resource } from 'fhir/r4';
import { explainAccess } from '../gateway/src/policy/explain.ts';
import {
  BUILTIN_PROFILES,
  BUILTIN_PROFILE_IDS,
  parseProfile,
  type BuiltinProfileId,
  type HospitalProfile,
  type Principal,
  type PrincipalKind,
  PRINCIPAL_KINDS,
} from '../gateway/src/policy/index.ts';
import { flattenSeedItems, loadSeedDirectory } from '../sandbox/src/seed/load-seed.ts';

const USAGE = `usage: npm run policy:explain -- (--profile <${BUILTIN_PROFILE_IDS.join('|')}> | --profile-file <profile.json>) --user <Type/id> --patient Patient/<id> [--at <ISO instant>] [--data <dir>]`;

function fail(message: string): never {
  process.stderr.write(`${message}\n${USAGE}\n`);
  process.exit(2);
}

function isProfileId(value: string): value is BuiltinProfileId {
  return (BUILTIN_PROFILE_IDS as readonly string[]).includes(value);
}

const { values } = parseArgs({
  options: {
    profile: { type: 'string' },
    'profile-file': { type: 'string' },
    user: { type: 'string' },
    patient: { type: 'string' },
    at: { type: 'string' },
    data: { type: 'string' },
    help: { type: 'boolean' },
  },
  strict: true,
});
if (values.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
function loadProfile(): HospitalProfile {
  const file = values['profile-file'];
  if (file !== undefined) {
    if (values.profile !== undefined) fail('give --profile or --profile-file, not both');
    try {
      return parseProfile(JSON.parse(readFileSync(resolvePath(file), 'utf8')));
    } catch (error) {
      return fail(`cannot use ${file}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  const profileId = values.profile ?? fail('--profile or --profile-file is required');
  if (!isProfileId(profileId)) fail(`unknown profile "${profileId}"`);
  return BUILTIN_PROFILES[profileId];
}
const profile = loadProfile();
const user = values.user ?? fail('--user is required');
const patientRef = values.patient ?? fail('--patient is required');
const kind = user.split('/')[0] ?? '';
if (!(PRINCIPAL_KINDS as readonly string[]).includes(kind)) fail(`--user must be one of ${PRINCIPAL_KINDS.join(', ')}/<id>`);
const asOf = values.at ? new Date(values.at) : new Date();
if (Number.isNaN(asOf.getTime())) fail(`--at "${values.at}" is not an ISO instant`);
const dataDir = resolvePath(values.data ?? 'fixtures/family');

const resources = flattenSeedItems(await loadSeedDirectory(dataDir, { today: asOf }));
const index = new Map<string, Resource>();
for (const resource of resources) {
  if (!resource.id) continue;
  index.set(`${resource.resourceType}/${resource.id}`, resource);
  index.set(`urn:uuid:${resource.id}`, resource);
}
const resolveRef = (reference: string): Resource | undefined => index.get(reference) ?? index.get(reference.split('/').slice(-2).join('/'));

const patient = index.get(patientRef) as Patient | undefined;
if (!patient || patient.resourceType !== 'Patient') fail(`${patientRef} not found in ${dataDir}`);
if (!index.has(user)) fail(`${user} not found in ${dataDir}`);
const principal: Principal = { fhirUser: `urn:sprout:explain/${user}`, reference: user, kind: kind as PrincipalKind, scopes: [] };

const points = (reference: string | undefined): boolean =>
  reference !== undefined && (reference === patientRef || reference === `urn:uuid:${patient.id}` || reference.endsWith(`/${patientRef}`));
const ofPatient = (resource: FhirResource): boolean =>
  resource === patient ||
  ['subject', 'patient', 'beneficiary'].some((field) => {
    const value = (resource as unknown as Record<string, unknown>)[field];
    return typeof value === 'object' && value !== null && points((value as { reference?: string }).reference);
  });

const result = explainAccess({
  facts: {
    principal,
    patient,
    relatedPersons: resources.filter((r): r is RelatedPerson => r.resourceType === 'RelatedPerson' && points(r.patient.reference)),
    ...(kind === 'Person' ? { person: index.get(user) as Person } : {}),
    consents: resources.filter((r): r is Consent => r.resourceType === 'Consent' && points(r.patient?.reference)),
  },
  profile,
  asOf,
  resources: resources.filter(ofPatient),
  resolve: resolveRef,
});
process.stdout.write(`${result.text}\n`);
