/**
 * View models for the component tests, written as fhir-mappings produces them (see fhir-mappings/src/view-models.ts).
 * The access decisions mirror what GET /api/session carries for the two restricted cases.
 */
import type { ObservationResult, TrendSeries } from '../../../fhir-mappings/src/index.ts';
import type { SessionPatientView } from '../../../app/src/api/session.ts';

const text = (value: string) => ({ kind: 'text', text: value }) as const;
const mmol = (value: number) => ({ value, unit: 'mmol/L', ucum: 'mmol/L' });

export const potassiumHigh: ObservationResult = {
  key: 'Observation/k1',
  id: 'k1',
  label: text('Potassium'),
  codes: [{ system: 'http://loinc.org', code: '2823-3', display: 'Potassium' }],
  loinc: '2823-3',
  status: 'final',
  effective: { iso: '2025-03-03T09:30:00-08:00', precision: 'time' },
  value: { kind: 'quantity', quantity: mmol(5.9) },
  referenceRanges: [{ low: mmol(3.5), high: mmol(5.0), appliesTo: [] }],
  interpretation: 'high',
  components: [],
  notes: [],
};

export const glucoseCriticalLow: ObservationResult = {
  key: 'Observation/g1',
  id: 'g1',
  label: text('Glucose'),
  codes: [],
  loinc: '2345-7',
  effective: { iso: '2025-03-03', precision: 'day' },
  value: { kind: 'quantity', quantity: mmol(2.1) },
  referenceRanges: [{ low: mmol(3.9), high: mmol(5.5), appliesTo: [] }],
  interpretation: 'critical-low',
  components: [],
  notes: [],
};

export const sodiumNormal: ObservationResult = {
  key: 'Observation/na1',
  id: 'na1',
  label: text('Sodium'),
  codes: [],
  loinc: '2951-2',
  effective: { iso: '2025-03-03', precision: 'day' },
  value: { kind: 'quantity', quantity: mmol(140) },
  referenceRanges: [{ low: mmol(135), high: mmol(145), appliesTo: [] }],
  interpretation: 'normal',
  components: [],
  notes: [],
};

export const whiteCellsHigh: ObservationResult = {
  key: 'Observation/wbc1',
  id: 'wbc1',
  label: text('Leukocytes [#/volume] in Blood by Automated count'),
  codes: [{ system: 'http://loinc.org', code: '6690-2', display: 'Leukocytes [#/volume] in Blood by Automated count' }],
  loinc: '6690-2',
  effective: { iso: '2025-03-03', precision: 'day' },
  value: { kind: 'quantity', quantity: { value: 16.2, unit: '10*3/uL', ucum: '10*3/uL' } },
  referenceRanges: [{ low: { value: 4.5, unit: '10*3/uL', ucum: '10*3/uL' }, high: { value: 13.5, unit: '10*3/uL', ucum: '10*3/uL' }, appliesTo: [] }],
  interpretation: 'high',
  components: [],
  notes: [],
};

export const potassiumTrend: TrendSeries = {
  key: 'trend-2823-3',
  loinc: '2823-3',
  label: text('Potassium'),
  unit: 'mmol/L',
  points: [
    { time: { iso: '2024-01-10', precision: 'day' }, value: 4.1, unit: 'mmol/L', low: 3.5, high: 5.0, interpretation: 'normal' },
    { time: { iso: '2024-06-02', precision: 'day' }, value: 4.6, unit: 'mmol/L', low: 3.5, high: 5.0 },
    { time: { iso: '2025-03-03T09:30:00-08:00', precision: 'time' }, value: 5.9, unit: 'mmol/L', low: 3.5, high: 5.0, interpretation: 'high' },
  ],
};

const features = { viewRecord: false, messages: true, appointmentRequests: true, renewals: false, bills: 'balance-only' } as const;

/** What the gateway lists for `features` when every action is served (gateway/src/actions/available.ts). */
export const availableActions: SessionPatientView['availableActions'] = ['messages', 'appointment-requests', 'balance'];

export const allowListedAccess: SessionPatientView['access'] = {
  level: 'allow-listed',
  messageKey: 'access.guardian.teen-allow-list',
  features: { ...features, viewRecord: true },
  nextChange: { localDate: '2031-05-04', level: 'none', messageKey: 'access.guardian.adult-patient' },
};

export const noAccess: SessionPatientView['access'] = {
  level: 'none',
  messageKey: 'access.guardian.teen-no-online-access',
  features,
  nextChange: { localDate: '2031-05-04', level: 'none', messageKey: 'access.guardian.adult-patient' },
};

/** A revoked grant: the notice must not say why. */
export const inactiveAccess: SessionPatientView['access'] = {
  level: 'none',
  messageKey: 'some-future-key-the-app-does-not-know',
  features: { viewRecord: false, messages: false, appointmentRequests: false, renewals: false, bills: 'none' },
};
