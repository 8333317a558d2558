/**
 * Reviewed code tables used by the mappers. Each entry names its source. Data, not logic.
 */
import type { GrowthMeasure, InterpretationFlag, NoKnownAllergyKind, ReportKind } from './view-models.ts';

export const UCUM_SYSTEM = 'http://unitsofmeasure.org';
export const LOINC_SYSTEM = 'http://loinc.org';
export const SNOMED_SYSTEM = 'http://snomed.info/sct';
export const CVX_SYSTEM = 'http://hl7.org/fhir/sid/cvx';
/** http://terminology.hl7.org/CodeSystem/v2-0203 (identifier type); "MR" = medical record number. */
export const IDENTIFIER_TYPE_SYSTEMS = ['http://terminology.hl7.org/CodeSystem/v2-0203', 'http://hl7.org/fhir/v2/0203'] as const;
export const MRN_TYPE_CODE = 'MR';
export const OBSERVATION_CATEGORY_SYSTEM = 'http://terminology.hl7.org/CodeSystem/observation-category';
export const CONFIDENTIALITY_SYSTEMS = ['http://terminology.hl7.org/CodeSystem/v3-Confidentiality', 'http://hl7.org/fhir/v3/Confidentiality'] as const;

/**
 * "No known allergy" statements recorded as AllergyIntolerance.code (SNOMED CT; also the HL7 R4 examples
 * AllergyIntolerance-nka / -nkda / -nkla and the US Core allergy guidance).
 */
export const NO_KNOWN_ALLERGY_CODES: Readonly<Record<string, NoKnownAllergyKind>> = {
  '716186003': 'allergy', // SNOMED: No known allergy (situation)
  '409137002': 'drug-allergy', // SNOMED: No known drug allergy (situation)
  '429625007': 'food-allergy', // SNOMED: No known food allergy (situation)
  '428607008': 'environmental-allergy', // SNOMED: No known environmental allergy (situation)
};

/**
 * v3 ObservationInterpretation (and its v2 table 0078 ancestor) → our closed flag set.
 * Source: http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation (R4 value set observation-interpretation).
 * AA ("critical abnormal") has no direction, so it maps to 'abnormal'; the app shows every non-normal flag.
 */
export const INTERPRETATION_SYSTEMS = [
  'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation',
  'http://hl7.org/fhir/v2/0078',
  'http://terminology.hl7.org/CodeSystem/v2-0078',
] as const;
export const INTERPRETATION_CODES: Readonly<Record<string, InterpretationFlag>> = {
  N: 'normal', // Normal
  H: 'high', // High
  '>': 'high', // Off scale high
  L: 'low', // Low
  '<': 'low', // Off scale low
  HH: 'critical-high', // Critical high
  HU: 'critical-high', // Significantly high
  'H>': 'critical-high', // Significantly high (v2 0078 legacy)
  LL: 'critical-low', // Critical low
  LU: 'critical-low', // Significantly low
  'L<': 'critical-low', // Significantly low (v2 0078 legacy)
  A: 'abnormal', // Abnormal
  AA: 'abnormal', // Critical abnormal
};

/**
 * DiagnosticReport.category → report kind.
 * v2 table 0074 (diagnostic service section): http://terminology.hl7.org/CodeSystem/v2-0074.
 * LOINC LP part codes used by US Core DiagnosticReport for notes (Radiology, Pathology, Cardiology).
 */
export const DIAGNOSTIC_SERVICE_SYSTEMS = ['http://terminology.hl7.org/CodeSystem/v2-0074', 'http://hl7.org/fhir/v2/0074'] as const;
export const DIAGNOSTIC_SERVICE_KINDS: Readonly<Record<string, ReportKind>> = {
  LAB: 'lab', // Laboratory
  BG: 'lab', // Blood Gases
  BLB: 'lab', // Blood Bank
  CG: 'lab', // Cytogenetics
  GE: 'lab', // Genetics
  CH: 'lab', // Chemistry
  CP: 'lab', // Cytopathology (lab section)
  HM: 'lab', // Hematology
  IMM: 'lab', // Immunology
  MB: 'lab', // Microbiology
  MCB: 'lab', // Mycobacteriology
  MYC: 'lab', // Mycology
  OSL: 'lab', // Outside Lab
  PAR: 'lab', // Parasitology
  SR: 'lab', // Serology
  TX: 'lab', // Toxicology
  VR: 'lab', // Virology
  SP: 'pathology', // Surgical Pathology
  PAT: 'pathology', // Pathology (superset)
  CT: 'imaging', // CAT Scan
  CUS: 'imaging', // Cardiac Ultrasound
  NMR: 'imaging', // Nuclear Magnetic Resonance
  NMS: 'imaging', // Nuclear Medicine Scan
  OUS: 'imaging', // OB Ultrasound
  RAD: 'imaging', // Radiology
  RUS: 'imaging', // Radiology Ultrasound
  RX: 'imaging', // Radiograph
  VUS: 'imaging', // Vascular Ultrasound
  XRC: 'imaging', // Cineradiograph
  CTH: 'cardiology', // Cardiac Catheterization
  EC: 'cardiology', // Electrocardiac (e.g., EKG, EEC, Holter)
  OTH: 'other', // Other
};
export const LOINC_REPORT_CATEGORY_KINDS: Readonly<Record<string, ReportKind>> = {
  'LP29684-5': 'imaging', // Radiology
  'LP7839-6': 'pathology', // Pathology
  'LP29708-2': 'cardiology', // Cardiology
};

/**
 * Growth measures by LOINC (http://loinc.org), with the canonical unit each series is reported in.
 * 8306-3 is "Body height --lying" (recumbent length, infants); 8287-5 is head circumference by tape measure.
 */
export const GROWTH_LOINC: Readonly<Record<string, GrowthMeasure>> = {
  '29463-7': 'weight', // Body weight
  '8302-2': 'height', // Body height
  '8306-3': 'length', // Body height --lying
  '9843-4': 'head-circumference', // Head Occipital-frontal circumference
  '8287-5': 'head-circumference', // Head Occipital-frontal circumference by Tape measure
  '39156-5': 'bmi', // Body mass index (BMI) [Ratio]
};

export type CanonicalGrowthUnit = 'kg' | 'cm' | 'kg/m2';
export const GROWTH_CANONICAL_UNIT: Readonly<Record<GrowthMeasure, CanonicalGrowthUnit>> = {
  weight: 'kg',
  height: 'cm',
  length: 'cm',
  'head-circumference': 'cm',
  bmi: 'kg/m2',
};

/**
 * UCUM (and common non-UCUM spellings) → factor to the canonical unit. Source: UCUM definitions
 * ([lb_av] = 0.45359237 kg, [oz_av] = 28.349523125 g, [in_i] = 2.54 cm).
 */
export const UNIT_FACTORS: Readonly<Record<CanonicalGrowthUnit, Readonly<Record<string, number>>>> = {
  kg: { kg: 1, g: 0.001, '[lb_av]': 0.45359237, lb: 0.45359237, lbs: 0.45359237, '[oz_av]': 0.028349523125, oz: 0.028349523125 },
  cm: { cm: 1, mm: 0.1, m: 100, '[in_i]': 2.54, in: 2.54, '[in_us]': 2.54 },
  'kg/m2': { 'kg/m2': 1, 'kg/m^2': 1 },
};
