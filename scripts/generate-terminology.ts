/**
 * npm run terminology:generate [-- --from <dir>]
 *
 * Reads the expanded public value sets in ../shared/terminology (or --from) and writes the compact data the gateway
 * ships: gateway/src/policy/terminology/terminology.json and its notice SOURCES.md (every source and licence).
 * Commit both; test/unit/policy/terminology.test.ts checks they match what this script produces.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { buildTerminology } from './terminology-build.ts';

const ROOT = resolve(import.meta.dirname, '..');
export const SHIPPED_TERMINOLOGY_DIR = join(ROOT, 'gateway/src/policy/terminology');

const { values } = parseArgs({ options: { from: { type: 'string' } }, strict: true });
const from = resolve(values.from ?? join(ROOT, '../shared/terminology'));

try {
  const { json, notice, data } = buildTerminology(from);
  mkdirSync(SHIPPED_TERMINOLOGY_DIR, { recursive: true });
  writeFileSync(join(SHIPPED_TERMINOLOGY_DIR, 'terminology.json'), json);
  writeFileSync(join(SHIPPED_TERMINOLOGY_DIR, 'SOURCES.md'), notice);
  const codeCount = Object.values(data.codes).reduce((sum, bySystem) => sum + Object.keys(bySystem).length, 0);
  process.stdout.write(
    `terminology: ${codeCount} codes in ${Object.keys(data.codes).length} systems, ${Object.keys(data.ingredients).length} ingredient names, ` +
      `${data.sources.length} sources → ${SHIPPED_TERMINOLOGY_DIR} (${Math.round(json.length / 1024)} KiB)\n`,
  );
} catch (error) {
  process.stderr.write(`terminology:generate failed reading ${from}: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
