/**
 * Plain words for visits and appointments, in English and Spanish: the kind of visit (Encounter.class, v3 ActCode),
 * common visit types (SNOMED CT) and clinic specialties (SNOMED CT), so a family reads "Check-up" and "Clinic visit",
 * not "Encounter for check up" and "ambulatory". Data, not logic; unknown codes fall back to the EHR's own words.
 */
import { SNOMED_SYSTEM } from './codes.ts';
import { plainLanguage } from './plain-lab-names.ts';
import type { AppointmentItem, CodingView, Label, VisitItem } from './view-models.ts';

interface Words {
  readonly en: string;
  readonly es: string;
}

/** http://terminology.hl7.org/CodeSystem/v3-ActCode encounter classes. */
const CLASS_WORDS: Readonly<Record<string, Words>> = {
  AMB: { en: 'Clinic visit', es: 'Consulta en la clínica' },
  EMER: { en: 'Emergency visit', es: 'Visita a emergencias' },
  IMP: { en: 'Hospital stay', es: 'Hospitalización' },
  ACUTE: { en: 'Hospital stay', es: 'Hospitalización' },
  NONAC: { en: 'Hospital stay', es: 'Hospitalización' },
  OBSENC: { en: 'Observation stay', es: 'Estancia en observación' },
  SS: { en: 'Same-day surgery or procedure', es: 'Cirugía o procedimiento del mismo día' },
  VR: { en: 'Video or phone visit', es: 'Visita por video o teléfono' },
  HH: { en: 'Home visit', es: 'Visita a domicilio' },
  PRENC: { en: 'Visit before a hospital stay', es: 'Visita antes de una hospitalización' },
  FLD: { en: 'Visit outside the clinic', es: 'Visita fuera de la clínica' },
};

/** SNOMED CT visit types and specialties seen in pediatric EHR exports. */
const SNOMED_WORDS: Readonly<Record<string, Words>> = {
  // Visit types
  '185349003': { en: 'Check-up', es: 'Chequeo' },
  '162673000': { en: 'Check-up', es: 'Chequeo' },
  '410620009': { en: 'Well-child visit', es: 'Visita de control del niño sano' },
  '50849002': { en: 'Emergency visit', es: 'Visita a emergencias' },
  '183452005': { en: 'Emergency hospital stay', es: 'Hospitalización de emergencia' },
  '32485007': { en: 'Hospital stay', es: 'Hospitalización' },
  '185347001': { en: 'Visit for a health concern', es: 'Visita por un problema de salud' },
  '185345009': { en: 'Visit for symptoms', es: 'Visita por síntomas' },
  '390906007': { en: 'Follow-up visit', es: 'Visita de seguimiento' },
  '185389009': { en: 'Follow-up visit', es: 'Visita de seguimiento' },
  '86013001': { en: 'Follow-up visit', es: 'Visita de seguimiento' },
  '439740005': { en: 'Follow-up after surgery', es: 'Seguimiento después de una cirugía' },
  '11429006': { en: 'Consultation', es: 'Consulta' },
  '698314001': { en: 'Consultation', es: 'Consulta' },
  '165190001': { en: 'Therapy session', es: 'Sesión de terapia' },
  '394701000': { en: 'Asthma follow-up', es: 'Seguimiento del asma' },
  '308335008': { en: 'Visit', es: 'Visita' },
  '270427003': { en: 'Visit', es: 'Visita' },
  // Specialties (Appointment.serviceType / specialty, Encounter.serviceType)
  '394537008': { en: 'Pediatrics', es: 'Pediatría' },
  '394814009': { en: 'Primary care', es: 'Atención primaria' },
  '394583002': { en: 'Endocrinology (hormones and diabetes)', es: 'Endocrinología (hormonas y diabetes)' },
  '394589003': { en: 'Teen health', es: 'Salud de adolescentes' },
  '722162001': { en: 'Psychology', es: 'Psicología' },
  '394587001': { en: 'Psychiatry', es: 'Psiquiatría' },
  '394579002': { en: 'Cardiology (heart)', es: 'Cardiología (corazón)' },
  '394582007': { en: 'Dermatology (skin)', es: 'Dermatología (piel)' },
  '394609007': { en: 'Surgery', es: 'Cirugía' },
  '394801008': { en: 'Orthopedics (bones and joints)', es: 'Ortopedia (huesos y articulaciones)' },
  '418112009': { en: 'Pulmonology (lungs)', es: 'Neumología (pulmones)' },
  '394584008': { en: 'Gastroenterology (stomach and gut)', es: 'Gastroenterología (estómago e intestinos)' },
};

/** The plain word for an Encounter.class code, or undefined when the code is not known. */
export function plainVisitClass(classCode: string | undefined, locale: string): string | undefined {
  return classCode === undefined ? undefined : CLASS_WORDS[classCode]?.[plainLanguage(locale)];
}

/** The curated word for the first coding that has one (SNOMED CT, or a code without a system). */
export function plainCodedWord(codes: readonly CodingView[], locale: string): string | undefined {
  for (const coding of codes) {
    if (coding.system !== undefined && coding.system !== SNOMED_SYSTEM) continue;
    const words = SNOMED_WORDS[coding.code];
    if (words !== undefined) return words[plainLanguage(locale)];
  }
  return undefined;
}

/** A label that a person wrote (CodeableConcept.text), not a code display: no coding display reads the same. */
function ownText(label: Label | undefined, codes: readonly CodingView[]): string | undefined {
  if (label?.kind !== 'text') return undefined;
  return codes.some((c) => c.display === label.text || c.code === label.text) ? undefined : label.text;
}

export interface PlainVisitWords {
  /** The visit's name: curated type → the EHR's own text → the plain class word → the EHR's label. */
  readonly name?: string;
  /** The plain class word, when it adds something to `name`. */
  readonly kind?: string;
  /** The clinic or specialty, in plain words when known. */
  readonly service?: string;
}

export function plainVisitWords(visit: VisitItem, locale: string): PlainVisitWords {
  const typeCodes = visit.typeCodes ?? [];
  const classWord = plainVisitClass(visit.classCode, locale);
  const name =
    plainCodedWord(typeCodes, locale) ??
    ownText(visit.types[0], typeCodes) ??
    classWord ??
    (visit.label.kind === 'text' ? visit.label.text : undefined);
  const serviceCodes = visit.serviceTypeCodes ?? [];
  const service = plainCodedWord(serviceCodes, locale) ?? (visit.serviceType?.kind === 'text' ? visit.serviceType.text : undefined);
  return {
    ...(name !== undefined && { name }),
    ...(classWord !== undefined && classWord !== name && { kind: classWord }),
    ...(service !== undefined && service !== name && { service }),
  };
}

export interface PlainAppointmentWords {
  /** What the visit is for: the description a person wrote → curated type → the EHR's label. */
  readonly name?: string;
  /** The clinic or specialty, in plain words when known (when it is not already the name). */
  readonly service?: string;
}

export function plainAppointmentWords(item: AppointmentItem, locale: string): PlainAppointmentWords {
  const serviceCodes = item.serviceTypeCodes ?? [];
  const service = plainCodedWord(serviceCodes, locale) ?? (item.serviceTypes[0]?.kind === 'text' ? item.serviceTypes[0].text : undefined);
  const name = item.description ?? service ?? (item.label.kind === 'text' ? item.label.text : undefined);
  return { ...(name !== undefined && { name }), ...(service !== undefined && service !== name && { service }) };
}
