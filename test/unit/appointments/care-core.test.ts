/**
 * The pure cores of issue 12: which prescriptions are renewable, the time checks on requested windows, who a
 * request comes from and when it is confidential, the Requests list's states, and wall-clock times in the
 * hospital's zone across a daylight-saving change.
 */
import type { Appointment, MedicationDispense, MedicationRequest, Task } from 'fhir/r4';
import { describe, expect, it } from 'vitest';
import { checkWindows, isMinorActingForSelf, requesterOf } from '../../../gateway/src/care-requests/care-fhir.ts';
import { isControlledSubstance, renewability } from '../../../gateway/src/care-requests/renewal.ts';
import { requestViews } from '../../../gateway/src/care-requests/request-list.ts';
import { BUILTIN_PROFILES } from '../../../gateway/src/policy/profile.ts';
import type { PatientAccessDecision, Principal } from '../../../gateway/src/policy/types.ts';
import { zonedInstant } from '../../../app/src/requests/zoned-time.ts';

const NOW = Date.parse('2026-12-04T20:00:00Z');
const DAY = 86_400_000;

const order = (over: Partial<MedicationRequest> = {}): MedicationRequest => ({
  resourceType: 'MedicationRequest', id: 'm1', status: 'active', intent: 'order', subject: { reference: 'Patient/p' },
  medicationCodeableConcept: { text: 'Amoxicillin 250 mg/5 mL suspension' },
  dispenseRequest: { numberOfRepeatsAllowed: 2, validityPeriod: { start: new Date(NOW - 30 * DAY).toISOString() }, expectedSupplyDuration: { value: 10, unit: 'd' } },
  ...over,
});
const fills = (n: number): MedicationDispense[] => Array.from({ length: n }, (_, i) => ({ resourceType: 'MedicationDispense', id: `d${i}`, status: 'completed' }));

describe('renewability', () => {
  it('offers a renewal once the refills are used up or the prescription expired, not before', () => {
    expect(renewability(order(), fills(1), NOW, 'visit-required')).toEqual({ renewable: false, because: 'still-has-refills' });
    expect(renewability(order(), fills(3), NOW, 'visit-required')).toEqual({ renewable: true, because: 'refills-used' });
    const expired = order({ dispenseRequest: { numberOfRepeatsAllowed: 5, validityPeriod: { start: '2025-01-01', end: new Date(NOW - DAY).toISOString() } } });
    expect(renewability(expired, [], NOW, 'visit-required')).toEqual({ renewable: true, because: 'expired' });
    const yearOld = order({ dispenseRequest: { numberOfRepeatsAllowed: 5, validityPeriod: { start: new Date(NOW - 400 * DAY).toISOString() } } });
    expect(renewability(yearOld, [], NOW, 'visit-required')).toEqual({ renewable: true, because: 'expired' });
  });

  it('never for proposals, plans, stopped or entered-in-error orders', () => {
    for (const over of [{ intent: 'proposal' as const }, { intent: 'plan' as const }, { status: 'stopped' as const }, { status: 'entered-in-error' as const }]) {
      expect(renewability(order(over), fills(3), NOW, 'request')).toEqual({ renewable: false, because: 'not-an-order' });
    }
  });

  it('controlled substances need a visit where the profile says so, by name or by the hospital category', () => {
    const stimulant = order({ medicationCodeableConcept: { coding: [{ display: 'Methylphenidate 20 MG Oral Tablet' }] } });
    expect(isControlledSubstance(stimulant)).toBe(true);
    expect(renewability(stimulant, fills(3), NOW, 'visit-required')).toEqual({ renewable: false, because: 'needs-visit' });
    expect(renewability(stimulant, fills(3), NOW, 'request')).toEqual({ renewable: true, because: 'refills-used' });
    const marked = order({ category: [{ coding: [{ system: 'urn:sprout:medication-class', code: 'controlled-substance' }] }] });
    expect(isControlledSubstance(marked)).toBe(true);
    expect(isControlledSubstance(order())).toBe(false);
  });
});

describe('requested windows', () => {
  const w = (startDays: number) => ({ start: new Date(NOW + startDays * DAY).toISOString(), end: new Date(NOW + startDays * DAY + 3_600_000).toISOString() });
  it('accepts future windows within the horizon and names the first bad one', () => {
    expect(() => checkWindows([w(1), w(89)], NOW, 90)).not.toThrow();
    expect(() => checkWindows([w(1), w(-1)], NOW, 90)).toThrow(expect.objectContaining({ code: 'date-in-past', details: { field: 'windows.1' } }));
    expect(() => checkWindows([w(91)], NOW, 90)).toThrow(expect.objectContaining({ code: 'beyond-horizon' }));
    expect(() => checkWindows([{ start: w(2).end, end: w(2).start }], NOW, 90)).toThrow(expect.objectContaining({ code: 'invalid-input' }));
    expect(() => checkWindows([{ start: '2026-12-10 09:00', end: '2026-12-10 10:00' }], NOW, 90)).toThrow(expect.objectContaining({ code: 'invalid-input' }));
  });
});

describe('who asks', () => {
  const decision = (over: Partial<PatientAccessDecision>): PatientAccessDecision => ({
    patient: 'Patient/isabel', level: 'full', role: 'self', reason: 'x', legalBasis: [], messageKey: 'x', profile: 'ca-adolescent-split', asOf: '', validUntil: '',
    features: { viewRecord: true, messages: true, appointmentRequests: true, renewals: true, bills: 'full' }, ...over,
  });
  const principal: Principal = { fhirUser: 'https://ehr/Person/maria', reference: 'Person/maria', kind: 'Person', scopes: [] };
  it('a minor acting for themself is confidential; an adult or a guardian is not', () => {
    const profile = BUILTIN_PROFILES['ca-adolescent-split'];
    expect(isMinorActingForSelf(decision({ rule: 'self-teen' }), profile)).toBe(true);
    expect(isMinorActingForSelf(decision({ rule: 'self-adult' }), profile)).toBe(false);
    expect(isMinorActingForSelf(decision({ role: 'guardian', rule: 'guardian-12-17' }), profile)).toBe(false);
  });
  it('the requester is the grant the guardian acts through, or the patient', () => {
    expect(requesterOf(principal, decision({ role: 'guardian', actingAs: ['Person/maria', 'RelatedPerson/maria-for-sofia'] }))).toEqual({ reference: 'RelatedPerson/maria-for-sofia' });
    expect(requesterOf(principal, decision({ role: 'self' }))).toEqual({ reference: 'Patient/isabel' });
  });
});

describe('the Requests list', () => {
  const appointment = (status: Appointment['status'], over: Partial<Appointment> = {}): Appointment => ({
    resourceType: 'Appointment', id: `a-${status}`, status, participant: [], created: '2026-12-01T00:00:00Z',
    serviceCategory: [{ coding: [{ system: 'urn:sprout:care-request', code: 'appointment-request' }] }], ...over,
  });
  it("gives each request its state and the clinic's words; ignores the EHR's own appointments and tasks", () => {
    const declined = appointment('cancelled', { cancelationReason: { coding: [{ code: 'prov' }], text: 'Please see the nurse.' } });
    const task: Task = { resourceType: 'Task', id: 't', status: 'rejected', intent: 'order', statusReason: { text: 'No times.' }, code: { coding: [{ system: 'urn:sprout:care-request', code: 'reschedule' }] }, focus: { reference: 'Appointment/x' } };
    const views = requestViews([appointment('proposed'), appointment('booked', { start: '2026-12-10T17:00:00Z' }), declined, { ...appointment('booked'), id: 'ehr', serviceCategory: [] }],
      [task, { ...task, id: 'other', code: { text: 'EHR work item' } }], []);
    expect(views.map((v) => [v.reference, v.state, v.answer])).toEqual([
      ['Appointment/a-proposed', 'sent', undefined],
      ['Appointment/a-booked', 'booked', undefined],
      ['Appointment/a-cancelled', 'declined', 'Please see the nurse.'],
      ['Task/t', 'declined', 'No times.'],
    ]);
  });
});

describe('hospital wall-clock time', () => {
  it('reads a day and time in the hospital zone, on both sides of the daylight-saving change', () => {
    expect(zonedInstant('2026-12-10', '09:00', 'America/Los_Angeles')?.toISOString()).toBe('2026-12-10T17:00:00.000Z');
    expect(zonedInstant('2026-07-10', '09:00', 'America/Los_Angeles')?.toISOString()).toBe('2026-07-10T16:00:00.000Z');
    expect(zonedInstant('2026-11-01', '09:00', 'America/Los_Angeles')?.toISOString()).toBe('2026-11-01T17:00:00.000Z');
    expect(zonedInstant('2026-13-01', '09:00', 'America/Los_Angeles')).toBeUndefined();
    expect(zonedInstant('2026-12-10', '9am', 'America/Los_Angeles')).toBeUndefined();
  });
});
