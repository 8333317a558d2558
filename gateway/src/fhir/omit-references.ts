/**
 * Removes references to records the reader may not see from a resource they may see.
 *
 * Under an allow-list a guardian sees a teen's asthma inhaler but not the visit it was prescribed at; the inhaler is
 * shown, and its `encounter` reference (which would name the hidden visit's id) is taken out. A reference inside an
 * array goes with its array element; a reference held by a property goes with the property. Nothing is left in its
 * place — no stub, no "masked" marker — so the response does not hint that a hidden record exists.
 *
 * Pure: returns a copy when something is removed, the same object otherwise.
 */
import type { Resource } from 'fhir/r4';

/**
 * @param omit relative references ("Encounter/123") to remove
 * @param toRelative normalises a reference as the facade does (absolute URLs on the FHIR base → relative)
 */
export function omitReferences(resource: Resource, omit: ReadonlySet<string>, toRelative: (reference: string) => string | undefined): Resource {
  if (omit.size === 0) return resource;
  const copy = structuredClone(resource);
  const removed = prune(copy, omit, toRelative);
  return removed ? copy : resource;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isOmitted(value: unknown, omit: ReadonlySet<string>, toRelative: (reference: string) => string | undefined): boolean {
  if (!isRecord(value) || typeof value['reference'] !== 'string') return false;
  const relative = toRelative(value['reference']);
  return relative !== undefined && omit.has(relative);
}

/** Removes omitted references below `node` in place; true when anything was removed. */
function prune(node: unknown, omit: ReadonlySet<string>, toRelative: (reference: string) => string | undefined): boolean {
  let removed = false;
  if (Array.isArray(node)) {
    for (let index = node.length - 1; index >= 0; index -= 1) {
      if (isOmitted(node[index], omit, toRelative)) {
        node.splice(index, 1);
        removed = true;
      } else if (prune(node[index], omit, toRelative)) {
        removed = true;
      }
    }
    return removed;
  }
  if (!isRecord(node)) return false;
  for (const [key, value] of Object.entries(node)) {
    // Contained resources are judged as parts of their container; their own references are pruned the same way.
    if (isOmitted(value, omit, toRelative)) {
      delete node[key];
      removed = true;
    } else if (prune(value, omit, toRelative)) {
      if (Array.isArray(value) && value.length === 0) delete node[key]; // FHIR arrays are never empty
      removed = true;
    }
  }
  return removed;
}
