/**
 * The bills rows of the policy core (policy/resource.ts): an Account only with the bills feature; Invoice and
 * ChargeItem only with bills "full" — also when the record view itself is full (a profile may give a guardian the
 * record but only the balance), so a line item never rides on record access.
 */
import type { Account, ChargeItem, Invoice, Patient } from 'fhir/r4';
import { describe, expect, it } from 'vitest';
import { BUILTIN_PROFILES, decideResource } from '../../../gateway/src/policy/index.ts';
import type { AccessFeatures, PatientAccessDecision } from '../../../gateway/src/policy/types.ts';

const profile = BUILTIN_PROFILES['ca-strict'];
const patient: Patient = { resourceType: 'Patient', id: 'leo', birthDate: '2025-02-03' };
const subject = { reference: 'Patient/leo' };
const account: Account = { resourceType: 'Account', id: 'a', status: 'active', subject: [subject] };
const invoice: Invoice = { resourceType: 'Invoice', id: 'i', status: 'issued', subject, totalNet: { value: 10, currency: 'USD' } };
const charge: ChargeItem = { resourceType: 'ChargeItem', id: 'c', status: 'billed', code: { text: 'Office visit' }, subject };

function decision(bills: AccessFeatures['bills'], level: PatientAccessDecision['level'] = 'full'): PatientAccessDecision {
  return {
    patient: 'Patient/leo', level, role: 'guardian', reason: 'guardian-child-under-12', legalBasis: [], messageKey: 'access.guardian.full',
    features: { viewRecord: level !== 'none', messages: true, appointmentRequests: true, renewals: true, bills },
    profile: profile.id, asOf: '2025-06-02T12:00:00Z', validUntil: '2025-06-03T07:00:00Z', rule: 'guardian-0-11',
  };
}
const effect = (d: PatientAccessDecision, resource: Account | Invoice | ChargeItem) => decideResource(d, resource, () => undefined, profile, patient).effect;

describe('bills in the policy core', () => {
  it('"full": account, statements and lines are shown with the record', () => {
    expect([account, invoice, charge].map((r) => effect(decision('full'), r))).toEqual(['show', 'show', 'show']);
  });
  it('"balance-only": the account, never a statement or a line — even with a full record view', () => {
    expect([account, invoice, charge].map((r) => effect(decision('balance-only'), r))).toEqual(['show', 'hide', 'hide']);
    expect([account, invoice, charge].map((r) => effect(decision('balance-only', 'none'), r))).toEqual(['show', 'hide', 'hide']);
  });
  it('"none": nothing of the bills, even with a full record view', () => {
    expect([account, invoice, charge].map((r) => effect(decision('none'), r))).toEqual(['hide', 'hide', 'hide']);
  });
});
