/**
 * Immunization → a record fit for a school form: grouped by vaccine (CVX code when coded, else the vaccine's
 * name), groups A→Z, doses oldest first. Entered-in-error records are left out; not-done doses stay, with reason.
 */
import type { Immunization } from 'fhir/r4';
import { CVX_SYSTEM } from './codes.ts';
import { codeableConceptLabel, codeableConceptText, codeIn, compareLabels, conceptLabels, labelOf, labelText } from './display.ts';
import { indexResources, keyOf, referenceText, resourcesOfType, type MapperInput, type ResourceIndex } from './input.ts';
import { bool, byTimeAsc, byTimeDesc, count, dateValue, items, oneOf, record, sortTime, text } from './safe.ts';
import { IMMUNIZATION_STATUSES, type ImmunizationDose, type ImmunizationGroup, type ImmunizationRecord } from './view-models.ts';

function positiveIntOrString(n: unknown, s: unknown): string | undefined {
  const value = count(n);
  return value !== undefined && value > 0 ? String(value) : text(s);
}

export function mapImmunization(index: ResourceIndex, immunization: Immunization, position = 0): ImmunizationDose {
  const id = text(immunization.id);
  const vaccineCode = record(immunization.vaccineCode);
  const cvx = codeIn(vaccineCode, CVX_SYSTEM);
  const date = dateValue(immunization.occurrenceDateTime);
  const protocol = items(immunization.protocolApplied)[0];
  const doseNumber = positiveIntOrString(protocol?.doseNumberPositiveInt, protocol?.doseNumberString);
  const seriesDoses = positiveIntOrString(protocol?.seriesDosesPositiveInt, protocol?.seriesDosesString);
  const series = text(protocol?.series);
  const status = oneOf(IMMUNIZATION_STATUSES, immunization.status);
  const statusReasonText = codeableConceptText(record(immunization.statusReason));
  const lotNumber = text(immunization.lotNumber);
  const primarySource = bool(immunization.primarySource);
  const targetDiseases = conceptLabels(items(immunization.protocolApplied).flatMap((p) => items(p.targetDisease)));
  const performer = items(immunization.performer).map((p) => referenceText(index, record(p.actor), immunization)).find((t) => t !== undefined);
  const location = referenceText(index, record(immunization.location), immunization);
  return {
    key: keyOf(immunization, position),
    ...(id !== undefined && { id }),
    vaccine: codeableConceptLabel(vaccineCode),
    ...(cvx !== undefined && { cvx }),
    ...(date !== undefined && { date }),
    ...(doseNumber !== undefined && { doseNumber }),
    ...(seriesDoses !== undefined && { seriesDoses }),
    ...(series !== undefined && { series }),
    ...(status !== undefined && { status }),
    ...(statusReasonText !== undefined && { statusReason: labelOf(statusReasonText) }),
    ...(lotNumber !== undefined && { lotNumber }),
    ...(primarySource !== undefined && { primarySource }),
    targetDiseases,
    ...(performer !== undefined && { performer }),
    ...(location !== undefined && { location }),
  };
}

function groupKey(dose: ImmunizationDose): string {
  if (dose.cvx !== undefined) return `cvx:${dose.cvx}`;
  const name = labelText(dose.vaccine);
  return name === undefined ? 'unknown' : `name:${name.toLocaleLowerCase('en')}`;
}

export function mapImmunizations(input: MapperInput | ResourceIndex): ImmunizationRecord {
  const index = indexResources(input);
  const doses: ImmunizationDose[] = [];
  resourcesOfType(index, 'Immunization').forEach((immunization, position) => {
    if (immunization.status === 'entered-in-error') return;
    doses.push(mapImmunization(index, immunization, position));
  });
  const groups = new Map<string, ImmunizationDose[]>();
  for (const dose of doses) {
    const key = groupKey(dose);
    const list = groups.get(key);
    if (list === undefined) groups.set(key, [dose]);
    else list.push(dose);
  }
  const grouped: ImmunizationGroup[] = [];
  for (const [key, list] of groups) {
    list.sort((a, b) => byTimeAsc(sortTime(a.date), sortTime(b.date)));
    // The group is named by the first dose that has a name (codes with varying displays share a CVX code).
    const named = list.find((d) => d.vaccine.kind === 'text') ?? list[0];
    if (named === undefined) continue;
    grouped.push({ key, vaccine: named.vaccine, ...(named.cvx !== undefined && { cvx: named.cvx }), doses: list });
  }
  grouped.sort((a, b) => compareLabels(labelText(a.vaccine), labelText(b.vaccine)) || a.key.localeCompare(b.key));
  const newestFirst = [...doses].sort((a, b) => byTimeDesc(sortTime(a.date), sortTime(b.date)));
  return { groups: grouped, doses: newestFirst };
}
