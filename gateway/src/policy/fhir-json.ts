/**
 * Small total readers over FHIR JSON seen as `unknown`. The policy core reads many resource types by path; these keep
 * that code free of casts and never throw on odd shapes (a missing or mistyped field reads as absent).
 */
import type { Coding, Resource } from 'fhir/r4';

export type Json = unknown;

export function isRecord(value: Json): value is Record<string, Json> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Every value at a dotted path, flattening arrays at each step ("diagnosis.condition"). */
export function valuesAt(root: Json, path: string): Json[] {
  let current: Json[] = [root];
  for (const key of path.split('.')) {
    const next: Json[] = [];
    for (const node of current) {
      if (!isRecord(node)) continue;
      const value = node[key];
      if (Array.isArray(value)) next.push(...value);
      else if (value !== undefined) next.push(value);
    }
    current = next;
  }
  return current;
}

export function stringsAt(root: Json, path: string): string[] {
  return valuesAt(root, path).filter((v): v is string => typeof v === 'string');
}

/** Literal reference strings at a path (Reference.reference). */
export function referencesAt(root: Json, path: string): string[] {
  return stringsAt(root, `${path}.reference`);
}

export function asResource(value: Json): Resource | undefined {
  return isRecord(value) && typeof value.resourceType === 'string' ? (value as unknown as Resource) : undefined;
}

/** Every Coding anywhere under a node (objects with a string `code`), skipping the named top-level keys. */
export function collectCodings(root: Json, skipTopLevel: ReadonlySet<string>): Coding[] {
  const found: Coding[] = [];
  const visit = (node: Json, depth: number): void => {
    if (depth > 30) return;
    if (Array.isArray(node)) {
      for (const item of node) visit(item, depth + 1);
      return;
    }
    if (!isRecord(node)) return;
    if (typeof node.code === 'string' && (typeof node.system === 'string' || node.system === undefined)) {
      found.push({ system: typeof node.system === 'string' ? node.system : undefined, code: node.code, display: typeof node.display === 'string' ? node.display : undefined });
    }
    for (const [key, value] of Object.entries(node)) {
      if (depth === 0 && skipTopLevel.has(key)) continue;
      if (typeof value === 'object' && value !== null) visit(value, depth + 1);
    }
  };
  visit(root, 0);
  return found;
}

/** Text of CodeableConcepts at a path: `text` and every coding display. */
export function conceptTexts(root: Json, path: string): string[] {
  return valuesAt(root, path).flatMap((concept) => [
    ...stringsAt(concept, 'text'),
    ...stringsAt(concept, 'coding.display'),
  ]);
}

/** "Patient/123" from "Patient/123", "https://ehr/fhir/Patient/123" or "…/Patient/123/_history/2". */
export function toRelativeReference(reference: string): string | undefined {
  const match = /(?:^|\/)([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})(?:\/_history\/[A-Za-z0-9\-.]{1,64})?$/.exec(reference);
  return match ? `${match[1]}/${match[2]}` : undefined;
}
