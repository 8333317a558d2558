/**
 * The shipped terminology: exactly what `npm run terminology:generate` produces from ../shared/terminology (so it cannot
 * drift or be edited by hand), loaded with its sources, and refused when malformed.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildTerminology } from '../../../scripts/terminology-build.ts';
import shippedJson from '../../../gateway/src/policy/terminology/terminology.json' with { type: 'json' };
import { describeSource, loadTerminology, SHIPPED_TERMINOLOGY } from '../../../gateway/src/policy/terminology.ts';
import { REPO_ROOT } from './support.ts';

const SHARED_TERMINOLOGY = join(REPO_ROOT, '../shared/terminology');
const SHIPPED_DIR = join(REPO_ROOT, 'gateway/src/policy/terminology');

describe.skipIf(!existsSync(join(SHARED_TERMINOLOGY, 'contraception.json')))('generated from ../shared/terminology', () => {
  const built = buildTerminology(SHARED_TERMINOLOGY);

  it('the shipped terminology.json is byte for byte what the generator writes', () => {
    expect(readFileSync(join(SHIPPED_DIR, 'terminology.json'), 'utf8') === built.json, 'run npm run terminology:generate and commit').toBe(true);
  });

  it('the shipped SOURCES.md notice is what the generator writes, with every source and the licence caveats', () => {
    const notice = readFileSync(join(SHIPPED_DIR, 'SOURCES.md'), 'utf8');
    expect(notice === built.notice, 'run npm run terminology:generate and commit').toBe(true);
    expect(notice).toContain('This material contains content from LOINC (http://loinc.org)');
    expect(notice).toMatch(/SNOMED CT.*UMLS/);
    expect(notice).toMatch(/SHIFT Task Force.*CC BY 4\.0/);
    for (const source of built.data.sources) expect(notice).toContain(source.commit);
  });

  it('keeps every code of the specific sets, with its source and dual-use flag', () => {
    for (const set of ['contraception', 'pregnancy', 'sti', 'hiv', 'mental-health', 'substance-use', 'sexual-assault']) {
      const file = JSON.parse(readFileSync(join(SHARED_TERMINOLOGY, `${set}.json`), 'utf8')) as {
        codes: { system: string; code: string; dual_use?: string; source: number }[];
        sources: { title: string; commit: string }[];
      };
      const setIndex = built.data.sets.findIndex((s) => s.id === set);
      for (const entry of file.codes) {
        const flat = built.data.codes[entry.system]?.[entry.code] ?? [];
        const at = [...Array(flat.length / 4).keys()].map((i) => i * 4).find((i) => flat[i] === setIndex);
        expect(at, `${set} ${entry.code}`).toBeDefined();
        const source = built.data.sources[flat[(at as number) + 2] as number];
        expect(source?.title).toBe(file.sources[entry.source]?.title);
        expect(source?.commit).toBe(file.sources[entry.source]?.commit);
        const dual = flat[(at as number) + 3] as number;
        expect(dual === 0 ? undefined : built.data.dualUse[dual - 1]).toBe(entry.dual_use);
      }
    }
  });
});

describe('loading the shipped terminology', () => {
  it('indexes codes by system with ICD-10-CM dots ignored, and names each source', () => {
    const pack = SHIPPED_TERMINOLOGY.codes.get('http://www.nlm.nih.gov/research/umls/rxnorm|748961'); // norethindrone 0.35 MG pack
    expect(pack?.[0]).toMatchObject({ set: 'contraception', category: 'sexual-reproductive', dualUse: undefined });
    expect(describeSource(pack?.[0]?.source)).toMatch(/^cqframework\/ecqm-content-[a-z0-9-]+@[0-9a-f]{7}, "Contraceptive Medications" \(2\.16\.840\.1\.113883\.3\.464\.1003\.196\.12\.1080\)/);
    // The brand pack (BPCK) is only in Synthea's history: still found, with that source.
    expect(describeSource(SHIPPED_TERMINOLOGY.codes.get('http://www.nlm.nih.gov/research/umls/rxnorm|748962')?.[0]?.source)).toMatch(/^synthetichealth\/synthea@/);
    expect(SHIPPED_TERMINOLOGY.codes.get('http://hl7.org/fhir/sid/icd-10-cm|Z30011')?.[0]?.category).toBe('sexual-reproductive');
    expect(SHIPPED_TERMINOLOGY.codes.get('http://snomed.info/sct|252160004')?.[0]?.dualUse).toMatch(/pregnancy test/);
    expect(SHIPPED_TERMINOLOGY.ingredients.get('drospirenone')?.category).toBe('sexual-reproductive');
    expect(SHIPPED_TERMINOLOGY.dualUseIngredients.get('methylphenidate')?.dualUse).toMatch(/ADHD/);
  });

  it('maps the sexual-assault file by what each code names: sexual abuse any age, partner violence 12+', () => {
    expect(SHIPPED_TERMINOLOGY.codes.get('http://snomed.info/sct|713834002')?.[0]?.category).toBe('sexual-assault');
    expect(SHIPPED_TERMINOLOGY.codes.get('http://snomed.info/sct|706893006')?.[0]?.category).toBe('intimate-partner-violence');
  });

  it('refuses a malformed file (the gateway must not start on it)', () => {
    const data = structuredClone(shippedJson) as unknown as Record<string, unknown>;
    expect(() => loadTerminology({ ...data, format: 'other' })).toThrow(/unknown format/);
    expect(() => loadTerminology({ ...data, categories: ['not-a-category'] })).toThrow(/unknown category/);
    expect(() => loadTerminology({ ...data, codes: { 'http://loinc.org': { '1-1': [0, 0, 99999, 0] } } })).toThrow(/missing source/);
    expect(() => loadTerminology({ ...data, codes: { 'http://loinc.org': { '1-1': [0, 0, 0] } } })).toThrow(/malformed/);
  });
});
