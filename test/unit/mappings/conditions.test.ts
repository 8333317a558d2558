import type { Condition } from 'fhir/r4';
import { describe, expect, it } from 'vitest';
import { mapHealthIssues } from '../../../fhir-mappings/src/index.ts';

const clinical = (code: string) => ({ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code }] });
const verification = (code: string) => ({ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-ver-status', code }] });
const condition = (id: string, extra: Partial<Condition>): Condition => ({ resourceType: 'Condition', id, subject: { reference: 'Patient/p1' }, ...extra });

describe('mapHealthIssues', () => {
  it('lists active first, then newest onset; shows text, coding display or code', () => {
    const issues = mapHealthIssues([
      condition('old-resolved', { clinicalStatus: clinical('resolved'), code: { text: 'Otitis media' }, onsetDateTime: '2025-01-02' }),
      condition('asthma', { clinicalStatus: clinical('active'), code: { coding: [{ display: 'Asthma' }] }, onsetDateTime: '2021' }),
      condition('eczema', { clinicalStatus: clinical('active'), code: { coding: [{ code: '24079001' }] }, onsetPeriod: { start: '2023-03-01' } }),
      condition('undated', { clinicalStatus: clinical('relapse'), code: { text: 'Croup' } }),
    ]);
    expect(issues.map((i) => i.id)).toEqual(['eczema', 'asthma', 'undated', 'old-resolved']);
    expect(issues.map((i) => i.label)).toEqual([
      { kind: 'text', text: '24079001' },
      { kind: 'text', text: 'Asthma' },
      { kind: 'text', text: 'Croup' },
      { kind: 'text', text: 'Otitis media' },
    ]);
    expect(issues[0]?.onset).toEqual({ kind: 'period', period: { start: { iso: '2023-03-01', precision: 'day' } } });
    expect(issues[3]).toMatchObject({ isActive: false, clinicalStatus: 'resolved' });
  });

  it('keeps onset as age or text, and leaves out entered-in-error and refuted', () => {
    const issues = mapHealthIssues([
      condition('age', { code: { text: 'Reflux' }, onsetAge: { value: 3, unit: 'months' }, verificationStatus: verification('confirmed') }),
      condition('text', { code: { text: 'Colic' }, onsetString: 'as a newborn', abatementString: 'by 4 months' }),
      condition('err', { code: { text: 'Wrong chart' }, verificationStatus: verification('entered-in-error') }),
      condition('no', { code: { text: 'Not it' }, verificationStatus: verification('refuted') }),
    ]);
    expect(issues.map((i) => i.id)).toEqual(['age', 'text']);
    expect(issues[0]).toMatchObject({ onset: { kind: 'age', age: { value: 3, unit: 'months' } }, verificationStatus: 'confirmed', isActive: true });
    // No clinical status but abated: not active.
    expect(issues[1]).toMatchObject({ onset: { kind: 'text', text: 'as a newborn' }, isActive: false });
  });

  it('gives an unknown label and no throw for hostile conditions', () => {
    const hostile = [
      { resourceType: 'Condition', code: 'asthma', clinicalStatus: 'active', onsetDateTime: 5, note: 'x', category: {} },
      { resourceType: 'Condition', code: { coding: { code: 'x' } }, verificationStatus: { coding: [{ code: 42 }] } },
    ] as unknown as Condition[];
    const issues = mapHealthIssues(hostile);
    expect(issues).toHaveLength(2);
    for (const issue of issues) expect(issue).toMatchObject({ label: { kind: 'unknown' }, codes: [], categories: [], notes: [] });
  });
});
