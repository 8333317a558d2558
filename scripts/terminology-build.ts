/**
 * Builds the compact terminology Sprout ships (gateway/src/policy/terminology/) from the expanded, provenance-tracked
 * public value sets in ../shared/terminology (shape in its README). Pure apart from reading that folder: the same input
 * always gives byte-identical output, so a test can check the shipped files were not edited by hand or left stale.
 *
 * Output (`terminology.json`):
 *   sets        the terminology files read ("contraception", "pregnancy", …), in a fixed order;
 *   categories  the Sprout sensitivity categories the entries point at;
 *   sources     every public source (repo, path, commit, value set, title, version, licence);
 *   dualUse     the distinct dual-use reasons;
 *   codes       { system: { code: [set, category, source, dualUse + 1 (0 = not dual), …repeated per set] } };
 *   ingredients { lower-case ingredient name: [set, category] } (rxnorm-ingredient-names.json: the non-dual members);
 *   dualUseIngredients { name: [set, category, dualUse + 1] } parsed from the RxNorm names of the dual-use
 *               single-ingredient members (antidepressants, ADHD medicines, opioid analgesics, azithromycin…), so a
 *               display naming them is read as what it is rather than as an unknown medicine.
 * plus `SOURCES.md`, the notice with every source and the licence caveats.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The terminology files, in the order their entries are listed (and findings reported). */
export const TERMINOLOGY_SETS = [
  'contraception',
  'pregnancy',
  'sti',
  'hiv',
  'mental-health',
  'substance-use',
  'sexual-activity',
  'sexual-assault',
] as const;
type SetId = (typeof TERMINOLOGY_SETS)[number];

/**
 * Which Sprout category each file maps to (categories.ts). Pregnancy, contraception and "reveals sexual activity" are
 * Family Code 6925 (any age); STI and HIV are 6926 (12+). The sexual-assault file mixes sexual abuse (6927/6928, any
 * age) with intimate-partner violence screening and findings (6930, 12+): see categoryOf.
 */
const CATEGORY_OF_SET: Readonly<Record<SetId, string>> = {
  contraception: 'sexual-reproductive',
  pregnancy: 'sexual-reproductive',
  sti: 'sti',
  hiv: 'sti',
  'mental-health': 'mental-health',
  'substance-use': 'substance-use',
  'sexual-activity': 'sexual-reproductive',
  'sexual-assault': 'intimate-partner-violence',
};

export const SHIPPED_CATEGORIES = ['sexual-reproductive', 'sti', 'mental-health', 'substance-use', 'sexual-assault', 'intimate-partner-violence'] as const;

interface SourceEntry {
  readonly repo: string;
  readonly path: string;
  readonly commit: string;
  readonly valueSet: string | null;
  readonly title: string;
  readonly version?: string;
  readonly license: string;
}

interface CodeEntry {
  readonly system: string;
  readonly code: string;
  readonly display: string | null;
  readonly source: number;
  readonly dual_use?: string;
}

interface TerminologyFile {
  readonly category: string;
  readonly ca_law: string;
  readonly sources: readonly SourceEntry[];
  readonly codes: readonly CodeEntry[];
}

export interface ShippedTerminology {
  readonly format: 'sprout-terminology/1';
  readonly generatedBy: string;
  readonly sets: readonly { readonly id: string; readonly law: string }[];
  readonly categories: readonly string[];
  readonly sources: readonly SourceEntry[];
  readonly dualUse: readonly string[];
  readonly codes: Readonly<Record<string, Readonly<Record<string, readonly number[]>>>>;
  readonly ingredients: Readonly<Record<string, readonly [number, number]>>;
  readonly dualUseIngredients: Readonly<Record<string, readonly [number, number, number]>>;
}

/** The category of one code of one set; the sexual-assault file is split by what the code names. */
function categoryOf(set: SetId, entry: CodeEntry): string {
  if (set === 'sexual-assault' && /sexual|rape/i.test(entry.display ?? '') && !/questionnaire/i.test(entry.display ?? '')) {
    return 'sexual-assault';
  }
  return CATEGORY_OF_SET[set];
}

function readJson<T>(path: string): T {
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}

function check(condition: boolean, message: string): asserts condition {
  if (!condition) throw new Error(`terminology: ${message}`);
}

export function buildTerminology(dir: string): { readonly json: string; readonly notice: string; readonly data: ShippedTerminology } {
  const files = new Map<SetId, TerminologyFile>();
  for (const set of TERMINOLOGY_SETS) {
    const file = readJson<TerminologyFile>(join(dir, `${set}.json`));
    check(Array.isArray(file.codes) && Array.isArray(file.sources), `${set}.json has no codes/sources`);
    files.set(set, file);
  }

  const sources: SourceEntry[] = [];
  const sourceIndex = new Map<string, number>();
  const sourceOf = (source: SourceEntry): number => {
    const key = `${source.repo}|${source.path}|${source.commit}|${source.valueSet ?? ''}`;
    let index = sourceIndex.get(key);
    if (index === undefined) {
      index = sources.length;
      sources.push({
        repo: source.repo,
        path: source.path,
        commit: source.commit,
        valueSet: source.valueSet ?? null,
        title: source.title,
        ...(source.version ? { version: source.version } : {}),
        license: source.license,
      });
      sourceIndex.set(key, index);
    }
    return index;
  };
  const dualUse: string[] = [];
  const dualOf = (reason: string | undefined): number => {
    if (!reason) return 0;
    let index = dualUse.indexOf(reason);
    if (index < 0) index = dualUse.push(reason) - 1;
    return index + 1;
  };
  const categories = [...SHIPPED_CATEGORIES] as string[];

  // Codes carried by a more specific file: "sexual-activity" (CMS153 denominator, which re-lists STI, pregnancy and
  // contraception codes) only contributes codes no other file has, so a chlamydia test keeps its STI category (12+).
  const elsewhere = new Set<string>();
  for (const set of TERMINOLOGY_SETS) {
    if (set === 'sexual-activity') continue;
    for (const entry of files.get(set)?.codes ?? []) elsewhere.add(`${entry.system}|${entry.code}`);
  }

  const codes: Record<string, Record<string, number[]>> = {};
  TERMINOLOGY_SETS.forEach((set, setIndex) => {
    const file = files.get(set) as TerminologyFile;
    for (const entry of file.codes) {
      check(typeof entry.system === 'string' && typeof entry.code === 'string' && entry.code.length > 0, `${set}: bad code entry`);
      if (set === 'sexual-activity' && elsewhere.has(`${entry.system}|${entry.code}`)) continue;
      const source = file.sources[entry.source];
      check(source !== undefined, `${set}: ${entry.code} names source ${entry.source}, which is missing`);
      const category = categories.indexOf(categoryOf(set, entry));
      check(category >= 0, `${set}: no category`);
      const bySystem = (codes[entry.system] ??= {});
      (bySystem[entry.code] ??= []).push(setIndex, category, sourceOf(source), dualOf(entry.dual_use));
    }
  });

  const ingredientFile = readJson<{ ingredients: Record<string, Record<string, number>> }>(join(dir, 'rxnorm-ingredient-names.json'));
  const ingredients: Record<string, [number, number]> = {};
  for (const [set, names] of Object.entries(ingredientFile.ingredients)) {
    const setIndex = (TERMINOLOGY_SETS as readonly string[]).indexOf(set);
    check(setIndex >= 0, `rxnorm-ingredient-names.json: unknown set ${set}`);
    const category = categories.indexOf(CATEGORY_OF_SET[set as SetId]);
    for (const name of Object.keys(names).sort()) {
      check(ingredients[name] === undefined, `ingredient ${name} is listed under two sets`);
      ingredients[name] = [setIndex, category];
    }
  }

  const dualUseIngredients = dualUseIngredientNames(files, ingredients, categories, dualOf);

  const data: ShippedTerminology = {
    format: 'sprout-terminology/1',
    generatedBy: 'npm run terminology:generate (scripts/generate-terminology.ts) from ../shared/terminology; do not edit',
    sets: TERMINOLOGY_SETS.map((id) => ({ id, law: (files.get(id) as TerminologyFile).ca_law })),
    categories,
    sources,
    dualUse,
    codes,
    ingredients,
    dualUseIngredients,
  };
  return { data, json: `${serialize(data)}\n`, notice: noticeFor(data) };
}

/** Salt and ester words RxNorm appends to an ingredient ("methylphenidate hydrochloride"): the base name is kept. */
const SALTS = new Set([
  'hydrochloride', 'hcl', 'hydrobromide', 'sulfate', 'bitartrate', 'mesylate', 'dimesylate', 'maleate', 'succinate',
  'pamoate', 'citrate', 'tartrate', 'fumarate', 'besylate', 'sodium', 'potassium', 'acetate', 'phosphate', 'oxalate',
]);
const STRENGTH = /\s\d+(?:\.\d+)?\s(?:MG|MCG|UNT|MEQ)\b/i;

/**
 * The base ingredient of each single-ingredient dual-use RxNorm member: the last word before the first strength, salts
 * removed ("40/60 Release 24 HR Methylphenidate Hydrochloride 15 MG …" → "methylphenidate"). Names already among the
 * non-dual ingredients, or shorter than 5 letters, are left out.
 */
function dualUseIngredientNames(
  files: ReadonlyMap<SetId, TerminologyFile>,
  ingredients: Readonly<Record<string, readonly [number, number]>>,
  categories: readonly string[],
  dualOf: (reason: string | undefined) => number,
): Record<string, [number, number, number]> {
  const found: Record<string, [number, number, number]> = {};
  TERMINOLOGY_SETS.forEach((set, setIndex) => {
    for (const entry of (files.get(set) as TerminologyFile).codes) {
      if (!entry.dual_use || !entry.system.includes('rxnorm') || !entry.display) continue;
      if (entry.display.includes(' / ') || entry.display.startsWith('{')) continue;
      const strength = STRENGTH.exec(entry.display);
      if (!strength) continue;
      const words = entry.display.slice(0, strength.index).toLowerCase().split(/\s+/);
      while (words.length > 0 && SALTS.has(words[words.length - 1] as string)) words.pop();
      const name = words[words.length - 1] ?? '';
      if (!/^[a-z][a-z0-9-]{4,}$/.test(name) || ingredients[name] !== undefined || found[name] !== undefined) continue;
      found[name] = [setIndex, categories.indexOf(categoryOf(set, entry)), dualOf(entry.dual_use)];
    }
  });
  return Object.fromEntries(Object.keys(found).sort().map((name) => [name, found[name] as [number, number, number]]));
}

/** One line per system and per code family keeps the file diffable without spending a line per code. */
function serialize(data: ShippedTerminology): string {
  const { codes, ...rest } = data;
  const head = JSON.stringify(rest, null, 1);
  const systems = Object.keys(codes).sort();
  const body = systems
    .map((system) => {
      const entries = codes[system] ?? {};
      const keys = Object.keys(entries).sort();
      const lines = keys.map((code) => `  ${JSON.stringify(code)}: ${JSON.stringify(entries[code])}`);
      return ` ${JSON.stringify(system)}: {\n${lines.join(',\n')}\n }`;
    })
    .join(',\n');
  return `${head.slice(0, -2)},\n "codes": {\n${body}\n }\n}`;
}

function noticeFor(data: ShippedTerminology): string {
  const lines: string[] = [];
  lines.push('# Sources and licences of the shipped terminology');
  lines.push('');
  lines.push('`terminology.json` in this folder is generated by `npm run terminology:generate` from the expanded public value sets');
  lines.push('in `../shared/terminology` (see its README: `extract.py` rebuilds them from the pinned commits below). Do not edit it');
  lines.push('by hand; `test/unit/policy/terminology.test.ts` fails when it differs from what the generator produces.');
  lines.push('');
  lines.push('## Licence caveats');
  lines.push('');
  lines.push('- **LOINC**: This material contains content from LOINC (http://loinc.org). LOINC is copyright © Regenstrief Institute,');
  lines.push('  Inc. and the Logical Observation Identifiers Names and Codes (LOINC) Committee and is available at no cost under the');
  lines.push('  license at http://loinc.org/license. LOINC® is a registered United States trademark of Regenstrief Institute, Inc.');
  lines.push('- **SNOMED CT**: free to use in the United States under the UMLS Metathesaurus licence / SNOMED CT Affiliate licence.');
  lines.push('  Only codes are shipped here (no SNOMED CT descriptions), but whoever *uses* SNOMED CT codes needs a (free, US) UMLS');
  lines.push('  licence. Check this before publishing the data outside the project.');
  lines.push('- **RxNorm** (NLM) and **ICD-10-CM** (CDC/NCHS, US public domain): free.');
  lines.push('- **CPT and HCPCS** members of the source value sets were removed (AMA/CMS licences); ICD-9-CM, ICD-10-PCS and CVX were');
  lines.push('  not extracted.');
  lines.push('- **SHIFT Task Force** SLS value sets are CC-BY-4.0: codes marked with a SHIFT source below are adapted from');
  lines.push('  "SLS-ValueSets" by the SHIFT Task Force (https://github.com/SHIFT-Task-Force/SLS-ValueSets), licensed under CC BY 4.0.');
  lines.push('- **Synthea** modules are Apache-2.0 (The MITRE Corporation); codes only are used.');
  lines.push('- **cqframework eCQM content** repositories are CC0-1.0 (ecqm-content-r4 has no LICENSE file; its VSAC expansions');
  lines.push('  are public eCQM value sets). Value-set expansions are VSAC content and carry the code-system licences above.');
  lines.push('');
  lines.push('## Sets and the category each maps to');
  lines.push('');
  lines.push('| set | Sprout category | law |');
  lines.push('|---|---|---|');
  for (const set of data.sets) {
    const id = set.id as SetId;
    const category = id === 'sexual-assault' ? 'sexual-assault (codes naming sexual abuse/rape), else intimate-partner-violence' : CATEGORY_OF_SET[id];
    lines.push(`| ${set.id} | ${category} | ${set.law.replaceAll('|', '/')} |`);
  }
  lines.push('');
  lines.push('`sexual-activity` contributes only codes no other set carries (the other sets decide their own codes).');
  lines.push('');
  lines.push('## Every source');
  lines.push('');
  lines.push('| # | repository | commit | path | value set | title | version | licence |');
  lines.push('|---|---|---|---|---|---|---|---|');
  data.sources.forEach((s, index) => {
    const cells = [String(index), s.repo, s.commit, s.path, s.valueSet ?? '—', s.title, s.version ?? '—', s.license];
    lines.push(`| ${cells.map((c) => c.replaceAll('|', '/').replaceAll('\n', ' ')).join(' | ')} |`);
  });
  lines.push('');
  return lines.join('\n');
}
