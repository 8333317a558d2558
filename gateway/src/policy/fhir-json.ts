/**
 * Small total readers over FHIR JSON seen as `unknown`. The policy core reads many resource types by path; these keep
 * that code free of casts and never throw on odd shapes (a missing or mistyped field reads as absent).
 */
import type { Coding, Resource } from 'fhir/r4';

export type Json = unknown;

export function isRecord(value: Json): value is Record<string, Json> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Dotted paths split once: the classifier asks the same few dozen paths for every resource. */
const SPLIT_PATHS = new Map<string, readonly string[]>();

function splitPath(path: string): readonly string[] {
  let keys = SPLIT_PATHS.get(path);
  if (keys === undefined) {
    keys = path.split('.');
    // Paths come from code tables, never from data; the bound only guards against a caller that builds them.
    if (SPLIT_PATHS.size < 1024) SPLIT_PATHS.set(path, keys);
  }
  return keys;
}

/**
 * Every value at a dotted path, flattening arrays at each step ("diagnosis.condition"). Depth-first, which yields the
 * values in the same order as expanding the path level by level.
 */
export function valuesAt(root: Json, path: string): Json[] {
  const keys = splitPath(path);
  const found: Json[] = [];
  collectAt(root, keys, 0, found);
  return found;
}

function collectAt(node: Json, keys: readonly string[], index: number, found: Json[]): void {
  if (!isRecord(node)) return;
  const value = node[keys[index] as string];
  if (value === undefined) return;
  const last = index === keys.length - 1;
  if (Array.isArray(value)) {
    for (const item of value) {
      if (last) found.push(item);
      else collectAt(item, keys, index + 1, found);
    }
  } else if (last) {
    found.push(value);
  } else {
    collectAt(value, keys, index + 1, found);
  }
}

export function stringsAt(root: Json, path: string): string[] {
  const found: string[] = [];
  for (const value of valuesAt(root, path)) if (typeof value === 'string') found.push(value);
  return found;
}

/** "encounter" → ["encounter", "reference"], cached (building "encounter.reference" per call costs a hash each time). */
const REFERENCE_PATHS = new Map<string, readonly string[]>();

/** Literal reference strings at a path (Reference.reference). */
export function referencesAt(root: Json, path: string): string[] {
  let keys = REFERENCE_PATHS.get(path);
  if (keys === undefined) {
    keys = [...splitPath(path), 'reference'];
    if (REFERENCE_PATHS.size < 1024) REFERENCE_PATHS.set(path, keys);
  }
  const values: Json[] = [];
  collectAt(root, keys, 0, values);
  const found: string[] = [];
  for (const value of values) if (typeof value === 'string') found.push(value);
  return found;
}

export function asResource(value: Json): Resource | undefined {
  return isRecord(value) && typeof value.resourceType === 'string' ? (value as unknown as Resource) : undefined;
}

/** Every Coding anywhere under a node (objects with a string `code`), skipping the named top-level keys. */
export function collectCodings(root: Json, skipTopLevel: ReadonlySet<string>): Coding[] {
  const found: Coding[] = [];
  forEachCoding(root, skipTopLevel, (system, code, display) => {
    found.push({ system, code, display });
  });
  return found;
}

/**
 * The walk behind collectCodings, without building Coding objects: calls `visit` for every object with a string
 * `code` (and a string or absent `system`), in document order, skipping the named top-level keys.
 */
export function forEachCoding(
  root: Json,
  skipTopLevel: ReadonlySet<string>,
  visit: (system: string | undefined, code: string, display: string | undefined) => void,
): void {
  visitCodings(root, 0, skipTopLevel, visit);
}

function visitCodings(
  node: Json,
  depth: number,
  skipTopLevel: ReadonlySet<string>,
  visit: (system: string | undefined, code: string, display: string | undefined) => void,
): void {
  if (depth > 30) return;
  if (Array.isArray(node)) {
    for (const item of node) visitCodings(item, depth + 1, skipTopLevel, visit);
    return;
  }
  if (!isRecord(node)) return;
  const code = node.code;
  const system = node.system;
  if (typeof code === 'string' && (typeof system === 'string' || system === undefined)) {
    visit(system, code, typeof node.display === 'string' ? node.display : undefined);
  }
  for (const key of Object.keys(node)) {
    if (depth === 0 && skipTopLevel.has(key)) continue;
    const value = node[key];
    if (typeof value === 'object' && value !== null) visitCodings(value, depth + 1, skipTopLevel, visit);
  }
}

/** Text of CodeableConcepts at a path: `text` and every coding display. */
export function conceptTexts(root: Json, path: string): string[] {
  return valuesAt(root, path).flatMap((concept) => [
    ...stringsAt(concept, 'text'),
    ...stringsAt(concept, 'coding.display'),
  ]);
}

const RELATIVE_REFERENCE_TAIL = /(?:^|\/)([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})(?:\/_history\/[A-Za-z0-9\-.]{1,64})?$/;

/**
 * "Patient/123" from "Patient/123", "https://ehr/fhir/Patient/123" or "…/Patient/123/_history/2".
 * Pure; answers are remembered (a record repeats the same few references — its patient, its encounters — on every
 * resource). The memo is bounded (count and key length) and simply dropped when full.
 */
export function toRelativeReference(reference: string): string | undefined {
  const known = RELATIVE_REFERENCES.get(reference);
  if (known !== undefined) return known === NOT_A_REFERENCE ? undefined : known;
  const match = RELATIVE_REFERENCE_TAIL.exec(reference);
  const answer = match ? `${match[1]}/${match[2]}` : undefined;
  if (reference.length > 512) return answer; // odd data is answered, not remembered
  if (RELATIVE_REFERENCES.size >= 20_000) RELATIVE_REFERENCES.clear();
  RELATIVE_REFERENCES.set(reference, answer ?? NOT_A_REFERENCE);
  return answer;
}
const NOT_A_REFERENCE = '\u0000';
const RELATIVE_REFERENCES = new Map<string, string>();
