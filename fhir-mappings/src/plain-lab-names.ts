/**
 * Plain names for tests, for families: a reviewed consumer-name table for common pediatric tests (LOINC), in English
 * and Spanish, and the rule for everything else. The formal name (the LOINC long name the EHR sent) stays available
 * "on demand": `formal` is set whenever it says something the plain name does not.
 *
 * Rule (plainTestName): the table entry for the test's LOINC code, in the reader's language → the EHR's own
 * CodeableConcept.text (a person wrote it for people) → the shortest coding display → undefined (the app says
 * "Unknown"). Data, not logic; sources: LOINC consumer names where LOINC publishes one, MedlinePlus lab test pages.
 */
import { LOINC_SYSTEM } from './codes.ts';
import type { CodingView, Label } from './view-models.ts';

export type PlainLanguage = 'en' | 'es';

interface PlainName {
  readonly en: string;
  readonly es: string;
}

/** LOINC code → plain name. Several codes for the same test (method variants) share one entry. */
const NAMES: ReadonlyArray<readonly [readonly string[], PlainName]> = [
  // Blood counts
  [['58410-2', '57021-8', '57782-5', '69742-5'], { en: 'Complete blood count (CBC)', es: 'Hemograma completo' }],
  [['718-7', '30313-1', '30350-3', '30352-9'], { en: 'Hemoglobin', es: 'Hemoglobina' }],
  [['4544-3', '20570-8', '31100-1'], { en: 'Hematocrit', es: 'Hematocrito' }],
  [['6690-2', '26464-8', '804-5'], { en: 'White blood cells', es: 'Glóbulos blancos' }],
  [['789-8', '26453-1'], { en: 'Red blood cells', es: 'Glóbulos rojos' }],
  [['777-3', '26515-7', '49497-1'], { en: 'Platelets', es: 'Plaquetas' }],
  [['787-2', '30428-7'], { en: 'Average red cell size (MCV)', es: 'Tamaño promedio de los glóbulos rojos (VCM)' }],
  [['785-6'], { en: 'Hemoglobin per red cell (MCH)', es: 'Hemoglobina por glóbulo rojo (HCM)' }],
  [['786-4'], { en: 'Hemoglobin concentration in red cells (MCHC)', es: 'Concentración de hemoglobina en los glóbulos rojos (CHCM)' }],
  [['788-0', '21000-5'], { en: 'Red cell size variation (RDW)', es: 'Variación del tamaño de los glóbulos rojos (ADE)' }],
  [['751-8', '26499-4'], { en: 'Neutrophils', es: 'Neutrófilos' }],
  [['731-0', '26474-7'], { en: 'Lymphocytes', es: 'Linfocitos' }],
  [['711-2', '26449-9'], { en: 'Eosinophils', es: 'Eosinófilos' }],
  [['4537-7', '30341-2'], { en: 'Sedimentation rate (ESR)', es: 'Velocidad de sedimentación (VSG)' }],
  [['1988-5', '30522-7'], { en: 'C-reactive protein (CRP)', es: 'Proteína C reactiva (PCR)' }],
  // Sugar, salts, kidneys, liver
  [['4548-4', '17856-6', '41995-2'], { en: 'Hemoglobin A1c (average blood sugar)', es: 'Hemoglobina A1c (azúcar promedio en la sangre)' }],
  [['2345-7', '2339-0', '41653-7', '2340-8'], { en: 'Blood sugar (glucose)', es: 'Azúcar en la sangre (glucosa)' }],
  [['24323-8'], { en: 'Comprehensive metabolic panel', es: 'Panel metabólico completo' }],
  [['51990-0', '24321-2'], { en: 'Basic metabolic panel', es: 'Panel metabólico básico' }],
  [['2951-2', '2947-0'], { en: 'Sodium', es: 'Sodio' }],
  [['2823-3', '6298-4'], { en: 'Potassium', es: 'Potasio' }],
  [['2075-0', '2069-3'], { en: 'Chloride', es: 'Cloruro' }],
  [['2028-9', '1963-8'], { en: 'Bicarbonate (CO2)', es: 'Bicarbonato (CO2)' }],
  [['3094-0', '6299-2'], { en: 'Urea nitrogen (BUN)', es: 'Nitrógeno ureico (BUN)' }],
  [['2160-0', '38483-4'], { en: 'Creatinine (kidney test)', es: 'Creatinina (prueba de los riñones)' }],
  [['17861-6', '49765-1'], { en: 'Calcium', es: 'Calcio' }],
  [['1742-6', '1743-4'], { en: 'ALT (liver test)', es: 'ALT (prueba del hígado)' }],
  [['1920-8'], { en: 'AST (liver test)', es: 'AST (prueba del hígado)' }],
  [['1975-2', '42719-5', '58941-6'], { en: 'Bilirubin', es: 'Bilirrubina' }],
  [['1751-7', '61151-7'], { en: 'Albumin', es: 'Albúmina' }],
  // Iron, thyroid, vitamins, lead, lipids
  [['2276-4', '20567-4'], { en: 'Ferritin (iron stores)', es: 'Ferritina (reservas de hierro)' }],
  [['2498-4'], { en: 'Iron', es: 'Hierro' }],
  [['3016-3', '11580-8'], { en: 'Thyroid-stimulating hormone (TSH)', es: 'Hormona estimulante de la tiroides (TSH)' }],
  [['3024-7', '3026-2'], { en: 'Free T4 (thyroid hormone)', es: 'T4 libre (hormona tiroidea)' }],
  [['1989-3', '62292-8', '14635-7'], { en: 'Vitamin D', es: 'Vitamina D' }],
  [['5671-3', '77307-7', '10368-9'], { en: 'Lead in the blood', es: 'Plomo en la sangre' }],
  [['2093-3'], { en: 'Total cholesterol', es: 'Colesterol total' }],
  [['2085-9'], { en: '“Good” cholesterol (HDL)', es: 'Colesterol “bueno” (HDL)' }],
  [['13457-7', '2089-1', '18262-6'], { en: '“Bad” cholesterol (LDL)', es: 'Colesterol “malo” (LDL)' }],
  [['2571-8'], { en: 'Triglycerides', es: 'Triglicéridos' }],
  // Urine
  [['24356-8', '24357-6', '5767-9'], { en: 'Urine test (urinalysis)', es: 'Análisis de orina' }],
  [['2106-3', '2112-1'], { en: 'Pregnancy test (urine)', es: 'Prueba de embarazo (orina)' }],
  // Infections
  [['92131-2', '40988-8'], { en: 'RSV test', es: 'Prueba del virus respiratorio sincitial (VRS)' }],
  [['94500-6', '94309-2', '95209-3'], { en: 'COVID-19 test', es: 'Prueba de COVID-19' }],
  [['80382-5', '92142-9'], { en: 'Flu test (influenza A)', es: 'Prueba de gripe (influenza A)' }],
  [['80383-3', '92141-1'], { en: 'Flu test (influenza B)', es: 'Prueba de gripe (influenza B)' }],
  [['78012-2', '11268-0', '6559-9'], { en: 'Strep throat test', es: 'Prueba de estreptococo en la garganta' }],
  [['43304-5', '21613-5'], { en: 'Chlamydia test', es: 'Prueba de clamidia' }],
  [['43305-2', '21415-5'], { en: 'Gonorrhea test', es: 'Prueba de gonorrea' }],
  [['92684-0'], { en: 'Gonorrhea and chlamydia test', es: 'Prueba de gonorrea y clamidia' }],
  // Vital signs and lungs
  [['59408-5', '2708-6'], { en: 'Oxygen level (pulse oximeter)', es: 'Nivel de oxígeno (oxímetro de pulso)' }],
  [['20150-9'], { en: 'Lung function (FEV1)', es: 'Función pulmonar (FEV1)' }],
  [['29463-7', '3141-9'], { en: 'Weight', es: 'Peso' }],
  [['8302-2', '8306-3'], { en: 'Height', es: 'Estatura' }],
  [['9843-4', '8287-5'], { en: 'Head size', es: 'Perímetro cefálico' }],
  [['39156-5'], { en: 'Body mass index (BMI)', es: 'Índice de masa corporal (IMC)' }],
  [['8310-5', '8331-1'], { en: 'Temperature', es: 'Temperatura' }],
  [['8867-4'], { en: 'Heart rate', es: 'Frecuencia cardíaca' }],
  [['9279-1'], { en: 'Breathing rate', es: 'Frecuencia respiratoria' }],
  [['85354-9', '55284-4'], { en: 'Blood pressure', es: 'Presión arterial' }],
  [['8480-6'], { en: 'Blood pressure, top number (systolic)', es: 'Presión arterial, número de arriba (sistólica)' }],
  [['8462-4'], { en: 'Blood pressure, bottom number (diastolic)', es: 'Presión arterial, número de abajo (diastólica)' }],
  // Questionnaires
  [['70274-6'], { en: 'Anxiety questionnaire (GAD-7) score', es: 'Puntaje del cuestionario de ansiedad (GAD-7)' }],
  [['89204-2', '44261-6'], { en: 'Depression questionnaire (PHQ-9) score', es: 'Puntaje del cuestionario de depresión (PHQ-9)' }],
];

const BY_CODE: ReadonlyMap<string, PlainName> = new Map(NAMES.flatMap(([codes, name]) => codes.map((code) => [code, name] as const)));

/** Every LOINC code the table names (for tests and docs). */
export const PLAIN_TEST_NAME_CODES: readonly string[] = [...BY_CODE.keys()];

export function plainLanguage(locale: string | undefined): PlainLanguage {
  return locale?.toLowerCase().startsWith('es') ? 'es' : 'en';
}

/** The table's plain name for a LOINC code, in the reader's language. */
export function consumerTestName(loinc: string | undefined, locale: string): string | undefined {
  if (loinc === undefined) return undefined;
  return BY_CODE.get(loinc)?.[plainLanguage(locale)];
}

export interface TestNames {
  /** What to call the test; undefined only when the record names it nowhere. */
  readonly plain?: string;
  /** The EHR's formal name, when it differs from `plain` (shown on demand). */
  readonly formal?: string;
}

/**
 * The plain and formal names of a test or report. `label` is the mapper's label (CodeableConcept.text, else the
 * first display); `codes` its codings.
 */
export function plainTestName(label: Label, codes: readonly CodingView[], locale: string): TestNames {
  const labelTxt = label.kind === 'text' ? label.text : undefined;
  const displays = codes.map((c) => c.display).filter((d): d is string => d !== undefined);
  const loincCodes = codes.filter((c) => c.system === LOINC_SYSTEM || c.system === undefined).map((c) => c.code);
  const curated = loincCodes.map((code) => consumerTestName(code, locale)).find((name) => name !== undefined);
  // The label is CodeableConcept.text when no coding display reads the same (a person wrote it).
  const ownText = labelTxt !== undefined && !displays.includes(labelTxt) ? labelTxt : undefined;
  const shortest = [...displays].sort((a, b) => a.length - b.length)[0];
  const plain = curated ?? ownText ?? shortest ?? labelTxt;
  const loincDisplay = codes.find((c) => c.system === LOINC_SYSTEM && c.display !== undefined)?.display;
  const formalCandidate = loincDisplay ?? (displays.length > 0 ? [...displays].sort((a, b) => b.length - a.length)[0] : labelTxt);
  const formal = formalCandidate !== undefined && formalCandidate.toLocaleLowerCase() !== plain?.toLocaleLowerCase() ? formalCandidate : undefined;
  return { ...(plain !== undefined && { plain }), ...(formal !== undefined && { formal }) };
}
