import { describe, expect, it } from 'vitest';
import { healthLibraryUrl } from '../../../fhir-mappings/src/index.ts';

describe('healthLibraryUrl (MedlinePlus Connect)', () => {
  it('builds an Infobutton request for the first code MedlinePlus answers, in the reader’s language', () => {
    const url = healthLibraryUrl(
      [
        { system: 'urn:local', code: 'A1' },
        { system: 'http://snomed.info/sct', code: '195967001', display: 'Asthma' },
      ],
      'es',
    );
    expect(url).toBeDefined();
    const parsed = new URL(url ?? '');
    expect(`${parsed.origin}${parsed.pathname}`).toBe('https://connect.medlineplus.gov/application');
    expect(parsed.searchParams.get('mainSearchCriteria.v.cs')).toBe('2.16.840.1.113883.6.96');
    expect(parsed.searchParams.get('mainSearchCriteria.v.c')).toBe('195967001');
    expect(parsed.searchParams.get('informationRecipient.languageCode.c')).toBe('es');
    // Only the code travels: no display text, no patient data.
    expect(parsed.searchParams.has('mainSearchCriteria.v.dn')).toBe(false);
    expect(healthLibraryUrl([{ system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: '745679' }], 'en')).toContain(
      'mainSearchCriteria.v.cs=2.16.840.1.113883.6.88',
    );
  });

  it('gives nothing for unknown systems, missing systems, or codes that are not plain tokens', () => {
    expect(healthLibraryUrl([], 'en')).toBeUndefined();
    expect(healthLibraryUrl([{ code: '195967001' }], 'en')).toBeUndefined();
    expect(healthLibraryUrl([{ system: 'urn:local', code: 'X' }], 'en')).toBeUndefined();
    expect(healthLibraryUrl([{ system: 'http://snomed.info/sct', code: '1&evil=2' }], 'en')).toBeUndefined();
  });
});
