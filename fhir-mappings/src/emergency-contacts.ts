/**
 * Patient.contact → the people to call in an emergency, for the child's emergency card: name, relationship, phone
 * numbers (current ones only: a contact or number whose period has ended is left out). Contacts marked as the
 * emergency contact (v2-0131 "C") come first, then next of kin ("N"), then the others in the EHR's order; employers
 * ("E") and insurers ("I") are not emergency contacts and are left out.
 */
import type { Patient, PatientContact } from 'fhir/r4';
import { codingsOf, conceptLabels, formatHumanName } from './display.ts';
import { items, record, text } from './safe.ts';
import type { Label } from './view-models.ts';

export interface EmergencyContact {
  readonly key: string;
  readonly name?: string;
  readonly relationships: readonly Label[];
  readonly phones: readonly string[];
}

const NOT_FOR_EMERGENCIES = new Set(['E', 'I', 'S', 'U']);

function ended(period: { end?: string } | undefined, asOf: number): boolean {
  const end = text(record(period)?.end);
  if (end === undefined) return false;
  const time = Date.parse(end.length === 10 ? `${end}T23:59:59Z` : end);
  return Number.isFinite(time) && time < asOf;
}

function rank(contact: PatientContact): number {
  const codes = items(contact.relationship).flatMap((cc) => codingsOf(record(cc)).map((c) => c.code));
  if (codes.includes('C')) return 0;
  if (codes.includes('N')) return 1;
  return 2;
}

export function mapEmergencyContacts(patient: Patient | undefined, asOf: Date | string): EmergencyContact[] {
  const p = record(patient);
  if (p === undefined || p.resourceType !== 'Patient') return [];
  const now = typeof asOf === 'string' ? Date.parse(asOf) : asOf.getTime();
  const out: Array<{ contact: EmergencyContact; rank: number; position: number }> = [];
  items(p.contact).forEach((contact, position) => {
    if (ended(contact.period, now)) return;
    const codes = items(contact.relationship).flatMap((cc) => codingsOf(record(cc)).map((c) => c.code));
    if (codes.length > 0 && codes.every((code) => NOT_FOR_EMERGENCIES.has(code))) return;
    const name = formatHumanName(record(contact.name)) ?? text(record(contact.organization)?.display);
    const phones = items(contact.telecom)
      .filter((t) => (t.system === 'phone' || t.system === 'sms') && !ended(t.period, now))
      .map((t) => text(t.value))
      .filter((v): v is string => v !== undefined);
    if (name === undefined && phones.length === 0) return;
    out.push({
      contact: { key: `contact#${position}`, ...(name !== undefined && { name }), relationships: conceptLabels(contact.relationship), phones: [...new Set(phones)] },
      rank: rank(contact),
      position,
    });
  });
  return out.sort((a, b) => a.rank - b.rank || a.position - b.position).map((entry) => entry.contact);
}
