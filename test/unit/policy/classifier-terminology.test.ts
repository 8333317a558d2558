/**
 * The classifier on the public terminology (issue 8): code match first; dual-use codes only with corroboration;
 * medicines read at ingredient level (hormone combinations); unreadable medicines hidden from a teen's guardian under
 * the allow-list profile (a profile setting); a hospital's own codes; the explain tool naming set, code and source.
 */
import type { MedicationRequest, Patient, Resource } from 'fhir/r4';
import { describe, expect, it } from 'vitest';
import caSplitJson from '../../../gateway/src/policy/profiles/ca-adolescent-split.json' with { type: 'json' };
import { explainAccess } from '../../../gateway/src/policy/explain.ts';
import {
  BUILTIN_PROFILES,
  classifyResource,
  decidePatientAccess,
  decideResource,
  parseProfile,
  type HospitalProfile,
} from '../../../gateway/src/policy/index.ts';
import { guardianOf, principalFor } from './support.ts';

const RXNORM = 'http://www.nlm.nih.gov/research/umls/rxnorm';
const NOW = new Date('2026-11-22T20:00:00Z');
const teen: Patient = { resourceType: 'Patient', id: 'kid', birthDate: '2013-03-15' }; // 13
const child: Patient = { resourceType: 'Patient', id: 'kid', birthDate: '2019-04-04' }; // 7
const split = BUILTIN_PROFILES['ca-adolescent-split'];
const none = (): undefined => undefined;

function rx(medication: MedicationRequest['medicationCodeableConcept'], extra: Partial<MedicationRequest> = {}): MedicationRequest {
  return {
    resourceType: 'MedicationRequest',
    id: 'rx',
    status: 'active',
    intent: 'order',
    subject: { reference: 'Patient/kid' },
    ...(medication ? { medicationCodeableConcept: medication } : {}),
    authoredOn: '2026-10-01',
    ...extra,
  };
}

function verdictFor(resource: Resource, options: { profile?: HospitalProfile; patient?: Patient; self?: boolean; resolve?: (r: string) => Resource | undefined } = {}) {
  const profile = options.profile ?? split;
  const patient = options.patient ?? teen;
  const decision = options.self
    ? decidePatientAccess({ principal: principalFor('Patient/kid'), patient, relatedPersons: [], consents: [] }, profile, NOW)
    : decidePatientAccess({ principal: principalFor('RelatedPerson/test-parent'), patient, relatedPersons: [guardianOf(patient)], consents: [] }, profile, NOW);
  return decideResource(decision, resource, options.resolve ?? none, profile, patient);
}

describe('class 1: a brand-only progestin-only pill pack prescribed at 13', () => {
  const pack = rx({ coding: [{ system: RXNORM, code: '2566417', display: 'Errin 28 Day Pack' }], text: 'Errin 28 Day Pack' });

  it('is hidden from the guardian under ca-adolescent-split (its ingredients cannot be read)', () => {
    const classification = classifyResource(pack, none);
    expect(classification.categories).toEqual([]);
    expect(classification.medication).toMatchObject({ readable: false });
    expect(verdictFor(pack)).toMatchObject({ effect: 'hide', reason: 'unreadable-medication' });
  });

  it('is shown to the teen herself, and to the guardian only when the profile says "show"', () => {
    const selfProfile = BUILTIN_PROFILES['ca-adolescent-split'];
    const teen16: Patient = { ...teen, birthDate: '2010-01-01' }; // self access starts at 13 in this profile's teen band
    expect(verdictFor(pack, { profile: selfProfile, patient: teen16, self: true }).effect).toBe('show');
    const showing = parseProfile({ ...structuredClone(caSplitJson), unreadableMedication: { effect: 'show', source: 'test: hospital counsel' } });
    expect(verdictFor(pack, { profile: showing })).toMatchObject({ effect: 'show', reason: 'allow-listed' });
  });

  it('is read, and hidden as contraception, when its code or names are known', () => {
    const coded = rx({ coding: [{ system: RXNORM, code: '748962', display: 'Camila 28 Day Pack' }] });
    expect(verdictFor(coded).reason).toBe('hidden-category:sexual-reproductive');
    const described = rx({ text: 'Errin (norethindrone 0.35 MG) 28 Day Pack' });
    expect(verdictFor(described).reason).toBe('hidden-category:sexual-reproductive');
  });
});

describe('medicines read at ingredient level', () => {
  const categoriesOf = (text: string) => classifyResource(rx({ text }), none);

  it('a progestin with an estrogen is a contraceptive, whatever the brand', () => {
    const c = categoriesOf('Unknownbrand (levonorgestrel 0.15 MG / ethinyl estradiol 0.03 MG) 28 Day Pack');
    expect(c.categories).toEqual(['sexual-reproductive']);
    expect(c.findings[0]?.detail).toMatch(/progestin \+ estrogen combination/);
  });

  it('an estrogen alone, norethindrone acetate 5 MG and medroxyprogesterone tablets are dual-use (hormone therapy)', () => {
    for (const text of ['estradiol valerate 20 MG/ML Injectable Solution', 'norethindrone acetate 5 MG Oral Tablet', 'medroxyprogesterone acetate 10 MG Oral Tablet', 'norethindrone 5 MG Oral Tablet']) {
      const c = categoriesOf(text);
      expect(c.categories, text).toEqual([]);
      expect(c.findings.every((f) => f.dualUse !== undefined && f.ageAlone === false), text).toBe(true);
      expect(c.medication?.readable, text).toBe(true);
      expect(verdictFor(rx({ text })).effect, text).toBe('show');
    }
  });

  it('contraceptive-specific progestins and doses hide alone: DMPA 150 MG/ML, norethindrone 0.35 MG, drospirenone (Slynd)', () => {
    for (const text of ['medroxyprogesterone acetate 150 MG/ML Injectable Suspension', 'norethindrone 0.35 MG Oral Tablet', 'drospirenone 4 MG Oral Tablet', 'Depo-SubQ Provera 104']) {
      expect(categoriesOf(text).categories, text).toEqual(['sexual-reproductive']);
    }
  });

  it('reads a referenced Medication\'s ingredients (contained or fetched); an unresolved reference stays unreadable', () => {
    const med = { resourceType: 'Medication', id: 'm1', code: { text: 'Heather 28 Day Pack' }, ingredient: [{ itemCodeableConcept: { text: 'norethindrone 0.35 MG' } }] } as Resource;
    const byReference = rx(undefined, { medicationReference: { reference: 'Medication/m1' } });
    expect(verdictFor(byReference, { resolve: (r) => (r === 'Medication/m1' ? med : undefined) }).reason).toBe('hidden-category:sexual-reproductive');
    expect(verdictFor(byReference).reason).toBe('unreadable-medication');
    const readableMed = { resourceType: 'Medication', id: 'm2', code: { text: 'ProAir HFA' }, ingredient: [{ itemCodeableConcept: { text: 'albuterol 0.09 MG/ACTUAT' } }] } as Resource;
    const inhaler = rx(undefined, { medicationReference: { reference: 'Medication/m2' } });
    expect(verdictFor(inhaler, { resolve: (r) => (r === 'Medication/m2' ? readableMed : undefined) }).effect).toBe('show');
  });

  it('asthma inhalers, ADHD medicines and antibiotics of a 15-year-old stay visible to the guardian', () => {
    const fifteen: Patient = { ...teen, birthDate: '2011-05-01' };
    for (const medication of [
      { text: 'albuterol 0.09 MG/ACTUAT Metered Dose Inhaler' },
      { coding: [{ system: RXNORM, code: '895994', display: '120 ACTUAT Fluticasone propionate 0.044 MG/ACTUAT Metered Dose Inhaler' }] },
      { text: 'Methylphenidate Hydrochloride 20 MG Oral Tablet' },
      { coding: [{ system: RXNORM, code: '1091392', display: 'Methylphenidate Hydrochloride 20 MG Oral Tablet' }] },
      { text: 'amoxicillin 500 MG Oral Capsule' },
      { coding: [{ system: RXNORM, code: '330623', display: 'azithromycin 500 MG Oral Tablet' }] },
    ]) {
      expect(verdictFor(rx(medication), { patient: fifteen }), JSON.stringify(medication)).toMatchObject({ effect: 'show', reason: 'allow-listed' });
    }
  });

  it('a brand name followed by a strength is not "read": only a known ingredient makes it readable', () => {
    expect(classifyResource(rx({ text: 'Camrese 0.15 MG Oral Tablet' }), none).medication?.readable).toBe(false);
    expect(verdictFor(rx({ text: 'Camrese 0.15 MG Oral Tablet' })).reason).toBe('unreadable-medication');
  });
});

describe('dual-use codes need corroboration', () => {
  const pregnancyTest = (extra: Record<string, unknown> = {}) =>
    ({
      resourceType: 'Observation',
      id: 'hcg',
      status: 'final',
      subject: { reference: 'Patient/kid' },
      code: { coding: [{ system: 'http://loinc.org', code: '2106-3', display: 'Choriogonadotropin (pregnancy test) [Presence] in Urine' }] },
      effectiveDateTime: '2026-11-01',
      ...extra,
    }) as Resource;
  const strict = BUILTIN_PROFILES['ca-strict'];

  it('a pregnancy test alone is routine: shown to the guardian of a 7-year-old', () => {
    const c = classifyResource(pregnancyTest(), none);
    expect(c.categories).toEqual([]);
    expect(c.findings[0]?.dualUse).toMatch(/pregnancy test/);
    expect(verdictFor(pregnancyTest({ valueCodeableConcept: { text: 'Negative' } }), { profile: strict, patient: child }).effect).toBe('show');
  });

  it('a positive result, a linked teen-clinic encounter or an order for a sensitive reason corroborates it', () => {
    expect(verdictFor(pregnancyTest({ valueCodeableConcept: { coding: [{ system: 'http://snomed.info/sct', code: '10828004', display: 'Positive' }] } }), { profile: strict, patient: child }).reason).toBe(
      'hidden-category:sexual-reproductive',
    );
    const encounter = { resourceType: 'Encounter', id: 'e', status: 'finished', class: { code: 'AMB' }, serviceType: { text: 'Teen Clinic' } } as Resource;
    expect(verdictFor(pregnancyTest({ encounter: { reference: 'Encounter/e' } }), { profile: strict, patient: child, resolve: (r) => (r === 'Encounter/e' ? encounter : undefined) }).effect).toBe('hide');
    const order = { resourceType: 'ServiceRequest', id: 'sr', status: 'active', intent: 'order', subject: { reference: 'Patient/kid' }, code: { text: 'hCG' }, reasonCode: [{ coding: [{ system: 'http://hl7.org/fhir/sid/icd-10-cm', code: 'Z32.01' }] }] } as Resource;
    const viaOrder = classifyResource(pregnancyTest({ basedOn: [{ reference: 'ServiceRequest/sr' }] }), (r) => (r === 'ServiceRequest/sr' ? order : undefined));
    expect(viaOrder.categories).toEqual(['sexual-reproductive']);
    expect(viaOrder.findings.some((f) => /dual-use: .*corroborated by/.test(f.detail))).toBe(true);
  });

  it('age corroborates a dual-use diagnosis where the category has a minimum age, never a medicine\'s own code', () => {
    const adhd = (recordedDate: string) =>
      ({ resourceType: 'Condition', id: 'adhd', subject: { reference: 'Patient/kid' }, code: { coding: [{ system: 'http://snomed.info/sct', code: '192127007' }] }, recordedDate }) as Resource;
    const atFourteen = adhd('2026-10-01');
    const c = classifyResource(atFourteen, none);
    expect(c.findings[0]).toMatchObject({ category: 'mental-health', ageAlone: true });
    const fourteen: Patient = { ...teen, birthDate: '2012-01-01' };
    const strictFull = BUILTIN_PROFILES['ca-strict'];
    // Under ca-strict a 7-year-old's guardian sees the parent-consented diagnosis; recorded at 14 it is hidden.
    expect(verdictFor(adhd('2026-10-01'), { profile: strictFull, patient: child }).effect).toBe('show');
    expect(classifyResource(rx({ coding: [{ system: RXNORM, code: '1091392' }] }), none).findings[0]).toMatchObject({ ageAlone: false });
    expect(verdictFor(rx({ coding: [{ system: RXNORM, code: '1091392' }] }), { patient: fourteen }).effect).toBe('show');
  });
});

describe('a hospital\'s own codes and code systems (profile localTerminology)', () => {
  const LOCAL = 'urn:oid:1.2.840.114350.1.13.99.2.7.2.698288'; // an Epic-style local medication system
  const withLocal = parseProfile({
    ...structuredClone(caSplitJson),
    localTerminology: {
      codes: [{ system: LOCAL, code: '55501', display: 'CLINIC CONTRACEPTIVE PACK', category: 'sexual-reproductive', source: 'test: pharmacy formulary review 2026-11' }],
      readableIngredients: [{ names: ['zafirlukast'], source: 'test: formulary' }],
    },
  });

  it('hides a medicine coded only in the hospital\'s local system, and names the profile as the source', () => {
    const local = rx({ coding: [{ system: LOCAL, code: '55501', display: 'CLINIC PACK' }] });
    expect(verdictFor(local, { profile: withLocal }).reason).toBe('hidden-category:sexual-reproductive');
    expect(verdictFor(local).reason).toBe('unreadable-medication'); // the shipped profile cannot read it
    const decision = decidePatientAccess({ principal: principalFor('RelatedPerson/test-parent'), patient: teen, relatedPersons: [guardianOf(teen)], consents: [] }, withLocal, NOW);
    expect(decision.level).toBe('allow-listed');
  });

  it('makes the hospital\'s readable ingredients readable', () => {
    expect(verdictFor(rx({ text: 'zafirlukast 20 MG Oral Tablet' }), { profile: withLocal }).effect).toBe('show');
    expect(verdictFor(rx({ text: 'zafirlukast 20 MG Oral Tablet' })).reason).toBe('unreadable-medication');
  });

  it('refuses a local entry without a source line, naming the field', () => {
    expect(() =>
      parseProfile({ ...structuredClone(caSplitJson), localTerminology: { codes: [{ system: LOCAL, code: '1', display: 'x', category: 'sti' }] } }),
    ).toThrow(/localTerminology\.codes\.0\.source/);
    expect(() =>
      parseProfile({
        ...structuredClone(caSplitJson),
        localTerminology: {
          codes: [{ system: LOCAL, code: '1', display: 'x', category: 'sti', source: 'test' }],
          notSensitive: [{ system: LOCAL, code: '1', display: 'x', reason: 'conflict', source: 'test' }],
        },
      }),
    ).toThrow(/localTerminology: .*both sensitive and reviewed as not sensitive/s);
  });
});

describe('policy:explain says which set, code or ingredient matched, and why an unreadable medicine is hidden', () => {
  it('names the value set, its OID and repository, and the profile setting', () => {
    const coded = { ...rx({ coding: [{ system: RXNORM, code: '748961', display: 'norethindrone 0.35 MG 28 Day Pack' }] }), id: 'coded' };
    const unreadable = { ...rx({ text: 'Errin 28 Day Pack' }), id: 'errin' };
    const result = explainAccess({
      facts: { principal: principalFor('RelatedPerson/test-parent'), patient: teen, relatedPersons: [guardianOf(teen)], consents: [] },
      profile: split,
      asOf: NOW,
      resources: [coded, unreadable],
      resolve: none,
    });
    expect(result.text).toMatch(/Unreadable medicines: hide-from-guardian/);
    expect(result.text).toMatch(/RxNorm 748961 in set contraception: cqframework\/ecqm-content-[\w-]+@[0-9a-f]{7}, "Contraceptive Medications" \(2\.16\.840\.1\.113883\.3\.464\.1003\.196\.12\.1080\)/);
    expect(result.text).toMatch(/because: unreadable-medication/);
    expect(result.text).toMatch(/hidden by the profile setting unreadableMedication = hide-from-guardian/);
    expect(result.text).toMatch(/NOT readable: code in no set, and "Errin 28 Day Pack" names no known ingredient/);
  });
});
