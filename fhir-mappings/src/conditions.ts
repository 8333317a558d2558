/** Condition → health issues: active first, then newest onset; entered-in-error and refuted ones are left out. */
import type { Age, Condition, Period, Range } from 'fhir/r4';
import { codeableConceptLabel, codingsOf, compareLabels, conceptLabels, labelText, noteTexts, periodValue, quantityValue, rangeValue } from './display.ts';
import { indexResources, keyOf, resourcesOfType, type MapperInput, type ResourceIndex } from './input.ts';
import { byTimeDesc, dateValue, oneOf, record, sortTime, text } from './safe.ts';
import {
  CONDITION_CLINICAL_STATUSES,
  CONDITION_VERIFICATION_STATUSES,
  type HealthIssue,
  type OnsetValue,
} from './view-models.ts';

interface OnsetFields {
  dateTime?: string;
  age?: Age;
  period?: Period;
  range?: Range;
  string?: string;
}

/** onset[x] / abatement[x] in whichever form was sent; the first usable form wins. */
export function onsetValue(fields: OnsetFields): OnsetValue | undefined {
  const date = dateValue(fields.dateTime);
  if (date !== undefined) return { kind: 'date', date };
  const age = quantityValue(record(fields.age));
  if (age !== undefined) return { kind: 'age', age };
  const period = periodValue(record(fields.period));
  if (period.start !== undefined || period.end !== undefined) return { kind: 'period', period };
  const range = rangeValue(record(fields.range));
  if (range !== undefined) return { kind: 'range', range };
  const t = text(fields.string);
  if (t !== undefined) return { kind: 'text', text: t };
  return undefined;
}

/** A sortable instant for an onset (date, or period start); ages and text do not sort. */
export function onsetSortTime(onset: OnsetValue | undefined): number | undefined {
  if (onset?.kind === 'date') return sortTime(onset.date);
  if (onset?.kind === 'period') return sortTime(onset.period.start ?? onset.period.end);
  return undefined;
}

/** The status code of a status CodeableConcept, narrowed to `set`. */
export function statusCode<T extends string>(set: readonly T[], concept: unknown): T | undefined {
  for (const c of codingsOf(record(concept) as Condition['clinicalStatus'])) {
    const narrowed = oneOf(set, c.code);
    if (narrowed !== undefined) return narrowed;
  }
  return undefined;
}

const ACTIVE_CLINICAL = new Set(['active', 'recurrence', 'relapse']);
const HIDDEN_VERIFICATION = new Set(['entered-in-error', 'refuted']);

export function mapCondition(condition: Condition, position = 0): HealthIssue {
  const clinicalStatus = statusCode(CONDITION_CLINICAL_STATUSES, condition.clinicalStatus);
  const verificationStatus = statusCode(CONDITION_VERIFICATION_STATUSES, condition.verificationStatus);
  const onset = onsetValue({
    dateTime: condition.onsetDateTime,
    age: condition.onsetAge,
    period: condition.onsetPeriod,
    range: condition.onsetRange,
    string: condition.onsetString,
  });
  const abatement = onsetValue({
    dateTime: condition.abatementDateTime,
    age: condition.abatementAge,
    period: condition.abatementPeriod,
    range: condition.abatementRange,
    string: condition.abatementString,
  });
  const recordedDate = dateValue(condition.recordedDate);
  const id = text(condition.id);
  // Without a clinical status, an issue with no abatement is taken as current (FHIR: abatement implies resolved).
  const isActive = clinicalStatus !== undefined ? ACTIVE_CLINICAL.has(clinicalStatus) : abatement === undefined;
  return {
    key: keyOf(condition, position),
    ...(id !== undefined && { id }),
    label: codeableConceptLabel(record(condition.code)),
    codes: codingsOf(record(condition.code)),
    ...(clinicalStatus !== undefined && { clinicalStatus }),
    ...(verificationStatus !== undefined && { verificationStatus }),
    isActive,
    ...(onset !== undefined && { onset }),
    ...(abatement !== undefined && { abatement }),
    ...(recordedDate !== undefined && { recordedDate }),
    categories: conceptLabels(condition.category),
    notes: noteTexts(condition.note),
  };
}

function issueTime(issue: HealthIssue): number | undefined {
  return onsetSortTime(issue.onset) ?? sortTime(issue.recordedDate);
}

export function mapHealthIssues(input: MapperInput | ResourceIndex): HealthIssue[] {
  const issues: HealthIssue[] = [];
  resourcesOfType(indexResources(input), 'Condition').forEach((condition, position) => {
    const issue = mapCondition(condition, position);
    if (issue.verificationStatus !== undefined && HIDDEN_VERIFICATION.has(issue.verificationStatus)) return;
    issues.push(issue);
  });
  return issues.sort(
    (a, b) =>
      Number(b.isActive) - Number(a.isActive) ||
      byTimeDesc(issueTime(a), issueTime(b)) ||
      compareLabels(labelText(a.label), labelText(b.label)),
  );
}
