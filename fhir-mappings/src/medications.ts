/**
 * MedicationRequest → medication list. The medication's name comes from medicationCodeableConcept, else the
 * Medication that medicationReference points to (contained or included in the input), else the reference display.
 * Refills left use MedicationDispense records in the input that name the order as authorizingPrescription.
 */
import type { Dosage, FhirResource, Medication, MedicationRequest, Timing } from 'fhir/r4';
import {
  codeableConceptLabel,
  codeableConceptText,
  codingsOf,
  compareLabels,
  conceptLabels,
  labelOf,
  labelText,
  noteTexts,
  periodValue,
  quantityValue,
  rangeValue,
  referenceDisplay,
} from './display.ts';
import { indexResources, keyOf, referenceText, resolveReference, resourcesOfType, type MapperInput, type ResourceIndex } from './input.ts';
import { bool, byTimeDesc, count, dateValue, finite, items, oneOf, record, sortTime, text, texts } from './safe.ts';
import {
  MEDICATION_REQUEST_STATUSES,
  TIMING_PERIOD_UNITS,
  type DoseInstruction,
  type Label,
  type MedicationItem,
  type RefillInfo,
  type TimingParts,
} from './view-models.ts';

/** Timing as structured parts; undefined when it says nothing. */
export function timingParts(timing: Timing | undefined): TimingParts | undefined {
  const t = record(timing);
  if (t === undefined) return undefined;
  const repeat = record(t.repeat);
  const codeText = codeableConceptText(record(t.code));
  const bounds = periodValue(record(repeat?.boundsPeriod));
  const parts: TimingParts = {
    ...(codeText !== undefined && { code: labelOf(codeText) }),
    ...optionalNumber('frequency', count(repeat?.frequency)),
    ...optionalNumber('frequencyMax', count(repeat?.frequencyMax)),
    ...optionalNumber('period', positive(repeat?.period)),
    ...optionalNumber('periodMax', positive(repeat?.periodMax)),
    ...optionalUnit('periodUnit', repeat?.periodUnit),
    ...optionalNumber('duration', positive(repeat?.duration)),
    ...optionalNumber('durationMax', positive(repeat?.durationMax)),
    ...optionalUnit('durationUnit', repeat?.durationUnit),
    ...optionalNumber('count', count(repeat?.count)),
    ...optionalNumber('countMax', count(repeat?.countMax)),
    when: texts(repeat?.when),
    timeOfDay: texts(repeat?.timeOfDay),
    dayOfWeek: texts(repeat?.dayOfWeek),
    ...((bounds.start !== undefined || bounds.end !== undefined) && { bounds }),
  };
  const saysSomething = Object.keys(parts).some((k) => !['when', 'timeOfDay', 'dayOfWeek'].includes(k)) ||
    parts.when.length + parts.timeOfDay.length + parts.dayOfWeek.length > 0;
  return saysSomething ? parts : undefined;
}

function positive(x: unknown): number | undefined {
  const n = finite(x);
  return n !== undefined && n > 0 ? n : undefined;
}

function optionalNumber<K extends string>(key: K, value: number | undefined): { [P in K]?: number } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: number };
}

function optionalUnit<K extends string>(key: K, value: unknown): { [P in K]?: (typeof TIMING_PERIOD_UNITS)[number] } {
  const unit = oneOf(TIMING_PERIOD_UNITS, value);
  return (unit === undefined ? {} : { [key]: unit }) as { [P in K]?: (typeof TIMING_PERIOD_UNITS)[number] };
}

/** One Dosage as structured parts; Dosage.text is kept verbatim for the app to show first. */
export function doseInstruction(dosage: Dosage): DoseInstruction {
  const textValue = text(dosage.text);
  const patientInstruction = text(dosage.patientInstruction);
  let dose: DoseInstruction['dose'];
  for (const dr of items(dosage.doseAndRate)) {
    const quantity = quantityValue(record(dr.doseQuantity));
    if (quantity !== undefined) {
      dose = { kind: 'quantity', quantity };
      break;
    }
    const range = rangeValue(record(dr.doseRange));
    if (range !== undefined) {
      dose = { kind: 'range', range };
      break;
    }
  }
  const timing = timingParts(record(dosage.timing));
  const asNeededFor = codeableConceptText(record(dosage.asNeededCodeableConcept));
  const asNeeded = bool(dosage.asNeededBoolean) === true || asNeededFor !== undefined;
  const route = codeableConceptText(record(dosage.route));
  const method = codeableConceptText(record(dosage.method));
  const site = codeableConceptText(record(dosage.site));
  const maxRatio = record(dosage.maxDosePerPeriod);
  const maxNumerator = quantityValue(record(maxRatio?.numerator));
  const maxDenominator = quantityValue(record(maxRatio?.denominator));
  return {
    ...(textValue !== undefined && { text: textValue }),
    ...(patientInstruction !== undefined && { patientInstruction }),
    additionalInstructions: conceptLabels(dosage.additionalInstruction),
    ...(dose !== undefined && { dose }),
    ...(timing !== undefined && { timing }),
    asNeeded,
    ...(asNeededFor !== undefined && { asNeededFor: labelOf(asNeededFor) }),
    ...(route !== undefined && { route: labelOf(route) }),
    ...(method !== undefined && { method: labelOf(method) }),
    ...(site !== undefined && { site: labelOf(site) }),
    ...((maxNumerator !== undefined || maxDenominator !== undefined) && {
      maxDosePerPeriod: { ...(maxNumerator !== undefined && { numerator: maxNumerator }), ...(maxDenominator !== undefined && { denominator: maxDenominator }) },
    }),
  };
}

function isEmptyInstruction(d: DoseInstruction): boolean {
  return d.text === undefined && d.patientInstruction === undefined && d.additionalInstructions.length === 0 &&
    d.dose === undefined && d.timing === undefined && !d.asNeeded && d.route === undefined && d.method === undefined &&
    d.site === undefined && d.maxDosePerPeriod === undefined;
}

function medicationOf(index: ResourceIndex, request: MedicationRequest): { name: Label; codes: MedicationItem['codes'] } {
  const concept = record(request.medicationCodeableConcept);
  if (codeableConceptText(concept) !== undefined) return { name: codeableConceptLabel(concept), codes: codingsOf(concept) };
  const resolved: FhirResource | undefined = resolveReference(index, record(request.medicationReference), request);
  if (resolved?.resourceType === 'Medication') {
    const medication: Medication = resolved;
    const code = record(medication.code);
    if (codeableConceptText(code) !== undefined) return { name: codeableConceptLabel(code), codes: codingsOf(code) };
  }
  return { name: labelOf(referenceDisplay(record(request.medicationReference))), codes: [] };
}

/** Completed MedicationDispense records per prescription, found by resolving each dispense's authorizingPrescription. */
function dispenseCounts(index: ResourceIndex): Map<FhirResource, number> {
  const counts = new Map<FhirResource, number>();
  for (const dispense of resourcesOfType(index, 'MedicationDispense')) {
    if (dispense.status !== 'completed') continue;
    for (const ref of items(dispense.authorizingPrescription)) {
      const request = resolveReference(index, ref, dispense);
      if (request?.resourceType === 'MedicationRequest') counts.set(request, (counts.get(request) ?? 0) + 1);
    }
  }
  return counts;
}

/**
 * Refills: numberOfRepeatsAllowed, minus fills after the first (the first dispense is the original fill, not a
 * repeat) when dispenses are known.
 */
export function refillInfo(request: MedicationRequest, completedDispenses: number | undefined): RefillInfo | undefined {
  const allowed = count(record(request.dispenseRequest)?.numberOfRepeatsAllowed);
  if (allowed === undefined) return undefined;
  if (completedDispenses === undefined || completedDispenses === 0) return { allowed, left: allowed, dispensesKnown: completedDispenses !== undefined };
  const used = Math.max(0, completedDispenses - 1);
  return { allowed, used, left: Math.max(0, allowed - used), dispensesKnown: true };
}

export function mapMedicationRequest(
  index: ResourceIndex,
  request: MedicationRequest,
  position = 0,
  completedDispenses?: number,
): MedicationItem {
  const id = text(request.id);
  const { name, codes } = medicationOf(index, request);
  const status = oneOf(MEDICATION_REQUEST_STATUSES, request.status);
  const intent = text(request.intent);
  const authoredOn = dateValue(request.authoredOn);
  const prescriber = referenceText(index, record(request.requester), request);
  const dosage = items(request.dosageInstruction).map(doseInstruction).filter((d) => !isEmptyInstruction(d));
  const refills = refillInfo(request, completedDispenses);
  const reasons = [...conceptLabels(request.reasonCode)];
  for (const ref of items(request.reasonReference)) {
    const target = resolveReference(index, ref, request);
    const t = referenceDisplay(ref) ?? (target?.resourceType === 'Condition' ? codeableConceptText(record(target.code)) : undefined);
    if (t !== undefined && !reasons.some((r) => labelText(r) === t)) reasons.push(labelOf(t));
  }
  return {
    key: keyOf(request, position),
    ...(id !== undefined && { id }),
    name,
    codes,
    ...(status !== undefined && { status }),
    ...(intent !== undefined && { intent }),
    isActive: status === 'active',
    ...(authoredOn !== undefined && { authoredOn }),
    ...(prescriber !== undefined && { prescriber }),
    dosage,
    ...(refills !== undefined && { refills }),
    reasons,
    notes: noteTexts(request.note),
  };
}

/** Medications: active first, then most recently authored, then by name. Entered-in-error orders are left out. */
export function mapMedications(input: MapperInput | ResourceIndex): MedicationItem[] {
  const index = indexResources(input);
  const dispenses = dispenseCounts(index);
  const anyDispenses = resourcesOfType(index, 'MedicationDispense').length > 0;
  const out: MedicationItem[] = [];
  resourcesOfType(index, 'MedicationRequest').forEach((request, position) => {
    if (request.status === 'entered-in-error') return;
    out.push(mapMedicationRequest(index, request, position, anyDispenses ? (dispenses.get(request) ?? 0) : undefined));
  });
  return out.sort(
    (a, b) =>
      Number(b.isActive) - Number(a.isActive) ||
      byTimeDesc(sortTime(a.authoredOn), sortTime(b.authoredOn)) ||
      compareLabels(labelText(a.name), labelText(b.name)),
  );
}
