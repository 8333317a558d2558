/**
 * A patient's display name for the session view: the official (else usual, else first) name, as its text or as
 * given + family. Total: a Patient without a usable name gives ''. (Kept local until fhir-mappings exports its
 * formatHumanName from its index.)
 */
import type { HumanName, Patient } from 'fhir/r4';

function pickName(names: readonly HumanName[] | undefined): HumanName | undefined {
  if (names === undefined || names.length === 0) return undefined;
  const current = names.filter((n) => n.period?.end === undefined);
  const pool = current.length > 0 ? current : names;
  return pool.find((n) => n.use === 'official') ?? pool.find((n) => n.use === 'usual') ?? pool[0];
}

export function patientDisplayName(patient: Patient): string {
  const name = pickName(patient.name);
  if (name === undefined) return '';
  const parts = [...(name.given ?? []), name.family ?? ''].map((p) => (typeof p === 'string' ? p.trim() : '')).filter((p) => p !== '');
  if (parts.length > 0) return parts.join(' ');
  return typeof name.text === 'string' ? name.text.trim() : '';
}
