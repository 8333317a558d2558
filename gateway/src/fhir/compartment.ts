/**
 * Pure helpers over FHIR JSON for the facade: which patient a resource belongs to (from the allow-list table), which
 * references it holds, and the attachment URLs it points at. Total functions: odd input gives [] / undefined.
 */
import type { Resource } from 'fhir/r4';
import { PATIENT_TYPES, SHARED_TYPES } from './search-parameters.ts';

const RELATIVE_REFERENCE = /^([A-Z][A-Za-z]{1,63})\/([A-Za-z0-9\-.]{1,64})(\/_history\/[A-Za-z0-9\-.]{1,64})?$/;

/**
 * Normalises a literal reference to "Type/id" when it is relative or an absolute URL under `baseUrl`; undefined for
 * contained ("#x"), logical, foreign or malformed references (those are never fetched).
 *
 * Pure; answers are remembered per base URL (a record repeats the same few references — its patient, its encounters
 * — on every resource). The memo is bounded (count and key length) and simply dropped when full.
 */
export function toRelativeReference(reference: string, baseUrl: string): string | undefined {
  let table = NORMALISED.get(baseUrl);
  if (table === undefined) {
    if (NORMALISED.size >= 16) NORMALISED.clear();
    table = { prefix: `${baseUrl}/`, answers: new Map() };
    NORMALISED.set(baseUrl, table);
  }
  const known = table.answers.get(reference);
  if (known !== undefined) return known === NOT_A_REFERENCE ? undefined : known;
  const answer = normalise(reference, table.prefix);
  if (reference.length > 512) return answer; // odd data is answered, not remembered
  if (table.answers.size >= 20_000) table.answers.clear();
  table.answers.set(reference, answer ?? NOT_A_REFERENCE);
  return answer;
}

const NOT_A_REFERENCE = '\u0000';
const NORMALISED = new Map<string, { readonly prefix: string; readonly answers: Map<string, string> }>();

function normalise(reference: string, prefix: string): string | undefined {
  let candidate = reference;
  if (candidate.startsWith(prefix)) candidate = candidate.slice(prefix.length);
  const match = RELATIVE_REFERENCE.exec(candidate);
  if (match === null) return undefined;
  return `${match[1]}/${match[2]}`;
}

/** Element paths split once ("subject" → ["subject"], "context.encounter" → [...]); they come from code tables. */
const SPLIT = new Map<string, readonly string[]>();
function splitPath(path: string): readonly string[] {
  let keys = SPLIT.get(path);
  if (keys === undefined) {
    keys = path.split('.');
    if (SPLIT.size < 512) SPLIT.set(path, keys);
  }
  return keys;
}

/** Values at a dot-separated element path, walking arrays (nested ones too) at every step. */
function valuesAt(node: unknown, path: readonly string[]): unknown[] {
  const found: unknown[] = [];
  collect(node, path, 0, found);
  return found;
}

function collect(node: unknown, path: readonly string[], index: number, found: unknown[]): void {
  if (Array.isArray(node)) {
    for (const item of node) collect(item, path, index, found);
    return;
  }
  if (index === path.length) {
    found.push(node);
    return;
  }
  if (typeof node !== 'object' || node === null) return;
  const child = (node as Record<string, unknown>)[path[index] ?? ''];
  if (child !== undefined) collect(child, path, index + 1, found);
}

function referenceOf(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const reference = (value as { reference?: unknown }).reference;
  return typeof reference === 'string' ? reference : undefined;
}

/**
 * The ids of the patients whose compartment this resource is in, by the table in search-parameters.ts.
 * A Patient is in its own compartment. Types outside the table have none (the facade hides them: deny by default).
 */
export function patientIdsOf(resource: Resource, baseUrl: string): string[] {
  if (resource.resourceType === 'Patient') return resource.id === undefined ? [] : [resource.id];
  const rules = PATIENT_TYPES[resource.resourceType];
  if (rules === undefined) return [];
  const ids = new Set<string>();
  for (const element of rules.patientElements) {
    for (const value of valuesAt(resource, splitPath(element))) {
      const reference = referenceOf(value);
      const relative = reference === undefined ? undefined : toRelativeReference(reference, baseUrl);
      if (relative?.startsWith('Patient/') === true) ids.add(relative.slice('Patient/'.length));
    }
  }
  return [...ids];
}

export function isSharedType(type: string): boolean {
  return SHARED_TYPES.includes(type);
}

/** Every literal reference in the resource (outside `contained`), normalised to "Type/id" where possible. */
export function referencesIn(resource: Resource, baseUrl: string): Set<string> {
  const found = new Set<string>();
  walkReferences(resource, true, baseUrl, found);
  return found;
}

function walkReferences(node: unknown, top: boolean, baseUrl: string, found: Set<string>): void {
  if (Array.isArray(node)) {
    for (const item of node) walkReferences(item, false, baseUrl, found);
    return;
  }
  if (typeof node !== 'object' || node === null) return;
  const record = node as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (top && key === 'contained') continue;
    const value = record[key];
    if (key === 'reference' && typeof value === 'string') {
      const relative = toRelativeReference(value, baseUrl);
      if (relative !== undefined) found.add(relative);
    } else if (typeof value === 'object' && value !== null) {
      walkReferences(value, false, baseUrl, found);
    }
  }
}

/** The Attachment objects of the resource that may point at a Binary (document content, presented forms, payloads). */
export function attachmentsOf(resource: Resource): { url?: string }[] {
  const attachments: unknown[] = [];
  switch (resource.resourceType) {
    case 'DocumentReference':
      attachments.push(...valuesAt(resource, ['content', 'attachment']));
      break;
    case 'DiagnosticReport':
      attachments.push(...valuesAt(resource, ['presentedForm']));
      break;
    case 'Communication':
      attachments.push(...valuesAt(resource, ['payload', 'contentAttachment']));
      break;
    case 'Patient':
    case 'Practitioner':
      attachments.push(...valuesAt(resource, ['photo']));
      break;
    default:
      break;
  }
  return attachments.filter((value): value is { url?: string } => typeof value === 'object' && value !== null);
}

/** "Binary/<id>" when an attachment URL points at a Binary on the FHIR base (relative or absolute), else undefined. */
export function binaryReferenceOf(url: string | undefined, baseUrl: string): string | undefined {
  if (url === undefined) return undefined;
  const relative = toRelativeReference(url, baseUrl);
  return relative?.startsWith('Binary/') === true ? relative : undefined;
}
