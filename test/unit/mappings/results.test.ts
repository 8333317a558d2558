import type { DiagnosticReport, Observation } from 'fhir/r4';
import { describe, expect, it } from 'vitest';
import { interpretationFlag, mapOtherReports, mapTestResults } from '../../../fhir-mappings/src/index.ts';

const LOINC = 'http://loinc.org';
const V3 = 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation';
const lab = [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'laboratory' }] }];
const obs = (id: string, loinc: string, text: string, when: string, extra: Partial<Observation> = {}): Observation => ({
  resourceType: 'Observation',
  id,
  status: 'final',
  category: lab,
  code: { coding: [{ system: LOINC, code: loinc }], text },
  effectiveDateTime: when,
  ...extra,
});
const report = (id: string, results: string[], extra: Partial<DiagnosticReport> = {}): DiagnosticReport => ({
  resourceType: 'DiagnosticReport',
  id,
  status: 'final',
  category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0074', code: 'LAB' }] }],
  code: { text: `Report ${id}` },
  result: results.map((r) => ({ reference: `Observation/${r}` })),
  ...extra,
});
const hgb = (id: string, when: string, value: number, code?: string) =>
  obs(id, '718-7', 'Hemoglobin', when, {
    valueQuantity: { value, unit: 'g/dL', system: 'http://unitsofmeasure.org', code: 'g/dL' },
    referenceRange: [{ low: { value: 11.5, unit: 'g/dL' }, high: { value: 15.5, unit: 'g/dL' } }],
    ...(code !== undefined && { interpretation: [{ coding: [{ system: V3, code }] }] }),
  });

describe('interpretationFlag', () => {
  it('normalizes v3 codes to the closed set and ignores other systems', () => {
    const flag = (code: string, system: string | undefined = V3) => interpretationFlag([{ coding: [{ ...(system && { system }), code }] }]);
    expect(['N', 'H', 'L', 'HH', 'LL', 'A', 'AA', 'HU', 'LU'].map((c) => flag(c))).toEqual([
      'normal', 'high', 'low', 'critical-high', 'critical-low', 'abnormal', 'abnormal', 'critical-high', 'critical-low',
    ]);
    expect(flag('H', undefined)).toBe('high');
    expect(flag('H', 'urn:local')).toBeUndefined();
    expect(flag('POS')).toBeUndefined();
    expect(interpretationFlag('H' as unknown as [])).toBeUndefined();
  });
});

describe('mapTestResults', () => {
  const input = [
    report('cbc-2', ['h2', 'wbc2'], { effectiveDateTime: '2026-10-01T09:00:00Z', conclusion: 'Mild anemia.', presentedForm: [{ contentType: 'application/pdf', title: 'CBC', url: 'Binary/pdf1', size: 2048 }] }),
    report('cbc-1', ['h1', 'missing'], { effectiveDateTime: '2026-04-01T09:00:00Z' }),
    hgb('h1', '2026-04-01T09:00:00Z', 12.1, 'N'),
    hgb('h2', '2026-10-01T09:00:00Z', 10.9, 'L'),
    obs('wbc2', '6690-2', 'WBC', '2026-10-01T09:00:00Z', { valueQuantity: { value: 7.1, unit: '10*3/uL' } }),
    obs('strep', '78012-2', 'Strep A', '2026-09-03T15:00:00-07:00', { valueCodeableConcept: { coding: [{ display: 'Not detected' }] } }),
    obs('lead', '5671-3', 'Lead', '2026-09-03', { valueQuantity: { value: 2, unit: 'ug/dL', comparator: '<' }, referenceRange: [{ text: '< 3.5 ug/dL' }] }),
    obs('bp', '85354-9', 'Blood pressure', '2026-09-03', {
      category: [{ coding: [{ code: 'vital-signs' }] }],
      component: [{ code: { text: 'Systolic' }, valueQuantity: { value: 100, unit: 'mmHg' } }],
    }),
    obs('ua', '24356-8', 'Urinalysis panel', '2026-08-01', { hasMember: [{ reference: 'Observation/ua-ph' }] }),
    obs('ua-ph', '5803-2', 'pH of Urine', '2026-08-01', { valueQuantity: { value: 6 } }),
    obs('err', '718-7', 'Hemoglobin', '2026-08-01', { status: 'entered-in-error', valueQuantity: { value: 1 } }),
  ];
  const results = mapTestResults(input);

  it('groups results by report, newest report first, in the report order, with conclusion and attachments', () => {
    expect(results.reports.map((r) => [r.id, r.results.map((o) => o.id)])).toEqual([
      ['cbc-2', ['h2', 'wbc2']],
      ['cbc-1', ['h1']],
    ]);
    expect(results.reports[0]).toMatchObject({
      kind: 'lab',
      conclusion: 'Mild anemia.',
      presentedForm: [{ contentType: 'application/pdf', title: 'CBC', url: 'Binary/pdf1', size: 2048, hasInlineData: false }],
    });
    expect(results.reports[0]?.results[0]).toMatchObject({
      value: { kind: 'quantity', quantity: { value: 10.9, unit: 'g/dL', ucum: 'g/dL' } },
      referenceRanges: [{ low: { value: 11.5, unit: 'g/dL' }, high: { value: 15.5, unit: 'g/dL' }, appliesTo: [] }],
      interpretation: 'low',
      loinc: '718-7',
    });
  });

  it('groups unclaimed lab observations by date, flattens panels, leaves out vitals and entered-in-error', () => {
    expect(results.ungrouped.map((g) => [g.date, g.results.map((r) => r.id)])).toEqual([
      ['2026-09-03', ['strep', 'lead']],
      ['2026-08-01', ['ua-ph']],
    ]);
    const lead = results.ungrouped[0]?.results[1];
    expect(lead?.value).toEqual({ kind: 'quantity', quantity: { value: 2, unit: 'ug/dL', comparator: '<' } });
    expect(lead?.referenceRanges).toEqual([{ text: '< 3.5 ug/dL', appliesTo: [] }]);
    expect(results.ungrouped[0]?.results[0]?.value).toEqual({ kind: 'coded', label: { kind: 'text', text: 'Not detected' }, codes: [] });
  });

  it('builds a trend for any LOINC measured more than once, oldest first, with range', () => {
    expect(results.trends).toEqual([
      {
        key: 'loinc:718-7',
        loinc: '718-7',
        label: { kind: 'text', text: 'Hemoglobin' },
        unit: 'g/dL',
        points: [
          { time: { iso: '2026-04-01T09:00:00Z', precision: 'time' }, value: 12.1, unit: 'g/dL', low: 11.5, high: 15.5, interpretation: 'normal' },
          { time: { iso: '2026-10-01T09:00:00Z', precision: 'time' }, value: 10.9, unit: 'g/dL', low: 11.5, high: 15.5, interpretation: 'low' },
        ],
      },
    ]);
  });

  it('maps every value[x] form, components and dataAbsentReason', () => {
    const r = mapTestResults([
      obs('s', '1-1', 'S', '2026-01-01', { valueString: 'see note' }),
      obs('b', '1-2', 'B', '2026-01-01', { valueBoolean: false }),
      obs('i', '1-3', 'I', '2026-01-01', { valueInteger: 3 }),
      obs('r', '1-4', 'R', '2026-01-01', { valueRange: { low: { value: 1 }, high: { value: 2 } } }),
      obs('q', '1-5', 'Q', '2026-01-01', { valueRatio: { numerator: { value: 1 }, denominator: { value: 128 } } }),
      obs('a', '1-6', 'A', '2026-01-01', { dataAbsentReason: { text: 'Specimen hemolyzed' } }),
      obs('c', '1-7', 'C', '2026-01-01', { component: [{ code: { text: 'Part' }, valueQuantity: { value: 5, unit: '%' }, interpretation: [{ coding: [{ code: 'HH' }] }] }] }),
    ]).ungrouped[0]?.results;
    const byId = Object.fromEntries((r ?? []).map((o) => [o.id, o]));
    expect(byId.s?.value).toEqual({ kind: 'text', text: 'see note' });
    expect(byId.b?.value).toEqual({ kind: 'boolean', value: false });
    expect(byId.i?.value).toEqual({ kind: 'integer', value: 3 });
    expect(byId.r?.value).toEqual({ kind: 'range', range: { low: { value: 1 }, high: { value: 2 } } });
    expect(byId.q?.value).toEqual({ kind: 'ratio', numerator: { value: 1 }, denominator: { value: 128 } });
    expect(byId.a?.value).toEqual({ kind: 'absent', reason: { kind: 'text', text: 'Specimen hemolyzed' } });
    expect(byId.c?.components).toEqual([
      { key: 'component#0', label: { kind: 'text', text: 'Part' }, value: { kind: 'quantity', quantity: { value: 5, unit: '%' } }, referenceRanges: [], interpretation: 'critical-high' },
    ]);
  });
});

describe('mapOtherReports', () => {
  it('keeps radiology, pathology and notes out of test results', () => {
    const input: DiagnosticReport[] = [
      report('xr', [], { category: [{ coding: [{ system: 'http://loinc.org', code: 'LP29684-5' }] }], code: { text: 'Chest X-ray' }, conclusion: 'Normal.', issued: '2026-02-02T10:00:00Z' }),
      report('us', [], { category: [{ coding: [{ code: 'RAD' }] }], code: { text: 'Renal ultrasound' }, effectiveDateTime: '2026-03-01' }),
      report('path', [], { category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0074', code: 'SP' }] }] }),
      report('note', [], { category: [{ coding: [{ system: 'http://loinc.org', code: '34117-2' }] }], presentedForm: [{ contentType: 'text/plain', data: 'SGk=' }] }),
      report('lab', []),
    ];
    expect(mapOtherReports(input).map((r) => [r.id, r.kind])).toEqual([
      ['us', 'imaging'],
      ['xr', 'imaging'],
      // Undated reports last, by name.
      ['note', 'note'],
      ['path', 'pathology'],
    ]);
    expect(mapTestResults(input).reports.map((r) => r.id)).toEqual(['lab']);
  });

  it('classifies an uncategorized report as lab only when its results are lab observations', () => {
    const input = [
      report('x', ['o1'], { category: undefined }),
      report('y', ['o2'], { category: undefined }),
      obs('o1', '718-7', 'Hemoglobin', '2026-01-01'),
      obs('o2', '55757-9', 'PHQ-2', '2026-01-01', { category: [{ coding: [{ code: 'survey' }] }] }),
    ];
    expect(mapTestResults(input).reports.map((r) => r.id)).toEqual(['x']);
    expect(mapOtherReports(input).map((r) => [r.id, r.kind])).toEqual([['y', 'other']]);
  });

  it('survives hostile reports', () => {
    const hostile = [
      { resourceType: 'DiagnosticReport', category: 'LAB', result: 'Observation/1', presentedForm: [{ url: 'javascript:alert(1)' }], conclusion: {} },
      { resourceType: 'DiagnosticReport', result: [{ reference: 7 }, { reference: '#nope' }], performer: [{ display: '' }] },
    ] as unknown as DiagnosticReport[];
    expect(mapOtherReports(hostile)).toEqual([
      { key: 'DiagnosticReport#0', kind: 'other', label: { kind: 'unknown' }, codes: [], categories: [], performers: [], conclusionCodes: [], presentedForm: [], results: [] },
      { key: 'DiagnosticReport#1', kind: 'other', label: { kind: 'unknown' }, codes: [], categories: [], performers: [], conclusionCodes: [], presentedForm: [], results: [] },
    ]);
  });
});
