import type { Patient } from 'fhir/r4';
import { describe, expect, it } from 'vitest';
import { mapEmergencyContacts } from '../../../fhir-mappings/src/index.ts';

const V2_0131 = 'http://terminology.hl7.org/CodeSystem/v2-0131';
const rel = (code: string, display: string) => [{ coding: [{ system: V2_0131, code, display }] }];

describe('mapEmergencyContacts', () => {
  it('lists current contacts with their phones, the emergency contact first; employers and ended contacts left out', () => {
    const patient: Patient = {
      resourceType: 'Patient',
      contact: [
        { relationship: rel('N', 'Next-of-Kin'), name: { given: ['Rosa'], family: 'Reyes' }, telecom: [{ system: 'phone', value: '714-555-0101' }] },
        { relationship: rel('E', 'Employer'), organization: { display: 'Acme' }, telecom: [{ system: 'phone', value: '714-555-0199' }] },
        {
          relationship: rel('C', 'Emergency Contact'),
          name: { given: ['Ana'], family: 'Reyes' },
          telecom: [
            { system: 'phone', value: '(323) 555-0100' },
            { system: 'phone', value: '323-555-0000', period: { end: '2020-01-01' } },
            { system: 'email', value: 'ana@example.org' },
          ],
        },
        { name: { given: ['Old'], family: 'Friend' }, telecom: [{ system: 'phone', value: '1' }], period: { end: '2021-05-01' } },
      ],
    };
    expect(mapEmergencyContacts(patient, '2026-11-22T00:00:00Z')).toEqual([
      { key: 'contact#2', name: 'Ana Reyes', relationships: [{ kind: 'text', text: 'Emergency Contact' }], phones: ['(323) 555-0100'] },
      { key: 'contact#0', name: 'Rosa Reyes', relationships: [{ kind: 'text', text: 'Next-of-Kin' }], phones: ['714-555-0101'] },
    ]);
  });

  it('is total on junk', () => {
    expect(mapEmergencyContacts(undefined, new Date())).toEqual([]);
    expect(mapEmergencyContacts({ resourceType: 'Patient', contact: [{}, null as never, { telecom: 'x' as never }] }, new Date())).toEqual([]);
  });
});
