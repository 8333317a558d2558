/**
 * DiagnosticReport + Observation → test results (lab) and other reports (imaging, pathology, cardiology, notes).
 * A report's results are the Observations it references that the input includes (panels flattened one level);
 * lab Observations no report claims are grouped by their effective date. References are never fetched.
 */
import type { DiagnosticReport, FhirResource, Observation } from 'fhir/r4';
import { DIAGNOSTIC_SERVICE_KINDS, DIAGNOSTIC_SERVICE_SYSTEMS, LOINC_REPORT_CATEGORY_KINDS, LOINC_SYSTEM } from './codes.ts';
import {
  attachmentViews,
  codeableConceptLabel,
  codingsOf,
  compareLabels,
  conceptLabels,
  labelText,
  periodValue,
  unsafeNarrative,
} from './display.ts';
import { indexResources, keyOf, referenceTexts, resolveReference, resourcesOfType, type MapperInput, type ResourceIndex } from './input.ts';
import { hasObservationCategory, mapObservation } from './observations.ts';
import { byTimeAsc, byTimeDesc, calendarPart, dateValue, items, record, sortTime, text } from './safe.ts';
import type {
  ObservationDateGroup,
  ObservationResult,
  ReportKind,
  ReportView,
  TestResults,
  TrendPoint,
  TrendSeries,
} from './view-models.ts';

/** Kind from DiagnosticReport.category; undefined when the categories say nothing we know. */
function kindFromCategories(report: DiagnosticReport): ReportKind | undefined {
  let sawLoincNoteType = false;
  for (const cc of items(report.category)) {
    for (const c of codingsOf(cc)) {
      if (c.system === undefined || (DIAGNOSTIC_SERVICE_SYSTEMS as readonly string[]).includes(c.system)) {
        const kind = DIAGNOSTIC_SERVICE_KINDS[c.code.toUpperCase()];
        if (kind !== undefined) return kind;
      }
      if (c.system === LOINC_SYSTEM) {
        const kind = LOINC_REPORT_CATEGORY_KINDS[c.code];
        if (kind !== undefined) return kind;
        // Other LOINC codes used as categories are document types (e.g. 34117-2 History and physical note).
        if (!c.code.startsWith('LP')) sawLoincNoteType = true;
      }
    }
  }
  return sawLoincNoteType ? 'note' : undefined;
}

/** The Observations a report references, with panels (hasMember, no value of their own) replaced by their members. */
function reportObservations(index: ResourceIndex, report: DiagnosticReport): Observation[] {
  const out: Observation[] = [];
  for (const ref of items(report.result)) {
    const target = resolveReference(index, ref, report);
    if (target?.resourceType !== 'Observation') continue;
    for (const obs of flattenPanel(index, target)) if (!out.includes(obs)) out.push(obs);
  }
  return out;
}

function flattenPanel(index: ResourceIndex, observation: Observation): Observation[] {
  const members: Observation[] = [];
  for (const ref of items(observation.hasMember)) {
    const member: FhirResource | undefined = resolveReference(index, ref, observation);
    if (member?.resourceType === 'Observation' && member !== observation) members.push(member);
  }
  if (members.length === 0) return [observation];
  const hasOwnValue = Object.keys(observation).some((k) => k.startsWith('value')) || items(observation.component).length > 0;
  return hasOwnValue ? [observation, ...members] : members;
}

/** lab when the categories say so, or, with no telling category, when any result is a laboratory Observation. */
export function reportKind(index: ResourceIndex, report: DiagnosticReport): ReportKind {
  const fromCategory = kindFromCategories(report);
  if (fromCategory !== undefined) return fromCategory;
  return reportObservations(index, report).some((o) => hasObservationCategory(o, 'laboratory')) ? 'lab' : 'other';
}

function reportTime(report: DiagnosticReport): ReturnType<typeof dateValue> {
  return dateValue(report.effectiveDateTime) ?? periodValue(record(report.effectivePeriod)).start ?? dateValue(report.issued);
}

function isHidden(resource: { status?: unknown }): boolean {
  return resource.status === 'entered-in-error';
}

export function mapReport(index: ResourceIndex, report: DiagnosticReport, position = 0): ReportView {
  const id = text(report.id);
  const code = record(report.code);
  const status = text(report.status);
  const effective = reportTime(report);
  const issued = dateValue(report.issued);
  const conclusion = text(report.conclusion);
  const narrative = unsafeNarrative(report);
  const results = reportObservations(index, report)
    .filter((o) => !isHidden(o))
    .map((o) => mapObservation(o, index.positions.get(o) ?? 0));
  return {
    key: keyOf(report, position),
    ...(id !== undefined && { id }),
    kind: reportKind(index, report),
    label: codeableConceptLabel(code),
    codes: codingsOf(code),
    categories: conceptLabels(report.category),
    ...(status !== undefined && { status }),
    ...(effective !== undefined && { effective }),
    ...(issued !== undefined && { issued }),
    performers: referenceTexts(index, [...items(report.performer), ...items(report.resultsInterpreter)], report),
    ...(conclusion !== undefined && { conclusion }),
    conclusionCodes: conceptLabels(report.conclusionCode),
    presentedForm: attachmentViews(report.presentedForm),
    results,
    ...(narrative !== undefined && { unsafeNarrativeXhtml: narrative }),
  };
}

function newestFirst(a: { effective?: ReportView['effective']; label: ReportView['label'] }, b: typeof a): number {
  return byTimeDesc(sortTime(a.effective), sortTime(b.effective)) || compareLabels(labelText(a.label), labelText(b.label));
}

function mapReports(index: ResourceIndex): ReportView[] {
  const out: ReportView[] = [];
  resourcesOfType(index, 'DiagnosticReport').forEach((report, position) => {
    if (!isHidden(report)) out.push(mapReport(index, report, position));
  });
  return out.sort(newestFirst);
}

/** Series for every LOINC code with at least two numeric results, oldest point first. */
export function trendSeries(results: readonly ObservationResult[]): TrendSeries[] {
  const byLoinc = new Map<string, ObservationResult[]>();
  const seen = new Set<string>();
  for (const r of results) {
    if (r.loinc === undefined || r.value?.kind !== 'quantity' || r.effective === undefined || seen.has(r.key)) continue;
    seen.add(r.key);
    const list = byLoinc.get(r.loinc);
    if (list === undefined) byLoinc.set(r.loinc, [r]);
    else list.push(r);
  }
  const series: TrendSeries[] = [];
  for (const [loinc, list] of byLoinc) {
    if (list.length < 2) continue;
    const points: TrendPoint[] = [];
    const unitCounts = new Map<string, number>();
    for (const r of list) {
      if (r.value?.kind !== 'quantity' || r.effective === undefined) continue;
      const { value, unit } = r.value.quantity;
      const range = r.referenceRanges.find((rr) => rr.low !== undefined || rr.high !== undefined);
      // A range bound is only plotted when it is in the same unit as the value (or either has no unit).
      const sameUnit = (bound: { unit?: string } | undefined): boolean => bound !== undefined && (bound.unit === undefined || unit === undefined || bound.unit === unit);
      if (unit !== undefined) unitCounts.set(unit, (unitCounts.get(unit) ?? 0) + 1);
      points.push({
        time: r.effective,
        value,
        ...(unit !== undefined && { unit }),
        ...(sameUnit(range?.low) && range?.low !== undefined && { low: range.low.value }),
        ...(sameUnit(range?.high) && range?.high !== undefined && { high: range.high.value }),
        ...(r.interpretation !== undefined && { interpretation: r.interpretation }),
      });
    }
    points.sort((a, b) => byTimeAsc(sortTime(a.time), sortTime(b.time)));
    let unit: string | undefined;
    let best = 0;
    for (const [u, n] of unitCounts) if (n > best) [unit, best] = [u, n];
    const label = list.find((r) => r.label.kind === 'text')?.label ?? list[0]?.label;
    if (label === undefined) continue;
    series.push({ key: `loinc:${loinc}`, loinc, label, ...(unit !== undefined && { unit }), points });
  }
  return series.sort((a, b) => compareLabels(labelText(a.label), labelText(b.label)) || a.loinc.localeCompare(b.loinc));
}

/**
 * Lab reports (newest first), lab Observations no report claims grouped by effective date (newest first; the date
 * is the calendar part as the EHR wrote it), and trends over every lab result in the input.
 */
export function mapTestResults(input: MapperInput | ResourceIndex): TestResults {
  const index = indexResources(input);
  const allReports = mapReports(index);
  const reports = allReports.filter((r) => r.kind === 'lab');

  // Observations any report (lab or not) claims are shown with that report, not again on their own.
  const claimed = new Set<Observation>();
  for (const report of resourcesOfType(index, 'DiagnosticReport')) {
    if (isHidden(report)) continue;
    for (const obs of reportObservations(index, report)) claimed.add(obs);
  }
  const labObservations = resourcesOfType(index, 'Observation').filter((o) => !isHidden(o) && hasObservationCategory(o, 'laboratory'));
  // Members of lab panels are shown in place of the panel.
  const ungroupedObservations: Observation[] = [];
  for (const obs of labObservations) {
    if (claimed.has(obs)) continue;
    for (const member of flattenPanel(index, obs)) {
      if (claimed.has(member) || isHidden(member)) continue;
      claimed.add(member);
      ungroupedObservations.push(member);
    }
  }
  const ungroupedResults = ungroupedObservations.map((o) => mapObservation(o, index.positions.get(o) ?? 0));
  const groups = new Map<string, ObservationResult[]>();
  for (const r of ungroupedResults) {
    const date = r.effective === undefined ? '' : calendarPart(r.effective);
    const list = groups.get(date);
    if (list === undefined) groups.set(date, [r]);
    else list.push(r);
  }
  const ungrouped: ObservationDateGroup[] = [...groups]
    .map(([date, results]) => ({
      key: date === '' ? 'undated' : `date:${date}`,
      ...(date !== '' && { date }),
      results: results.sort(newestFirst),
    }))
    .sort((a, b) => byTimeDesc(sortTime(dateValue(a.date)), sortTime(dateValue(b.date))));

  const trends = trendSeries([...reports.flatMap((r) => r.results), ...ungroupedResults]);
  return { reports, ungrouped, trends };
}

/** DiagnosticReports outside the lab category (imaging, pathology, cardiology, notes, other), newest first. */
export function mapOtherReports(input: MapperInput | ResourceIndex): ReportView[] {
  return mapReports(indexResources(input)).filter((r) => r.kind !== 'lab');
}
