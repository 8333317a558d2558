/** Observation → result rows: value in whichever form was sent, reference ranges, normalized interpretation flag. */
import type { CodeableConcept, Observation, ObservationComponent, ObservationReferenceRange } from 'fhir/r4';
import { INTERPRETATION_CODES, INTERPRETATION_SYSTEMS, LOINC_SYSTEM, OBSERVATION_CATEGORY_SYSTEM } from './codes.ts';
import {
  codeableConceptLabel,
  codeableConceptText,
  codeIn,
  codingsOf,
  conceptLabels,
  hasCode,
  labelOf,
  noteTexts,
  periodValue,
  quantityValue,
  rangeValue,
} from './display.ts';
import { keyOf } from './input.ts';
import { bool, dateValue, finite, items, record, text } from './safe.ts';
import type { InterpretationFlag, ObservationResult, ReferenceRangeView, ResultComponent, ResultValue } from './view-models.ts';

/** The fields value[x] and dataAbsentReason share between Observation and its components. */
interface ValueFields {
  valueQuantity?: Observation['valueQuantity'];
  valueCodeableConcept?: CodeableConcept;
  valueString?: string;
  valueBoolean?: boolean;
  valueInteger?: number;
  valueRange?: Observation['valueRange'];
  valueRatio?: Observation['valueRatio'];
  valueTime?: string;
  valueDateTime?: string;
  valuePeriod?: Observation['valuePeriod'];
  dataAbsentReason?: CodeableConcept;
}

export function resultValue(fields: ValueFields): ResultValue | undefined {
  const quantity = quantityValue(record(fields.valueQuantity));
  if (quantity !== undefined) return { kind: 'quantity', quantity };
  const concept = record(fields.valueCodeableConcept);
  if (codeableConceptText(concept) !== undefined) return { kind: 'coded', label: codeableConceptLabel(concept), codes: codingsOf(concept) };
  const str = text(fields.valueString);
  if (str !== undefined) return { kind: 'text', text: str };
  const b = bool(fields.valueBoolean);
  if (b !== undefined) return { kind: 'boolean', value: b };
  const int = finite(fields.valueInteger);
  if (int !== undefined && Number.isInteger(int)) return { kind: 'integer', value: int };
  const range = rangeValue(record(fields.valueRange));
  if (range !== undefined) return { kind: 'range', range };
  const ratio = record(fields.valueRatio);
  const numerator = quantityValue(record(ratio?.numerator));
  const denominator = quantityValue(record(ratio?.denominator));
  if (numerator !== undefined || denominator !== undefined) {
    return { kind: 'ratio', ...(numerator !== undefined && { numerator }), ...(denominator !== undefined && { denominator }) };
  }
  const date = dateValue(fields.valueDateTime);
  if (date !== undefined) return { kind: 'datetime', date };
  const time = text(fields.valueTime);
  if (time !== undefined && /^\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(time)) return { kind: 'text', text: time };
  const period = periodValue(record(fields.valuePeriod));
  if (period.start !== undefined || period.end !== undefined) return { kind: 'period', period };
  const absent = codeableConceptText(record(fields.dataAbsentReason));
  if (absent !== undefined) return { kind: 'absent', reason: labelOf(absent) };
  return undefined;
}

export function referenceRanges(ranges: readonly ObservationReferenceRange[] | undefined): ReferenceRangeView[] {
  const out: ReferenceRangeView[] = [];
  for (const r of items(ranges)) {
    const low = quantityValue(record(r.low));
    const high = quantityValue(record(r.high));
    const rangeText = text(r.text);
    const typeText = codeableConceptText(record(r.type));
    const age = rangeValue(record(r.age));
    if (low === undefined && high === undefined && rangeText === undefined) continue;
    out.push({
      ...(low !== undefined && { low }),
      ...(high !== undefined && { high }),
      ...(rangeText !== undefined && { text: rangeText }),
      ...(typeText !== undefined && { type: labelOf(typeText) }),
      appliesTo: conceptLabels(r.appliesTo),
      ...(age !== undefined && { age }),
    });
  }
  return out;
}

/**
 * The interpretation flag from v3 ObservationInterpretation codes (table in codes.ts). Codes without a system are
 * accepted (common in EHR exports); unknown codes give undefined — the flag is never guessed from the range.
 */
export function interpretationFlag(concepts: readonly CodeableConcept[] | undefined): InterpretationFlag | undefined {
  for (const cc of items(concepts)) {
    for (const c of codingsOf(cc)) {
      if (c.system !== undefined && !(INTERPRETATION_SYSTEMS as readonly string[]).includes(c.system)) continue;
      const flag = INTERPRETATION_CODES[c.code];
      if (flag !== undefined) return flag;
    }
  }
  return undefined;
}

function mapComponent(component: ObservationComponent, position: number): ResultComponent {
  const code = record(component.code);
  const loinc = codeIn(code, LOINC_SYSTEM);
  const value = resultValue(component);
  const interpretation = interpretationFlag(component.interpretation);
  return {
    key: `component#${position}`,
    label: codeableConceptLabel(code),
    ...(loinc !== undefined && { loinc }),
    ...(value !== undefined && { value }),
    referenceRanges: referenceRanges(component.referenceRange),
    ...(interpretation !== undefined && { interpretation }),
  };
}

/** The observation's clinically relevant time: effectiveDateTime, effectivePeriod.start, effectiveInstant, else issued. */
export function observationTime(observation: Observation): ReturnType<typeof dateValue> {
  return (
    dateValue(observation.effectiveDateTime) ??
    periodValue(record(observation.effectivePeriod)).start ??
    dateValue(observation.effectiveInstant) ??
    dateValue(observation.issued)
  );
}

export function mapObservation(observation: Observation, position = 0): ObservationResult {
  const id = text(observation.id);
  const code = record(observation.code);
  const loinc = codeIn(code, LOINC_SYSTEM);
  const status = text(observation.status);
  const effective = observationTime(observation);
  const issued = dateValue(observation.issued);
  const value = resultValue(observation);
  const interpretation = interpretationFlag(observation.interpretation);
  const interpretationText = items(observation.interpretation).map((cc) => text(cc.text)).find((t) => t !== undefined);
  return {
    key: keyOf(observation, position),
    ...(id !== undefined && { id }),
    label: codeableConceptLabel(code),
    codes: codingsOf(code),
    ...(loinc !== undefined && { loinc }),
    ...(status !== undefined && { status }),
    ...(effective !== undefined && { effective }),
    ...(issued !== undefined && { issued }),
    ...(value !== undefined && { value }),
    referenceRanges: referenceRanges(observation.referenceRange),
    ...(interpretation !== undefined && { interpretation }),
    ...(interpretationText !== undefined && { interpretationText }),
    components: items(observation.component).map(mapComponent),
    notes: noteTexts(observation.note),
  };
}

/** Observation.category includes `code` (observation-category system, or no system). */
export function hasObservationCategory(observation: Observation, code: string): boolean {
  return items(observation.category).some((cc) => hasCode(cc, [OBSERVATION_CATEGORY_SYSTEM], [code], true));
}
