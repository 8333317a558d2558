/** Unit tests for the parts the scenario files do not reach: profile parsing, principals, propagation, fail-closed. */
import type { Patient, Person, RelatedPerson, Resource } from 'fhir/r4';
import { describe, expect, it } from 'vitest';
import caStrictJson from '../../../gateway/src/policy/profiles/ca-strict.json' with { type: 'json' };
import valueSetJson from '../../../gateway/src/policy/value-sets/ca-minor-consent.json' with { type: 'json' };
import {
  BUILTIN_PROFILES,
  classifyResource,
  compileValueSet,
  decidePatientAccess,
  decideResource,
  parseProfile,
  patientReferencesForPrincipal,
  redactPatientForDecision,
  referencesToResolve,
  type HospitalProfile,
} from '../../../gateway/src/policy/index.ts';
import { guardianOf, principalFor } from './support.ts';

const child: Patient = { resourceType: 'Patient', id: 'kid', birthDate: '2019-04-04' };
const teen: Patient = {
  resourceType: 'Patient',
  id: 'kid',
  birthDate: '2011-04-04',
  name: [{ use: 'official', family: 'Ng', given: ['Kim'] }, { use: 'nickname', given: ['K'] }],
  telecom: [{ system: 'phone', value: '555-0199' }],
  address: [{ line: ['2 Elm St'] }],
  extension: [{ url: 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-genderIdentity', valueString: 'x' }],
};
const NOW = new Date('2026-11-22T20:00:00Z');
const none = (): undefined => undefined;

function guardianDecision(patient: Patient, profile: HospitalProfile) {
  return decidePatientAccess(
    { principal: principalFor('RelatedPerson/test-parent'), patient, relatedPersons: [guardianOf(patient)], consents: [] },
    profile,
    NOW,
  );
}

describe('profiles', () => {
  it('ships valid profiles whose bands cover every age', () => {
    for (const profile of Object.values(BUILTIN_PROFILES)) {
      expect(profile.timeZone).toBe('America/Los_Angeles');
      expect(profile.guardianBands[0]?.fromAge).toBe(0);
      expect(profile.releaseHolds).toEqual([]);
    }
    expect(BUILTIN_PROFILES['ca-strict'].himPhone).toBe('(714) 509-8460');
  });

  it('the messaging variant differs from ca-strict only in the 12–17 guardian band and its name', () => {
    const strict = BUILTIN_PROFILES['ca-strict'];
    const variant = BUILTIN_PROFILES['ca-strict-messaging'];
    const strip = (p: HospitalProfile) => ({ ...p, id: '', title: '', guardianBands: p.guardianBands.filter((b) => b.id !== 'guardian-12-17') });
    expect(strip(variant)).toEqual(strip(strict));
    expect(variant.guardianBands[1]?.features).toMatchObject({ messages: true, appointmentRequests: true, bills: 'balance-only', viewRecord: false });
  });

  it('rejects a bad profile with an error naming the field', () => {
    const broken = structuredClone(caStrictJson) as { guardianBands: { fromAge: number }[]; timeZone: string };
    (broken.guardianBands[1] as { fromAge: number }).fromAge = 13;
    expect(() => parseProfile(broken)).toThrow(/guardianBands\.1\.fromAge/);
    expect(() => parseProfile({ ...structuredClone(caStrictJson), timeZone: 'Mars/Olympus' })).toThrow(/timeZone/);
    expect(() => parseProfile('nope')).toThrow(/Invalid hospital profile/);
    // The HIM phone is a number the app words around in the reader's language, never a sentence in one language.
    expect(() => parseProfile({ ...structuredClone(caStrictJson), himPhone: 'call the main number' })).toThrow(/himPhone/);
    const { himPhone: _omitted, ...withoutPhone } = structuredClone(caStrictJson);
    expect(parseProfile(withoutPhone).himPhone).toBeUndefined();
  });

  it('profiles are frozen', () => {
    expect(Object.isFrozen(BUILTIN_PROFILES['ca-strict'].guardianBands[0])).toBe(true);
  });
});

describe('value set', () => {
  it('refuses a code that is both sensitive and reviewed as not sensitive', () => {
    const data = structuredClone(valueSetJson);
    data.notSensitive.push({ system: 'http://www.ama-assn.org/go/cpt', code: '87491', display: 'x', reason: 'conflict', source: 'test' });
    expect(() => compileValueSet(data)).toThrow(/both sensitive and reviewed/);
  });

  it('matches ICD-10-CM codes with or without the dot, and brand names as whole words', () => {
    const vs = compileValueSet(valueSetJson);
    expect(vs.matchCoding('http://hl7.org/fhir/sid/icd-10-cm', 'A562').map((m) => m.category)).toContain('sti');
    expect(vs.matchCoding('http://hl7.org/fhir/sid/icd-10-cm', 'F90.0').map((m) => m.category)).toContain('mental-health');
    // Autism is in the broad public mental-health sets, flagged dual-use (usually parent-managed): it never hides alone.
    const autism = vs.matchCoding('http://hl7.org/fhir/sid/icd-10-cm', 'F84.0');
    expect(autism.length).toBeGreaterThan(0);
    expect(autism.every((m) => m.dualUse !== undefined)).toBe(true);
    expect(vs.readMedicationText('YAZ 28 Day Pack').findings.map((m) => m.category)).toEqual(['sexual-reproductive']);
    expect(vs.readMedicationText('Yazmin fictional')).toEqual({ findings: [], names: [] });
  });
});

describe('classifier propagation', () => {
  const condition: Resource = {
    resourceType: 'Condition',
    id: 'ct',
    code: { coding: [{ system: 'http://snomed.info/sct', code: '428015005' }] },
    recordedDate: '2026-01-01',
  } as Resource;
  const encounter = { resourceType: 'Encounter', id: 'e1', status: 'finished', class: { code: 'AMB' }, diagnosis: [{ condition: { reference: 'Condition/ct' } }] } as Resource;
  const vitals = { resourceType: 'Observation', id: 'bp', status: 'final', code: { text: 'Blood pressure' }, encounter: { reference: 'Encounter/e1' } } as Resource;
  const index = new Map<string, Resource>([['Condition/ct', condition], ['Encounter/e1', encounter], ['Observation/bp', vitals]]);
  const resolve = (ref: string) => index.get(ref);

  it('follows encounter → diagnosis two references away, and names the path', () => {
    const result = classifyResource(vitals, resolve);
    expect(result.categories).toEqual(['sti']);
    expect(result.findings[0]?.source).toBe('propagated');
    expect(result.findings[0]?.detail).toMatch(/via encounter Encounter\/e1: via diagnosis\.condition Condition\/ct/);
    expect(referencesToResolve(vitals)).toEqual(['Encounter/e1']);
    expect(referencesToResolve(encounter)).toEqual(['Condition/ct']);
  });

  it('stops at depth 2 and survives reference cycles', () => {
    const report = { resourceType: 'DiagnosticReport', id: 'r', status: 'final', code: { text: 'Panel' }, result: [{ reference: 'Observation/bp' }] } as Resource;
    expect(classifyResource(report, resolve).categories).toEqual([]); // report → bp → e1 → ct is three away
    const a = { resourceType: 'Encounter', id: 'a', status: 'finished', class: {}, partOf: { reference: 'Encounter/b' } } as Resource;
    const b = { resourceType: 'Encounter', id: 'b', status: 'finished', class: {}, partOf: { reference: 'Encounter/a' } } as Resource;
    const cyc = new Map([['Encounter/a', a], ['Encounter/b', b]]);
    expect(classifyResource(a, (r) => cyc.get(r)).categories).toEqual([]);
  });

  it('reads contained resources (medicationReference to "#med")', () => {
    const rx = {
      resourceType: 'MedicationRequest', id: 'rx', status: 'active', intent: 'order', subject: { reference: 'Patient/kid' },
      contained: [{ resourceType: 'Medication', id: 'med', code: { text: 'Nexplanon 68 MG Drug Implant' } }],
      medicationReference: { reference: '#med' }, authoredOn: '2026-01-01',
    } as Resource;
    expect(classifyResource(rx, none).categories).toEqual(['sexual-reproductive']);
  });
});

describe('decideResource fails closed', () => {
  const profile = BUILTIN_PROFILES['ca-strict'];
  const decision = guardianDecision(child, profile);
  const rx = { resourceType: 'MedicationRequest', id: 'rx', status: 'active', intent: 'order', subject: { reference: 'Patient/kid' }, medicationCodeableConcept: { text: 'amoxicillin' }, authoredOn: '2026-01-01', reasonReference: [{ reference: 'Condition/x' }] } as Resource;

  it('hides when the resolver throws', () => {
    expect(decideResource(decision, rx, () => { throw new Error('upstream down'); }, profile, child)).toMatchObject({ effect: 'hide', reason: 'policy-error' });
    expect(decideResource(decision, rx, none, profile, child).effect).toBe('show');
  });

  it('hides another patient\'s resource, a decision from another profile, and anything for level none', () => {
    const other = { ...rx, subject: { reference: 'Patient/someone-else' } } as Resource;
    expect(decideResource(decision, other, none, profile, child).reason).toBe('other-patient');
    expect(decideResource(decision, rx, none, BUILTIN_PROFILES['ca-adolescent-split'], child).reason).toBe('profile-mismatch');
    const teenDecision = guardianDecision(teen, profile);
    expect(decideResource(teenDecision, rx, none, profile, teen).effect).toBe('hide');
  });

  it('hides an undated minimum-age item (cannot tell whether the minor consented)', () => {
    const undated = { resourceType: 'Condition', id: 'dep', subject: { reference: 'Patient/kid' }, code: { coding: [{ system: 'http://snomed.info/sct', code: '35489007' }] } } as Resource;
    expect(decideResource(decision, undated, none, profile, child).reason).toBe('hidden-category:mental-health');
  });

  it('applies a release hold counted in business days', () => {
    const held = parseProfile({
      ...structuredClone(caStrictJson),
      releaseHolds: [{ id: 'hsc-123148', resourceTypes: ['DiagnosticReport'], businessDays: 3, reason: 'HSC 123148', source: 'test' }],
    });
    const d = guardianDecision(child, held);
    const report = (issued: string) => ({ resourceType: 'DiagnosticReport', id: 'r', status: 'final', code: { text: 'CBC' }, subject: { reference: 'Patient/kid' }, issued }) as Resource;
    // Issued Friday 2026-11-20: three business days later is Wednesday 2026-11-25.
    expect(decideResource(d, report('2026-11-20T18:00:00Z'), none, held, child).reason).toBe('release-hold:hsc-123148');
    expect(decideResource(d, report('2026-11-16T18:00:00Z'), none, held, child).effect).toBe('show');
  });
});

describe('redactPatientForDecision', () => {
  it('keeps a young child\'s Patient whole for the guardian and strips a teen\'s contact data', () => {
    const split = BUILTIN_PROFILES['ca-adolescent-split'];
    const youngDecision = guardianDecision(child, split);
    expect(redactPatientForDecision(child, youngDecision, split)).toBe(child);
    const teenDecision = guardianDecision(teen, split);
    const redacted = redactPatientForDecision(teen, teenDecision, split);
    expect(redacted).toEqual({ resourceType: 'Patient', id: 'kid', birthDate: '2011-04-04', name: [{ use: 'official', family: 'Ng', given: ['Kim'] }] });
  });
});

describe('patientReferencesForPrincipal', () => {
  const rpA: RelatedPerson = { resourceType: 'RelatedPerson', id: 'a', patient: { reference: 'Patient/p1' } };
  const rpB: RelatedPerson = { resourceType: 'RelatedPerson', id: 'b', patient: { reference: 'https://ehr.example.org/fhir/Patient/p2' } };
  const person: Person = { resourceType: 'Person', id: 'ana', link: [{ target: { reference: 'RelatedPerson/a' } }, { target: { reference: 'RelatedPerson/b' } }, { target: { reference: 'Patient/ana-self' } }] };

  it('lists the patients a Person reaches through its links', () => {
    expect(patientReferencesForPrincipal(principalFor('Person/ana'), person, [rpA, rpB]).sort()).toEqual(['Patient/ana-self', 'Patient/p1', 'Patient/p2']);
  });
  it('a RelatedPerson reaches its patient, a Patient itself, staff nobody', () => {
    expect(patientReferencesForPrincipal(principalFor('RelatedPerson/a'), rpA, [])).toEqual(['Patient/p1']);
    expect(patientReferencesForPrincipal(principalFor('Patient/p1'), { resourceType: 'Patient', id: 'p1' } as Resource, [])).toEqual(['Patient/p1']);
    expect(patientReferencesForPrincipal(principalFor('Practitioner/x'), { resourceType: 'Practitioner', id: 'x' } as Resource, [])).toEqual([]);
  });
  it('fails closed when the resource is not the principal\'s', () => {
    expect(patientReferencesForPrincipal(principalFor('RelatedPerson/z'), rpA, [])).toEqual([]);
  });
});

describe('decidePatientAccess input checks', () => {
  it('throws on an invalid instant and denies a Patient without an id', () => {
    const profile = BUILTIN_PROFILES['ca-strict'];
    expect(() => decidePatientAccess({ principal: principalFor('Patient/kid'), patient: child, relatedPersons: [], consents: [] }, profile, new Date('x'))).toThrow(TypeError);
    const d = decidePatientAccess({ principal: principalFor('RelatedPerson/test-parent'), patient: { resourceType: 'Patient' }, relatedPersons: [], consents: [] }, profile, NOW);
    expect(d.level).toBe('none');
  });
});

describe('explainAccess', () => {
  it('prints the decision, its legal basis and a verdict per resource', async () => {
    const { explainAccess } = await import('../../../gateway/src/policy/explain.ts');
    const profile = BUILTIN_PROFILES['ca-strict'];
    const rx = { resourceType: 'MedicationRequest', id: 'yaz', status: 'active', intent: 'order', subject: { reference: 'Patient/kid' }, medicationCodeableConcept: { text: 'Yaz 28 Day Pack' }, authoredOn: '2026-10-01' } as Resource;
    const result = explainAccess({
      facts: { principal: principalFor('RelatedPerson/test-parent'), patient: child, relatedPersons: [guardianOf(child)], consents: [] },
      profile,
      asOf: NOW,
      resources: [child, rx],
      resolve: none,
    });
    expect(result.text).toMatch(/Decision: FULL as guardian/);
    expect(result.text).toMatch(/Health & Safety Code 123110/);
    expect(result.text).toMatch(/HIDE {2}MedicationRequest\/yaz/);
    expect(result.text).toMatch(/hidden-category:sexual-reproductive/);
    expect(result.verdicts.map((v) => v.verdict.effect)).toEqual(['show', 'hide']);
  });
});
