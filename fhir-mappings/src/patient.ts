/** Patient → banner (name, age, date of birth, sex, MRN, avatar initials). */
import type { HumanName, Identifier, Patient } from 'fhir/r4';
import { ageAt } from './age.ts';
import { IDENTIFIER_TYPE_SYSTEMS, MRN_TYPE_CODE } from './codes.ts';
import { codeableConceptText, formatHumanName, hasCode, labelOf, preferredName, unsafeNarrative } from './display.ts';
import { indexResources, keyOf, resourcesOfType, type MapperInput, type ResourceIndex } from './input.ts';
import { bool, dateValue, items, oneOf, record, text, texts } from './safe.ts';
import { ADMINISTRATIVE_GENDERS, type IdentifierView, type PatientBanner } from './view-models.ts';

/** Identifier typed MR (v2-0203), else the first identifier with a value, as the EHR gives it. */
export function medicalRecordNumber(identifiers: readonly Identifier[] | undefined): IdentifierView | undefined {
  const usable = items(identifiers).filter((i) => text(i.value) !== undefined);
  const chosen = usable.find((i) => hasCode(record(i.type), IDENTIFIER_TYPE_SYSTEMS, [MRN_TYPE_CODE], true)) ?? usable[0];
  if (chosen === undefined) return undefined;
  const value = text(chosen.value) as string;
  const system = text(chosen.system);
  const type = codeableConceptText(record(chosen.type));
  return { value, ...(system !== undefined && { system }), ...(type !== undefined && { type }) };
}

function firstLetter(word: string | undefined): string {
  if (word === undefined) return '';
  for (const ch of word) if (/\p{L}/u.test(ch)) return ch.toLocaleUpperCase();
  return '';
}

/** First given + family initial ("AL"), else from the words of HumanName.text; '' when nothing is usable. */
export function initialsOf(name: HumanName | undefined): string {
  const n = record(name);
  if (n === undefined) return '';
  const given = texts(n.given)[0];
  const family = text(n.family);
  if (given !== undefined || family !== undefined) return firstLetter(given) + firstLetter(family);
  const words = (text(n.text) ?? '').split(/\s+/).filter((w) => w !== '');
  if (words.length === 0) return '';
  return firstLetter(words[0]) + (words.length > 1 ? firstLetter(words[words.length - 1]) : '');
}

/** Banner for one Patient resource. */
export function mapPatient(patient: Patient, asOf: Date | string, timeZone: string, position = 0): PatientBanner {
  const name = preferredName(patient.name);
  const id = text(patient.id);
  const birthDate = dateValue(patient.birthDate);
  const age = birthDate === undefined ? undefined : ageAt(birthDate.iso, asOf, timeZone);
  const sex = oneOf(ADMINISTRATIVE_GENDERS, patient.gender);
  const mrn = medicalRecordNumber(patient.identifier);
  const familyName = text(record(name)?.family);
  const narrative = unsafeNarrative(patient);
  return {
    key: keyOf(patient, position),
    ...(id !== undefined && { id }),
    name: labelOf(formatHumanName(name)),
    givenNames: texts(record(name)?.given),
    ...(familyName !== undefined && { familyName }),
    prefixes: texts(record(name)?.prefix),
    suffixes: texts(record(name)?.suffix),
    initials: initialsOf(name),
    ...(birthDate !== undefined && { birthDate }),
    ...(age !== undefined && { age }),
    ...(sex !== undefined && { sex }),
    ...(mrn !== undefined && { mrn }),
    deceased: bool(patient.deceasedBoolean) === true || dateValue(patient.deceasedDateTime) !== undefined,
    ...(narrative !== undefined && { unsafeNarrativeXhtml: narrative }),
  };
}

/**
 * The banner for the patient in `input`: the Patient with `patientId` when given, else the first Patient.
 * Undefined when the input holds no (matching) Patient.
 */
export function mapPatientBanner(
  input: MapperInput | ResourceIndex,
  asOf: Date | string,
  timeZone: string,
  patientId?: string,
): PatientBanner | undefined {
  const patients = resourcesOfType(indexResources(input), 'Patient');
  const position = patientId === undefined ? 0 : patients.findIndex((p) => p.id === patientId);
  const patient = patients[position];
  return patient === undefined ? undefined : mapPatient(patient, asOf, timeZone, position);
}
