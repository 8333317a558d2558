import type { Patient } from 'fhir/r4';
import { describe, expect, it } from 'vitest';
import { mapPatientBanner } from '../../../fhir-mappings/src/index.ts';

const AS_OF = '2026-11-22T18:00:00Z';
const TZ = 'America/Los_Angeles';

const infant: Patient = {
  resourceType: 'Patient',
  id: 'p1',
  name: [
    { use: 'usual', given: ['Lulu'] },
    { use: 'official', prefix: ['Miss'], given: ['Lucía', 'María'], family: 'García', suffix: ['II'] },
  ],
  birthDate: '2026-05-10',
  gender: 'female',
  identifier: [
    { system: 'urn:oid:ssn', value: '000-00-0000' },
    { type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: 'MR' }], text: 'MRN' }, system: 'urn:chla:mrn', value: 'MRN-0042' },
  ],
  text: { status: 'generated', div: '<div xmlns="http://www.w3.org/1999/xhtml"><script>x</script>Lucía</div>' },
};

describe('mapPatientBanner', () => {
  it('maps name, age, birth date, sex, MRN and initials', () => {
    const banner = mapPatientBanner({ resourceType: 'Bundle', type: 'searchset', entry: [{ resource: infant }] }, AS_OF, TZ);
    expect(banner).toMatchObject({
      key: 'Patient/p1',
      name: { kind: 'text', text: 'Lucía María García II' },
      givenNames: ['Lucía', 'María'],
      familyName: 'García',
      prefixes: ['Miss'],
      suffixes: ['II'],
      initials: 'LG',
      birthDate: { iso: '2026-05-10', precision: 'day' },
      age: { unit: 'months', value: 6, months: 6, days: 12 },
      sex: 'female',
      mrn: { value: 'MRN-0042', system: 'urn:chla:mrn', type: 'MRN' },
      deceased: false,
    });
    // The narrative is passed through untouched, under a name that says it is unsafe.
    expect(banner?.unsafeNarrativeXhtml).toContain('<script>');
  });

  it('falls back to the first identifier and keeps partial birth dates partial', () => {
    const banner = mapPatientBanner([{ ...infant, identifier: [{ value: 'X1' }], birthDate: '2019-07' }], AS_OF, TZ);
    expect(banner?.mrn).toEqual({ value: 'X1' });
    expect(banner?.birthDate).toEqual({ iso: '2019-07', precision: 'month' });
    expect(banner?.age).toBeUndefined();
  });

  it('picks the requested patient and returns undefined when there is none', () => {
    const other: Patient = { resourceType: 'Patient', id: 'p2', name: [{ text: 'Teo Ruiz' }] };
    expect(mapPatientBanner([infant, other], AS_OF, TZ, 'p2')?.initials).toBe('TR');
    expect(mapPatientBanner([infant], AS_OF, TZ, 'nope')).toBeUndefined();
    expect(mapPatientBanner([], AS_OF, TZ)).toBeUndefined();
    expect(mapPatientBanner(undefined, AS_OF, TZ)).toBeUndefined();
  });

  it('survives a hostile Patient', () => {
    const hostile = { resourceType: 'Patient', name: 'Bobby', birthDate: 20200101, gender: 'robot', identifier: [null, { value: {} }], deceasedBoolean: 'yes' } as unknown as Patient;
    const banner = mapPatientBanner([hostile], AS_OF, TZ);
    expect(banner).toEqual({ key: 'Patient#0', name: { kind: 'unknown' }, givenNames: [], prefixes: [], suffixes: [], initials: '', deceased: false });
  });
});
