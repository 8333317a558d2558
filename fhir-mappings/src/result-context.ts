/**
 * Plain-language result context (issue 14, "beyond every portal"): for common pediatric tests, one reviewed line of
 * what the test measures, then how this value compares with its reference range and with the child's previous values
 * of the same test — in English and Spanish. Pure: the caller passes the result and the child's other results.
 *
 * Only what can be said honestly is said: the range sentence needs a numeric value and a numeric low and/or high in
 * the same unit; the comparison needs an earlier numeric value of the same LOINC code in the same unit; a value with a
 * comparator ("<5") is compared with nothing. The "measures" line is a table of reviewed sentences (sources:
 * MedlinePlus lab test pages, the AAP's HealthyChildren.org), keyed by LOINC like plain-lab-names.ts.
 */
import type { PlainLanguage } from './plain-lab-names.ts';
import type { ObservationResult, QuantityValue, ReferenceRangeView } from './view-models.ts';

interface Sentence {
  readonly en: string;
  readonly es: string;
}

/** LOINC code(s) → what the test measures, in one line. */
const MEASURES: ReadonlyArray<readonly [readonly string[], Sentence]> = [
  [['718-7', '30313-1', '30350-3', '30352-9'], { en: 'Hemoglobin carries oxygen in the red blood cells; low values can mean anemia.', es: 'La hemoglobina lleva el oxígeno en los glóbulos rojos; un valor bajo puede indicar anemia.' }],
  [['4544-3', '20570-8', '31100-1'], { en: 'Hematocrit is the share of the blood made up of red blood cells.', es: 'El hematocrito es la parte de la sangre formada por glóbulos rojos.' }],
  [['6690-2', '26464-8', '804-5'], { en: 'White blood cells fight infection; the count often rises during an infection.', es: 'Los glóbulos blancos combaten las infecciones; su número suele subir durante una infección.' }],
  [['777-3', '26515-7', '49497-1'], { en: 'Platelets help the blood clot.', es: 'Las plaquetas ayudan a que la sangre coagule.' }],
  [['2345-7', '2339-0', '41653-7', '2340-8'], { en: 'Glucose is the sugar in the blood at the time of the test.', es: 'La glucosa es el azúcar en la sangre en el momento de la prueba.' }],
  [['4548-4', '17856-6', '41995-2'], { en: 'Hemoglobin A1c shows the average blood sugar over the last 2 to 3 months.', es: 'La hemoglobina A1c muestra el promedio de azúcar en la sangre de los últimos 2 a 3 meses.' }],
  [['3016-3', '11580-8'], { en: 'TSH is the signal the brain sends to the thyroid; it shows whether the thyroid makes enough hormone.', es: 'La TSH es la señal que el cerebro envía a la tiroides; muestra si la tiroides produce suficiente hormona.' }],
  [['3024-7', '3026-2'], { en: 'Free T4 is the main hormone the thyroid makes.', es: 'La T4 libre es la principal hormona que produce la tiroides.' }],
  [['2276-4', '20567-4'], { en: 'Ferritin shows how much iron the body has stored.', es: 'La ferritina muestra cuánto hierro tiene guardado el cuerpo.' }],
  [['1989-3', '62292-8', '14635-7'], { en: 'Vitamin D helps build strong bones.', es: 'La vitamina D ayuda a formar huesos fuertes.' }],
  [['5671-3', '77307-7', '10368-9'], { en: 'Lead in the blood should be as low as possible; no amount of lead is safe for children.', es: 'El plomo en la sangre debe ser lo más bajo posible; ninguna cantidad de plomo es segura para los niños.' }],
  [['2160-0', '38483-4'], { en: 'Creatinine shows how well the kidneys filter the blood.', es: 'La creatinina muestra qué tan bien filtran la sangre los riñones.' }],
  [['1742-6', '1743-4', '1920-8'], { en: 'This liver enzyme can rise when the liver is irritated.', es: 'Esta enzima del hígado puede subir cuando el hígado está irritado.' }],
  [['2951-2', '2947-0'], { en: 'Sodium is a salt that keeps the body’s fluids in balance.', es: 'El sodio es una sal que mantiene en equilibrio los líquidos del cuerpo.' }],
  [['2823-3', '6298-4'], { en: 'Potassium is a salt the heart and muscles need to work well.', es: 'El potasio es una sal que el corazón y los músculos necesitan para funcionar bien.' }],
  [['1988-5', '30522-7'], { en: 'CRP rises when there is inflammation or infection in the body.', es: 'La PCR sube cuando hay inflamación o infección en el cuerpo.' }],
  [['1975-2', '42719-5', '58941-6'], { en: 'Bilirubin comes from the normal breakdown of red blood cells; high values cause yellow skin (jaundice).', es: 'La bilirrubina viene de la descomposición normal de los glóbulos rojos; un valor alto pone amarilla la piel (ictericia).' }],
  [['2093-3'], { en: 'Total cholesterol is the amount of all cholesterol in the blood.', es: 'El colesterol total es la cantidad de todo el colesterol en la sangre.' }],
  [['13457-7', '2089-1', '18262-6'], { en: 'LDL is the cholesterol that can build up in blood vessels; lower is better.', es: 'El LDL es el colesterol que puede acumularse en los vasos sanguíneos; cuanto más bajo, mejor.' }],
  [['2085-9'], { en: 'HDL is the cholesterol that helps clear other cholesterol; higher is better.', es: 'El HDL es el colesterol que ayuda a eliminar el resto del colesterol; cuanto más alto, mejor.' }],
];

const MEASURES_BY_CODE: ReadonlyMap<string, Sentence> = new Map(MEASURES.flatMap(([codes, sentence]) => codes.map((code) => [code, sentence] as const)));

export type RangePosition = 'below' | 'within' | 'above';
export type Trend = 'higher' | 'lower' | 'same';

export interface ResultContext {
  /** What the test measures (reviewed line), when the test is in the table. */
  readonly measures?: string;
  readonly range?: RangePosition;
  /** "This value is within the usual range (11.5–15.5)." */
  readonly rangeSentence?: string;
  readonly trend?: Trend;
  /** "It is higher than the previous value (12.1)." */
  readonly trendSentence?: string;
  /** The previous value compared with and when it was taken (ISO 8601, as the EHR sent it). */
  readonly previous?: { readonly value: number; readonly date: string };
}

export function testMeasures(loinc: string | undefined, language: PlainLanguage): string | undefined {
  return loinc === undefined ? undefined : MEASURES_BY_CODE.get(loinc)?.[language];
}

const sameUnit = (a: QuantityValue, b: QuantityValue | undefined): boolean =>
  b !== undefined && ((a.ucum !== undefined && a.ucum === b.ucum) || (a.unit ?? a.ucum ?? '') === (b.unit ?? b.ucum ?? ''));

/** A reference range bound with no unit at all is in the result's unit (as EHRs commonly send it). */
const boundInUnit = (value: QuantityValue, bound: QuantityValue): boolean =>
  (bound.unit === undefined && bound.ucum === undefined) || sameUnit(value, bound);

/** The range to compare with: the first one without a population qualifier that has a usable low or high. */
function usableRange(value: QuantityValue, ranges: readonly ReferenceRangeView[]): { low?: number; high?: number } | undefined {
  for (const range of ranges) {
    if (range.appliesTo.length > 0) continue;
    const low = range.low !== undefined && boundInUnit(value, range.low) ? range.low.value : undefined;
    const high = range.high !== undefined && boundInUnit(value, range.high) ? range.high.value : undefined;
    if (low !== undefined || high !== undefined) return { ...(low === undefined ? {} : { low }), ...(high === undefined ? {} : { high }) };
  }
  return undefined;
}

function numberText(value: number, language: PlainLanguage): string {
  return new Intl.NumberFormat(language === 'es' ? 'es' : 'en', { maximumFractionDigits: 3 }).format(value);
}

function rangeText(range: { low?: number; high?: number }, language: PlainLanguage): string {
  if (range.low !== undefined && range.high !== undefined) return `${numberText(range.low, language)}–${numberText(range.high, language)}`;
  if (range.low !== undefined) return language === 'es' ? `${numberText(range.low, language)} o más` : `${numberText(range.low, language)} or more`;
  return language === 'es' ? `hasta ${numberText(range.high ?? 0, language)}` : `up to ${numberText(range.high ?? 0, language)}`;
}

function rangeSentence(position: RangePosition, range: string, language: PlainLanguage): string {
  if (language === 'es') {
    return position === 'within'
      ? `Este valor está dentro del rango habitual (${range}).`
      : position === 'below'
        ? `Este valor está por debajo del rango habitual (${range}).`
        : `Este valor está por encima del rango habitual (${range}).`;
  }
  return position === 'within'
    ? `This value is within the usual range (${range}).`
    : position === 'below'
      ? `This value is below the usual range (${range}).`
      : `This value is above the usual range (${range}).`;
}

function trendSentence(trend: Trend, previous: string, language: PlainLanguage): string {
  if (language === 'es') {
    return trend === 'same'
      ? `Es igual al valor anterior (${previous}).`
      : trend === 'higher'
        ? `Es más alto que el valor anterior (${previous}).`
        : `Es más bajo que el valor anterior (${previous}).`;
  }
  return trend === 'same'
    ? `It is the same as the previous value (${previous}).`
    : trend === 'higher'
      ? `It is higher than the previous value (${previous}).`
      : `It is lower than the previous value (${previous}).`;
}

const dateOf = (result: ObservationResult): string | undefined => result.effective?.iso ?? result.issued?.iso;

/**
 * The context line for `result`, given the child's `others` results (any order; the same result may be among them).
 * Undefined when there is nothing honest to say.
 */
export function resultContext(result: ObservationResult, others: readonly ObservationResult[], language: PlainLanguage): ResultContext | undefined {
  const measures = testMeasures(result.loinc, language);
  const quantity = result.value?.kind === 'quantity' && result.value.quantity.comparator === undefined ? result.value.quantity : undefined;

  let range: RangePosition | undefined;
  let rangeLine: string | undefined;
  if (quantity !== undefined) {
    const usable = usableRange(quantity, result.referenceRanges);
    if (usable !== undefined) {
      range =
        usable.low !== undefined && quantity.value < usable.low ? 'below' : usable.high !== undefined && quantity.value > usable.high ? 'above' : 'within';
      rangeLine = rangeSentence(range, rangeText(usable, language), language);
    }
  }

  let trend: Trend | undefined;
  let trendLine: string | undefined;
  let previous: ResultContext['previous'];
  const when = dateOf(result);
  if (quantity !== undefined && result.loinc !== undefined && when !== undefined) {
    const earlier = others
      .filter((other) => other !== result && other.loinc === result.loinc && other.key !== result.key)
      .map((other) => ({ other, date: dateOf(other) }))
      .filter((entry): entry is { other: ObservationResult; date: string } => entry.date !== undefined && entry.date < when)
      .filter(({ other }) => other.value?.kind === 'quantity' && other.value.quantity.comparator === undefined && sameUnit(quantity, other.value.quantity))
      .sort((a, b) => (a.date < b.date ? 1 : -1))[0];
    if (earlier !== undefined && earlier.other.value?.kind === 'quantity') {
      const before = earlier.other.value.quantity.value;
      trend = quantity.value > before ? 'higher' : quantity.value < before ? 'lower' : 'same';
      previous = { value: before, date: earlier.date };
      trendLine = trendSentence(trend, numberText(before, language), language);
    }
  }

  if (measures === undefined && rangeLine === undefined && trendLine === undefined) return undefined;
  return {
    ...(measures === undefined ? {} : { measures }),
    ...(range === undefined || rangeLine === undefined ? {} : { range, rangeSentence: rangeLine }),
    ...(trend === undefined || trendLine === undefined ? {} : { trend, trendSentence: trendLine }),
    ...(previous === undefined ? {} : { previous }),
  };
}
