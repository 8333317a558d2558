/**
 * Every mapper over every public fixture bundle (Synthea, SHIFT) and every HL7/US Core reference example:
 * no throw, and output that is sane for a screen — no "undefined", "[object Object]" or "NaN" anywhere, no empty
 * labels or strings, plain JSON (round-trips unchanged). The fixture folders live next to the checkout and are
 * read in place; when absent, these tests skip.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Bundle, FhirResource } from 'fhir/r4';
import { describe, expect, it } from 'vitest';
import { insanities, mapEverything } from './support.ts';

const repoRoot = resolve(import.meta.dirname, '../../..');
const externalDir = resolve(repoRoot, '../shared/fixtures/external');
const referenceDir = resolve(repoRoot, '../shared/fixtures/reference');

function jsonFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...jsonFiles(path));
    else if (entry.name.endsWith('.json') && entry.name !== 'MANIFEST.json') out.push(path);
  }
  return out;
}

const externalFiles = jsonFiles(externalDir);
const referenceFiles = jsonFiles(referenceDir);

describe.skipIf(externalFiles.length === 0)('every mapper over every external fixture bundle', () => {
  it.each(externalFiles.map((f) => [f.slice(externalDir.length + 1), f]))('%s', (_name, file) => {
    const bundle = JSON.parse(readFileSync(file, 'utf8')) as Bundle;
    const output = mapEverything(bundle);
    expect(insanities(output)).toEqual([]);
    expect(JSON.parse(JSON.stringify(output))).toStrictEqual(output);
    // Patient bundles give a banner with a name; the hospital/practitioner bundles hold no Patient.
    const hasPatient = (bundle.entry ?? []).some((e) => e.resource?.resourceType === 'Patient');
    expect(output.banner !== undefined).toBe(hasPatient);
    if (output.banner) expect(output.banner.name.kind).toBe('text');
  });
});

describe.skipIf(referenceFiles.length === 0)('every mapper over the HL7 / US Core reference examples', () => {
  const resources = referenceFiles
    .map((f) => JSON.parse(readFileSync(f, 'utf8')) as unknown)
    .filter((r): r is FhirResource => typeof r === 'object' && r !== null && 'resourceType' in r);

  it('maps each example alone without surprises', () => {
    for (const resource of resources) {
      const output = mapEverything([resource]);
      expect(insanities(output), `${resource.resourceType}/${resource.id}`).toEqual([]);
      expect(JSON.parse(JSON.stringify(output))).toStrictEqual(output);
    }
  });

  it('maps all examples together (references resolved across them)', () => {
    const output = mapEverything(resources);
    expect(insanities(output)).toEqual([]);
    expect(output.allergies.noKnownAllergies.map((n) => n.kind).sort()).toEqual(
      expect.arrayContaining(['allergy', 'drug-allergy']),
    );
    expect(output.immunizations.doses.some((d) => d.status === 'not-done' && d.statusReason !== undefined)).toBe(true);
  });
});
