/**
 * The sensitivity classifier. Marks a resource with categories from, in order:
 *   1. its security labels (meta.security: v3-Confidentiality R/V, v3-ActCode sensitivity codes);
 *   2. the value set (value-set.ts): every Coding in the resource against the public terminology and the reviewed
 *      local additions; a medicine's names read at ingredient level (ingredients.ts); department names;
 *   3. propagation: categories of the resources it references (a MedicationRequest's reasonReference, a report's
 *      results, an Observation's encounter or basedOn, an Encounter's diagnoses), up to two references away.
 * Dual-use findings (codes routinely used outside confidential care) count only when corroborated: by a non-dual
 * finding of the same classification (own or propagated — a linked sensitive encounter, reason or order), by a
 * positive result of the test itself, or — decided in resource.ts, not here — by the patient's age where the category
 * has a minimum age (never for a medicine's own code or ingredients: Family Code 6924(f)).
 * For medicines, the classification also says whether their ingredients could be read at all (`medication`).
 * Pure: referenced resources come from `resolve`, which returns only what the shell already fetched. The shell must
 * fetch everything `referencesToResolve` names (recursively, depth ≤ 2) and fail closed if it cannot.
 */
import type { Resource } from 'fhir/r4';
import {
  ACT_CODE_SYSTEM,
  CATEGORY_BY_ACT_CODE,
  CATEGORY_BY_CONFIDENTIALITY,
  CONFIDENTIALITY_SYSTEM,
  type SensitivityCategory,
} from './categories.ts';
import { asResource, conceptTexts, forEachCoding, isRecord, referencesAt, stringsAt, valuesAt } from './fhir-json.ts';
import type { ReferenceResolver } from './types.ts';
import { corroborate, dualFinding } from './corroboration.ts';
import { medicationConceptPaths, medicationOf, medicationReadingOf } from './medicine-reading.ts';
import { DEFAULT_VALUE_SET, type CompiledValueSet } from './value-set.ts';

export type FindingSource = 'label' | 'value-set' | 'department' | 'propagated';

export interface CategoryFinding {
  readonly category: SensitivityCategory;
  readonly source: FindingSource;
  /** What matched: "label SEX", "A56.2 Chlamydial infection…", "via reasonReference Condition/123: …". */
  readonly detail: string;
  /** For propagated findings, the reference it came through. */
  readonly from?: string;
  /**
   * The care dates of the resource the finding came from (FHIR date/dateTime strings). Used by the minimum-age rule
   * when the classified resource has no date of its own.
   */
  readonly dates: readonly string[];
  /** Set while the finding is dual-use and uncorroborated: why the code is also used outside confidential care. */
  readonly dualUse?: string;
  /**
   * For an uncorroborated dual-use finding: whether the patient's age alone may corroborate it (the category has a
   * minimum age, and the code is not a medicine's own code or ingredient).
   */
  readonly ageAlone?: boolean;
}

/** Whether a medicine's ingredients could be read (its code is known, or its names name known ingredients). */
export interface MedicationReading {
  readonly readable: boolean;
  /** How it was read, or why it could not be. */
  readonly detail: string;
}

export interface Classification {
  /** Distinct categories, in table order of first finding. */
  readonly categories: readonly SensitivityCategory[];
  readonly findings: readonly CategoryFinding[];
  /** The dates of the care this resource records (see careDatesOf). */
  readonly dates: readonly string[];
  /** For MedicationRequest/Statement/Dispense/Administration and Medication: whether its ingredients were read. */
  readonly medication?: MedicationReading;
}

/** How far propagation follows references (the resource itself is depth 0). */
export const MAX_PROPAGATION_DEPTH = 2;

/**
 * Reference paths through which sensitivity propagates, per resource type. Each names either a "parent" context
 * (encounter, reason) or aggregated "children" (DiagnosticReport.result) whose sensitivity the resource reveals.
 */
const PROPAGATING_PATHS: Readonly<Record<string, readonly string[]>> = {
  AllergyIntolerance: ['encounter'],
  Appointment: ['reasonReference'],
  CarePlan: ['addresses', 'encounter'],
  CareTeam: ['reasonReference', 'encounter'],
  Claim: ['diagnosis.diagnosisReference', 'item.encounter', 'procedure.procedureReference'],
  Communication: ['encounter', 'about'],
  CommunicationRequest: ['encounter', 'about'],
  Condition: ['encounter'],
  DiagnosticReport: ['result', 'encounter', 'basedOn'],
  DocumentReference: ['context.encounter'],
  Encounter: ['diagnosis.condition', 'reasonReference', 'partOf'],
  ExplanationOfBenefit: ['diagnosis.diagnosisReference', 'item.encounter', 'procedure.procedureReference', 'claim'],
  Immunization: ['encounter', 'reasonReference'],
  MedicationAdministration: ['reasonReference', 'context', 'medicationReference', 'request'],
  MedicationDispense: ['context', 'medicationReference', 'authorizingPrescription'],
  MedicationRequest: ['reasonReference', 'encounter', 'medicationReference', 'basedOn'],
  MedicationStatement: ['reasonReference', 'context', 'medicationReference'],
  Observation: ['encounter', 'hasMember', 'derivedFrom', 'partOf', 'basedOn'],
  Procedure: ['encounter', 'reasonReference', 'partOf', 'basedOn'],
  Provenance: ['target'],
  QuestionnaireResponse: ['encounter'],
  ServiceRequest: ['reasonReference', 'encounter'],
};

/** Where department / clinic names live. */
const DEPARTMENT_PATHS: Readonly<Record<string, readonly string[]>> = {
  Encounter: ['serviceType', 'type'],
  Appointment: ['serviceType', 'serviceCategory', 'specialty', 'appointmentType'],
};
const DEPARTMENT_DISPLAY_PATHS: Readonly<Record<string, readonly string[]>> = {
  Encounter: ['location.location.display', 'serviceProvider.display'],
  Appointment: ['participant.actor.display'],
};

/** Date fields that say when the recorded care happened. */
const CARE_DATE_PATHS = [
  'effectiveDateTime', 'effectivePeriod.start', 'effectiveInstant', 'issued', 'authoredOn', 'performedDateTime',
  'performedPeriod.start', 'onsetDateTime', 'onsetPeriod.start', 'recordedDate', 'period.start', 'occurrenceDateTime',
  'date', 'created', 'sent', 'start', 'dateAsserted', 'whenHandedOver', 'billablePeriod.start', 'recorded', 'authored',
];

/** First key of each care-date path: most resources hold two or three of these, so the rest are skipped at once. */
const CARE_DATE_FIRST_KEYS = CARE_DATE_PATHS.map((path) => path.split('.')[0] ?? path);

export function careDatesOf(resource: Resource): string[] {
  const dates: string[] = [];
  const record = resource as unknown as Record<string, unknown>;
  for (let index = 0; index < CARE_DATE_PATHS.length; index += 1) {
    const path = CARE_DATE_PATHS[index] as string;
    if (record[CARE_DATE_FIRST_KEYS[index] ?? path] === undefined) continue;
    for (const date of stringsAt(resource, path)) dates.push(date);
  }
  return dates;
}

/**
 * Literal references the classifier follows for this resource (contained "#id" and conditional references
 * excluded). The shell fetches these before calling classifyResource, and repeats on what it fetched (depth ≤ 2).
 */
export function referencesToResolve(resource: Resource): string[] {
  const found: string[] = [];
  for (const path of PROPAGATING_PATHS[resource.resourceType] ?? []) {
    for (const ref of referencesAt(resource, path)) {
      if (!ref.startsWith('#') && !ref.includes('?') && !found.includes(ref)) found.push(ref);
    }
  }
  return found;
}

const CONFIDENTIALITY_SYSTEMS = new Set([CONFIDENTIALITY_SYSTEM, 'urn:oid:2.16.840.1.113883.5.25']);
const ACT_CODE_SYSTEMS = new Set([ACT_CODE_SYSTEM, 'urn:oid:2.16.840.1.113883.5.4']);
const SKIP_FOR_CODES = new Set(['meta', 'text', 'contained', 'id', 'subject', 'patient']);

function labelFindings(resource: Resource, dates: readonly string[]): CategoryFinding[] {
  const findings: CategoryFinding[] = [];
  for (const label of valuesAt(resource, 'meta.security')) {
    if (!isRecord(label) || typeof label.code !== 'string') continue;
    const system = typeof label.system === 'string' ? label.system : '';
    const category = CONFIDENTIALITY_SYSTEMS.has(system)
      ? CATEGORY_BY_CONFIDENTIALITY.get(label.code)
      : ACT_CODE_SYSTEMS.has(system)
        ? CATEGORY_BY_ACT_CODE.get(label.code)
        : undefined;
    if (category) findings.push({ category, source: 'label', detail: `label ${label.code}`, dates });
  }
  return findings;
}

interface OwnReading {
  readonly findings: CategoryFinding[];
  /** For medicines: whether the medicine's own code or names were read (undefined for other types). */
  readonly medicineRead?: string;
}

function ownFindings(resource: Resource, valueSet: CompiledValueSet, dates: readonly string[]): OwnReading {
  const findings = labelFindings(resource, dates);
  const medicinePaths = medicationConceptPaths(resource.resourceType);
  // A medicine's own codes: dual-use matches on them are never corroborated by age alone (FC 6924(f)).
  const medicineCodes = new Set<string>();
  let medicineRead: string | undefined;
  for (const path of medicinePaths) {
    for (const coding of valuesAt(resource, `${path}.coding`)) {
      if (!isRecord(coding) || typeof coding.code !== 'string' || typeof coding.system !== 'string') continue;
      medicineCodes.add(`${coding.system}|${coding.code}`);
      if (medicineRead === undefined && valueSet.knowsCoding(coding.system, coding.code)) medicineRead = `code ${coding.code} is known`;
    }
  }
  forEachCoding(resource, SKIP_FOR_CODES, (system, code) => {
    const medicine = medicineCodes.size > 0 && medicineCodes.has(`${system ?? ''}|${code}`);
    for (const match of valueSet.matchCoding(system, code)) {
      findings.push(dualFinding({ category: match.category, source: 'value-set', detail: match.detail, dates }, match.dualUse, medicine));
    }
  });
  const medicationTexts = medicinePaths.flatMap((path) => conceptTexts(resource, path));
  if (medicationTexts.length > 0) {
    const reading = valueSet.readMedicationText(medicationTexts.join(' | '));
    for (const match of reading.findings) {
      findings.push(dualFinding({ category: match.category, source: 'value-set', detail: match.detail, dates }, match.dualUse, true));
    }
    if (medicineRead === undefined && reading.names.length > 0) medicineRead = `names ${reading.names.map((n) => `"${n}"`).join(', ')}`;
  }
  const departmentPaths = DEPARTMENT_PATHS[resource.resourceType];
  const departmentDisplayPaths = DEPARTMENT_DISPLAY_PATHS[resource.resourceType];
  // Most types name no department: skip building the (empty) lists.
  const departmentTexts =
    departmentPaths === undefined && departmentDisplayPaths === undefined
      ? []
      : [
          ...(departmentPaths ?? []).flatMap((path) => conceptTexts(resource, path)),
          ...(departmentDisplayPaths ?? []).flatMap((path) => stringsAt(resource, path)),
        ];
  for (const text of departmentTexts) {
    for (const match of valueSet.matchDepartment(text)) {
      findings.push({ category: match.category, source: 'department', detail: `${match.detail} in "${text}"`, dates });
    }
  }
  return medicinePaths.length > 0 ? { findings, medicineRead: medicineRead ?? '' } : { findings };
}

/**
 * A per-request memo of what classification derives from one resource alone — its care dates and the findings of its
 * own labels, codes, names and contained resources — keyed by object identity. Propagated findings are NOT memoized:
 * they depend on what the resolver returns at the time of the call, so they are recomputed (cheaply, from memoized
 * parts) every time.
 *
 * Contract: create one per request (or per batch of calls over the same fetched resources), and do not mutate a
 * resource after it was classified with the memo. The memo is bound to the value set of its first use; calls with
 * another value set bypass it.
 */
export class ClassificationMemo {
  readonly #local = new WeakMap<object, LocalClassification>();
  #valueSet: CompiledValueSet | undefined;

  /** The memoized local part, or undefined when this memo cannot serve `valueSet`. */
  local(resource: Resource, valueSet: CompiledValueSet): LocalClassification | undefined {
    this.#valueSet ??= valueSet;
    if (this.#valueSet !== valueSet || typeof resource !== 'object' || resource === null) return undefined;
    let local = this.#local.get(resource);
    if (local === undefined) {
      local = localClassification(resource, valueSet);
      this.#local.set(resource, local);
    }
    return local;
  }
}

/** What one resource says about itself (propagation aside). Shared read-only between classifications. */
interface LocalClassification {
  /** The classification when nothing propagates: the dates and findings of the resource itself. */
  readonly own: Classification;
  /** The literal references at this type's propagating paths, in path order (what propagation walks). */
  readonly propagating: readonly PropagatingReference[];
  /** For medicines: how the medicine's own code or names were read ('' when they could not be). */
  readonly medicineRead?: string;
}

interface PropagatingReference {
  readonly path: string;
  readonly reference: string;
}

function propagatingReferences(resource: Resource): PropagatingReference[] {
  const found: PropagatingReference[] = [];
  for (const path of PROPAGATING_PATHS[resource.resourceType] ?? []) {
    for (const reference of referencesAt(resource, path)) found.push({ path, reference });
  }
  return found;
}

function localClassification(resource: Resource, valueSet: CompiledValueSet): LocalClassification {
  const dates = careDatesOf(resource);
  const own = ownFindings(resource, valueSet, dates);
  let findings = own.findings;
  let medicineRead = own.medicineRead;
  // Contained resources are part of this resource: their own findings count as this resource's.
  const containedValues = (resource as { contained?: unknown }).contained === undefined ? [] : valuesAt(resource, 'contained');
  const medicationReference = containedValues.length === 0 ? undefined : stringsAt(resource, 'medicationReference.reference')[0];
  for (const contained of containedValues) {
    const inner = asResource(contained);
    if (!inner) continue;
    const reading = ownFindings(inner, valueSet, dates);
    findings.push(...reading.findings.map((f) => ({ ...f, detail: `contained ${inner.resourceType}: ${f.detail}` })));
    // The contained Medication a medicine points at is the medicine: its reading is the medicine's reading.
    if (!medicineRead && inner.resourceType === 'Medication' && medicationReference === `#${String(inner.id)}` && reading.medicineRead) {
      medicineRead = `contained Medication ${reading.medicineRead}`;
    }
  }
  findings = corroborate(findings, resource);
  const medication = medicineRead === undefined ? undefined : medicationReadingOf(resource, medicineRead, findings);
  return {
    own: { categories: distinctCategories(findings), findings, dates, ...(medication ? { medication } : {}) },
    propagating: propagatingReferences(resource),
    ...(medicineRead === undefined ? {} : { medicineRead }),
  };
}

/** Categories of the findings that can hide: dual-use ones only once corroborated, or where age may corroborate them. */
function distinctCategories(findings: readonly CategoryFinding[]): SensitivityCategory[] {
  const categories: SensitivityCategory[] = [];
  for (const finding of findings) {
    if (finding.dualUse !== undefined && !finding.ageAlone) continue;
    if (!categories.includes(finding.category)) categories.push(finding.category);
  }
  return categories;
}

function classifyAt(
  resource: Resource,
  resolve: ReferenceResolver,
  valueSet: CompiledValueSet,
  depth: number,
  visiting: Set<Resource>,
  memo: ClassificationMemo | undefined,
): Classification {
  const local = memo?.local(resource, valueSet) ?? localClassification(resource, valueSet);
  const propagating = depth < MAX_PROPAGATION_DEPTH ? local.propagating : [];
  let findings: CategoryFinding[] | undefined;

  visiting.add(resource);
  let referencedMedication: Classification | undefined;
  let medicationTarget: string | undefined;
  for (const { path, reference } of propagating) {
    const target = reference.startsWith('#')
      ? asResource(valuesAt(resource, 'contained').find((c) => isRecord(c) && `#${String(c.id)}` === reference))
      : reference.includes('?')
        ? undefined
        : resolve(reference);
    if (path === 'medicationReference') medicationTarget = reference;
    if (!target || visiting.has(target)) continue;
    const inner = classifyAt(target, resolve, valueSet, depth + 1, visiting, memo);
    if (path === 'medicationReference') referencedMedication = inner;
    for (const finding of inner.findings) {
      findings ??= [...local.own.findings];
      findings.push({
        category: finding.category,
        source: 'propagated',
        detail: `via ${path} ${target.resourceType}/${target.id ?? '?'}: ${finding.detail}`,
        from: reference,
        dates: inner.dates.length > 0 ? inner.dates : finding.dates,
        ...(finding.dualUse !== undefined ? { dualUse: finding.dualUse, ageAlone: finding.ageAlone ?? false } : {}),
      });
    }
  }
  visiting.delete(resource);
  const medication = medicationOf(local.own.medication, referencedMedication, medicationTarget, findings);
  // Nothing propagated: the local part is the whole classification (shared, never mutated).
  if (findings === undefined && medication === local.own.medication) return local.own;
  const all = corroborate(findings ?? [...local.own.findings], resource);
  return { categories: distinctCategories(all), findings: all, dates: local.own.dates, ...(medication ? { medication } : {}) };
}

/**
 * Classifies one resource. Total for well-formed JSON; callers still wrap it and hide the resource if it throws
 * (decideResource does). `memo` (optional) shares per-resource work between calls of one request.
 */
export function classifyResource(
  resource: Resource,
  resolve: ReferenceResolver,
  valueSet: CompiledValueSet = DEFAULT_VALUE_SET,
  memo?: ClassificationMemo,
): Classification {
  return classifyAt(resource, resolve, valueSet, 0, new Set(), memo);
}
