/**
 * The Spanish catalogue: every msg() id in the shell and dashboard has a Spanish template, with the same
 * number of placeholders, and no id is defined by two area files.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { duplicateIds, templates } from '../../../app/src/locales/es.ts';

const APP_SRC = resolve(import.meta.dirname, '../../../app/src');
const SHELL_AREAS = ['shell', 'dashboard', 'api', 'i18n'];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

/** [id, number of ${…} placeholders in the English] for every msg() call with an explicit id. */
function messagesIn(files: readonly string[]): Array<[string, number]> {
  const found: Array<[string, number]> = [];
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(/msg\(\s*(str`[^`]*`|'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")\s*,\s*\{[^}]*?\bid:\s*'([^']+)'/g)) {
      const english = match[1] ?? '';
      found.push([match[2] ?? '', (english.match(/\$\{/g) ?? []).length]);
    }
  }
  return found;
}

describe('Spanish templates', () => {
  const messages = messagesIn(SHELL_AREAS.flatMap((area) => sourceFiles(join(APP_SRC, area))));

  it('finds the shell messages (the scan itself works)', () => {
    expect(messages.length).toBeGreaterThan(60);
    expect(messages.map(([id]) => id)).toContain('access.guardian.teen-no-online-access');
  });

  it('has a Spanish template with the same placeholders for every shell and dashboard message', () => {
    const missing: string[] = [];
    const mismatched: string[] = [];
    for (const [id, placeholders] of messages) {
      const spanish = templates[id];
      if (spanish === undefined) {
        missing.push(id);
        continue;
      }
      const spanishPlaceholders = typeof spanish === 'string' ? 0 : 'strTag' in spanish ? spanish.values.length : -1;
      if (spanishPlaceholders !== placeholders) mismatched.push(`${id}: ${placeholders} in English, ${spanishPlaceholders} in Spanish`);
    }
    expect(missing).toEqual([]);
    expect(mismatched).toEqual([]);
  });

  it('defines no id in two area files', () => {
    expect(duplicateIds).toEqual([]);
  });
});
