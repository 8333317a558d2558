/**
 * Reads a seed directory into FHIR items, with no server involved (the policy explain CLI uses it too).
 *
 * Contract: `loadSeedDirectory(dir, { today })` resolves to `FhirResource[]` — every top-level FHIR JSON object found in
 * the folder's `*.json` files, in load order: loose resources and Bundles (batch, transaction, collection) as written.
 * Load order is Synthea's: `hospitalInformation*` and `practitionerInformation*` first (patient bundles reference
 * them conditionally), then the remaining files by name. JSON files without a `resourceType` (e.g. a MANIFEST.json)
 * are skipped. Unreadable or invalid JSON fails with the file name.
 *
 * Date shifting: when the folder holds `seed-manifest.json` with `{ "anchorDate": "YYYY-MM-DD" }`, every date is
 * moved by (today − anchorDate) days (see date-shift.ts). Without a manifest (bring-your-own data via SANDBOX_SEED)
 * the data is loaded unshifted.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FhirResource } from 'fhir/r4';
import { daysSinceAnchor, shiftDates } from './date-shift.ts';

export const SEED_MANIFEST_FILE = 'seed-manifest.json';

export interface SeedManifest {
  readonly anchorDate: string;
  readonly description?: string;
}

export interface SeedDirectory {
  readonly items: FhirResource[];
  readonly files: string[];
  readonly skipped: string[];
  /** Days every date was moved by; 0 without a manifest. */
  readonly shiftedByDays: number;
}

export async function loadSeedDirectory(dir: string, options: { today: Date }): Promise<FhirResource[]> {
  return (await readSeedDirectory(dir, options)).items;
}

export async function readSeedDirectory(dir: string, options: { today: Date }): Promise<SeedDirectory> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((name) => name.endsWith('.json'));
  } catch (error) {
    throw new Error(`Seed directory ${dir} cannot be read: ${(error as Error).message}`, { cause: error });
  }
  const manifest = names.includes(SEED_MANIFEST_FILE) ? await readManifest(join(dir, SEED_MANIFEST_FILE)) : undefined;
  const shiftedByDays = manifest ? daysSinceAnchor(manifest.anchorDate, options.today) : 0;
  const items: FhirResource[] = [];
  const files: string[] = [];
  const skipped: string[] = [];
  for (const name of orderSeedFiles(names.filter((name) => name !== SEED_MANIFEST_FILE))) {
    const parsed = await readJsonFile(join(dir, name));
    const candidates = Array.isArray(parsed) ? parsed : [parsed];
    const resources = candidates.filter(isResource);
    if (resources.length === 0) {
      skipped.push(name);
      continue;
    }
    files.push(name);
    for (const resource of resources) items.push(shiftedByDays === 0 ? resource : shiftDates(resource, shiftedByDays));
  }
  return { items, files, skipped, shiftedByDays };
}

/** Synthea's shared organisations and practitioners must exist before patient bundles reference them. */
export function orderSeedFiles(names: readonly string[]): string[] {
  const rank = (name: string): number => (/hospitalInformation/i.test(name) ? 0 : /practitionerInformation/i.test(name) ? 1 : 2);
  return [...names].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

/** Every resource inside the items, bundles opened (one level of entries), for tools that do not need a server. */
export function flattenSeedItems(items: readonly FhirResource[]): FhirResource[] {
  const out: FhirResource[] = [];
  for (const item of items) {
    if (item.resourceType === 'Bundle') {
      for (const entry of item.entry ?? []) if (entry.resource) out.push(entry.resource as FhirResource);
    } else {
      out.push(item);
    }
  }
  return out;
}

async function readManifest(path: string): Promise<SeedManifest> {
  const parsed = await readJsonFile(path);
  if (typeof parsed !== 'object' || parsed === null || typeof (parsed as { anchorDate?: unknown }).anchorDate !== 'string') {
    throw new Error(`${path}: expected { "anchorDate": "YYYY-MM-DD" }`);
  }
  return parsed as SeedManifest;
}

async function readJsonFile(path: string): Promise<unknown> {
  const text = await readFile(path, 'utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new Error(`${path} is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
}

function isResource(value: unknown): value is FhirResource {
  return typeof value === 'object' && value !== null && typeof (value as { resourceType?: unknown }).resourceType === 'string';
}
