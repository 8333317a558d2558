/**
 * Runs every scenario in fixtures/policy-cases/. One JSON file per case; the file name reads as the scenario and ends
 * in `.allow.json` (access granted / resource shown) or `.deny.json` (no access / resource hidden).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Consent, Patient, Person, RelatedPerson, Resource } from 'fhir/r4';
import { describe, expect, it } from 'vitest';
import {
  BUILTIN_PROFILES,
  decidePatientAccess,
  decideResource,
  redactPatientForDecision,
  type BuiltinProfileId,
  type HospitalProfile,
  type PatientAccessDecision,
} from '../../../gateway/src/policy/index.ts';
import { CASES_DIR, principalFor } from './support.ts';

interface Expectation {
  readonly level: string;
  readonly role?: string;
  readonly reason?: string;
  readonly messageKey?: string;
  readonly effect?: 'show' | 'hide';
  readonly verdictReason?: string;
  readonly features?: Record<string, unknown>;
  readonly nextChange?: { readonly localDate: string; readonly level: string; readonly at?: string } | null;
  readonly validUntil?: string;
  readonly redacted?: boolean;
}

interface PolicyCase {
  readonly scenario: string;
  readonly profile: BuiltinProfileId;
  readonly principal: string;
  readonly asOf: string;
  readonly patient: Patient;
  readonly relatedPersons: readonly RelatedPerson[];
  readonly person?: Person;
  readonly consents: readonly Consent[];
  readonly resource?: Resource;
  readonly context?: readonly Resource[];
  readonly utcWouldFlip?: boolean;
  readonly expect: Expectation;
  readonly alsoPatients?: readonly { readonly patient: Patient; readonly expect: Expectation }[];
}

const files = readdirSync(CASES_DIR).filter((f) => f.endsWith('.json')).sort();

function decide(c: PolicyCase, patient: Patient, profile: HospitalProfile, asOf = new Date(c.asOf)): PatientAccessDecision {
  return decidePatientAccess(
    {
      principal: principalFor(c.principal),
      patient,
      // As the shell does: only the RelatedPersons and Consents of this patient.
      relatedPersons: c.relatedPersons.filter((rp) => rp.patient.reference === `Patient/${patient.id}`),
      ...(c.person ? { person: c.person } : {}),
      consents: c.consents.filter((k) => k.patient?.reference === `Patient/${patient.id}`),
    },
    profile,
    asOf,
  );
}

function checkDecision(decision: PatientAccessDecision, e: Expectation): void {
  expect(decision.level).toBe(e.level);
  if (e.role) expect(decision.role).toBe(e.role);
  if (e.reason) expect(decision.reason).toBe(e.reason);
  if (e.messageKey) expect(decision.messageKey).toBe(e.messageKey);
  if (e.features) expect(decision.features).toMatchObject(e.features);
  if (e.validUntil) expect(decision.validUntil).toBe(e.validUntil);
  if (e.nextChange) expect(decision.nextChange).toMatchObject(e.nextChange);
  if (e.nextChange === null) expect(decision.nextChange).toBeUndefined();
  // Invariants of every decision.
  expect(new Date(decision.validUntil).getTime()).toBeGreaterThan(new Date(decision.asOf).getTime());
  if (decision.level === 'none' && decision.role === 'none') expect(decision.messageKey).toBe('access.not-active');
}

it('has scenario files', () => {
  expect(files.length).toBeGreaterThanOrEqual(100); // issue 8: at least 100 scenarios across the profiles
});

describe.each(files)('%s', (file) => {
  const c = JSON.parse(readFileSync(join(CASES_DIR, file), 'utf8')) as PolicyCase;
  const profile = BUILTIN_PROFILES[c.profile];

  it(c.scenario, () => {
    expect(profile, `unknown profile ${c.profile}`).toBeDefined();
    expect(file).toMatch(/\.(allow|deny)\.json$/);
    const decision = decide(c, c.patient, profile);
    checkDecision(decision, c.expect);

    const granted = c.resource ? c.expect.effect === 'show' : decision.level !== 'none';
    expect(granted, 'the file name says allow/deny').toBe(file.endsWith('.allow.json'));

    if (c.resource) {
      const index = new Map((c.context ?? []).map((r) => [`${r.resourceType}/${r.id}`, r]));
      const verdict = decideResource(decision, c.resource, (ref) => index.get(ref), profile, c.patient);
      expect(verdict.effect, verdict.reason).toBe(c.expect.effect);
      if (c.expect.verdictReason) expect(verdict.reason).toBe(c.expect.verdictReason);
      if (c.expect.redacted && c.resource.resourceType === 'Patient') {
        const redacted = redactPatientForDecision(c.resource as Patient, decision, profile);
        expect(redacted.telecom).toBeUndefined();
        expect(redacted.address).toBeUndefined();
        expect(redacted.birthDate).toBe((c.resource as Patient).birthDate);
      }
    }

    for (const other of c.alsoPatients ?? []) checkDecision(decide(c, other.patient, profile), other.expect);
  });

  if (c.utcWouldFlip) {
    it('would flip if judged in UTC (so the time zone matters here)', () => {
      const utcProfile: HospitalProfile = { ...profile, timeZone: 'UTC' };
      expect(decide(c, c.patient, utcProfile).level).not.toBe(decide(c, c.patient, profile).level);
    });
  }
});
