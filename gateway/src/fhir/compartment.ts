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
 */
export function toRelativeReference(reference: string, baseUrl: string): string | undefined {
  let candidate = reference;
  const prefix = `${baseUrl}/`;
  if (candidate.startsWith(prefix)) candidate = candidate.slice(prefix.length);
  const match = RELATIVE_REFERENCE.exec(candidate);
  if (match === null) return undefined;
  return `${match[1]}/${match[2]}`;
}

/** Values at a dot-separated element path, walking arrays at every step. */
function valuesAt(node: unknown, path: readonly string[]): unknown[] {
  if (Array.isArray(node)) return node.flatMap((item) => valuesAt(item, path));
  if (path.length === 0) return [node];
  if (typeof node !== 'object' || node === null) return [];
  const [head = '', ...tail] = path;
  const child = (node as Record<string, unknown>)[head];
  return child === undefined ? [] : valuesAt(child, tail);
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
    for (const value of valuesAt(resource, element.split('.'))) {
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
  const walk = (node: unknown, top: boolean): void => {
    if (Array.isArray(node)) {
      for (const item of node) walk(item, false);
      return;
    }
    if (typeof node !== 'object' || node === null) return;
    for (const [key, value] of Object.entries(node as Record<string, unknown>)) {
      if (top && key === 'contained') continue;
      if (key === 'reference' && typeof value === 'string') {
        const relative = toRelativeReference(value, baseUrl);
        if (relative !== undefined) found.add(relative);
      } else {
        walk(value, false);
      }
    }
  };
  walk(resource, true);
  return found;
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
