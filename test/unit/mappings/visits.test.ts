import type { DocumentReference, Encounter, Location } from 'fhir/r4';
import { describe, expect, it } from 'vitest';
import { mapDocuments, mapVisits } from '../../../fhir-mappings/src/index.ts';

describe('mapVisits', () => {
  it('maps type, class, period, location, practitioners and service type; newest first', () => {
    const clinic: Location = { resourceType: 'Location', id: 'loc1', name: 'Sprout Pediatrics — Pasadena' };
    const visits = mapVisits([
      {
        resourceType: 'Encounter',
        id: 'e1',
        status: 'finished',
        class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB', display: 'ambulatory' },
        type: [{ text: 'Well child visit' }],
        serviceType: { coding: [{ display: 'Pediatrics' }] },
        period: { start: '2026-03-01T09:00:00-08:00', end: '2026-03-01T09:30:00-08:00' },
        location: [{ location: { reference: 'Location/loc1' } }],
        participant: [
          { individual: { reference: 'Practitioner/1', display: 'Dr. Ana Soto' } },
          { individual: { reference: 'RelatedPerson/mom', display: 'Mom' } },
          { individual: { display: 'Dr. Ana Soto' } },
        ],
        reasonCode: [{ text: 'Checkup' }],
      },
      { resourceType: 'Encounter', id: 'e2', status: 'finished', class: { code: 'EMER' }, period: { start: '2026-06-01' } },
      { resourceType: 'Encounter', id: 'e3', status: 'entered-in-error', class: { code: 'AMB' } },
      clinic,
    ]);
    expect(visits.map((v) => v.id)).toEqual(['e2', 'e1']);
    expect(visits[0]).toMatchObject({ label: { kind: 'text', text: 'EMER' }, classCode: 'EMER' });
    expect(visits[1]).toMatchObject({
      label: { kind: 'text', text: 'Well child visit' },
      classCode: 'AMB',
      classLabel: { kind: 'text', text: 'ambulatory' },
      locations: ['Sprout Pediatrics — Pasadena'],
      practitioners: ['Dr. Ana Soto'],
      serviceType: { kind: 'text', text: 'Pediatrics' },
      reasons: [{ kind: 'text', text: 'Checkup' }],
      period: { start: { iso: '2026-03-01T09:00:00-08:00', precision: 'time' }, end: { iso: '2026-03-01T09:30:00-08:00', precision: 'time' } },
    });
  });

  it('survives hostile encounters', () => {
    const visits = mapVisits([{ resourceType: 'Encounter', class: 'AMB', type: 'visit', participant: {}, location: [{ location: 'here' }], period: 'today' } as unknown as Encounter]);
    expect(visits).toEqual([{ key: 'Encounter#0', label: { kind: 'unknown' }, types: [], period: {}, locations: [], practitioners: [], reasons: [] }]);
  });
});

const doc = (id: string, extra: Partial<DocumentReference>): DocumentReference => ({ resourceType: 'DocumentReference', id, status: 'current', content: [], ...extra });

describe('mapDocuments', () => {
  it('maps type, date, author, description and attachments', () => {
    const [d] = mapDocuments([
      doc('d1', {
        type: { coding: [{ system: 'http://loinc.org', code: '18842-5', display: 'Discharge summary' }] },
        date: '2026-04-02T12:00:00Z',
        author: [{ display: 'Dr. Li Wong' }],
        description: 'Discharge after bronchiolitis',
        content: [{ attachment: { contentType: 'application/pdf', url: 'Binary/b1', title: 'Discharge.pdf', size: 53_000 } }, { attachment: { url: 'file:///etc/passwd' } }],
        context: { encounter: [{ reference: 'Encounter/e9' }] },
        securityLabel: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality', code: 'N' }] }],
      }),
    ]);
    expect(d).toEqual({
      key: 'DocumentReference/d1',
      id: 'd1',
      type: { kind: 'text', text: 'Discharge summary' },
      categories: [],
      date: { iso: '2026-04-02T12:00:00Z', precision: 'time' },
      authors: ['Dr. Li Wong'],
      description: 'Discharge after bronchiolitis',
      status: 'current',
      attachments: [{ contentType: 'application/pdf', url: 'Binary/b1', title: 'Discharge.pdf', size: 53_000, hasInlineData: false }],
      encounterIds: ['e9'],
      confidentiality: 'N',
      nonConfidential: true,
    });
  });

  it('declares non-confidential only from explicit labels, taking the most restrictive', () => {
    const confidential = (labels: DocumentReference['securityLabel']) => mapDocuments([doc('x', { securityLabel: labels })])[0];
    expect(confidential(undefined)).toMatchObject({ nonConfidential: false });
    expect(confidential([{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality', code: 'R' }] }])).toMatchObject({ confidentiality: 'R', nonConfidential: false });
    expect(confidential([{ coding: [{ code: 'N' }, { code: 'V' }] }])).toMatchObject({ confidentiality: 'V', nonConfidential: false });
    expect(confidential([{ coding: [{ system: 'urn:other', code: 'N' }] }])).toMatchObject({ nonConfidential: false });
  });

  it('reads the confidentiality code from meta.security too, where the policy core reads it', () => {
    const V3 = 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality';
    const inMeta = (codes: string[], labels?: DocumentReference['securityLabel']) =>
      mapDocuments([doc('x', { meta: { security: codes.map((code) => ({ system: V3, code })) }, securityLabel: labels })])[0];
    expect(inMeta(['N'])).toMatchObject({ confidentiality: 'N', nonConfidential: true });
    expect(inMeta(['R'])).toMatchObject({ confidentiality: 'R', nonConfidential: false });
    // The most restrictive of both places wins.
    expect(inMeta(['N'], [{ coding: [{ system: V3, code: 'V' }] }])).toMatchObject({ confidentiality: 'V', nonConfidential: false });
  });

  it('leaves out superseded and entered-in-error documents and survives hostile ones', () => {
    const docs = mapDocuments([
      doc('old', { status: 'superseded' }),
      doc('err', { status: 'entered-in-error' }),
      { resourceType: 'DocumentReference', content: 'pdf', author: 'me', securityLabel: 'N', context: { encounter: 'Encounter/1' } } as unknown as DocumentReference,
    ]);
    expect(docs).toEqual([{ key: 'DocumentReference#2', type: { kind: 'unknown' }, categories: [], authors: [], attachments: [], encounterIds: [], nonConfidential: false }]);
  });
});
