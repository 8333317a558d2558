/**
 * The Spanish UI of the restricted notice and the result table shows no English, and every record.* / banner.*
 * id used in the record views has a Spanish template.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allowListedAccess, glucoseCriticalLow, noAccess, potassiumHigh, sodiumNormal } from './fixtures.ts';
import { startHarness, type HarnessSession } from './harness-server.ts';

const APP = resolve(import.meta.dirname, '../../../app/src');

/** English words that would give away an untranslated string on these views (not shared with Spanish). */
const ENGLISH = /\b(the|and|of|is|isn't|your|record|online|available|call|what|still|can|see|send|request|high|low|critically|test|result|normal range|flag|paper|copies|messages|appointments|balance|ends|part)\b/i;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sourceFiles(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : [],
  );
}

let harness: HarnessSession;
beforeAll(async () => {
  harness = await startHarness(resolve(import.meta.dirname, 'harness'));
});
afterAll(async () => {
  await harness?.close();
});

describe('Spanish record views', () => {
  it('has a Spanish template for every record.* and banner.* id the views use', () => {
    const used = new Set(
      [...sourceFiles(join(APP, 'record')), ...sourceFiles(join(APP, 'components'))].flatMap((file) =>
        [...readFileSync(file, 'utf8').matchAll(/id: '((?:record|banner)\.[a-z0-9-]+)'/g)].map((match) => match[1] ?? ''),
      ),
    );
    const spanish = readFileSync(join(APP, 'locales/es/record.ts'), 'utf8');
    const translated = new Set([...spanish.matchAll(/^\s*'((?:record|banner)\.[a-z0-9-]+)':/gm)].map((match) => match[1] ?? ''));
    expect(used.size).toBeGreaterThan(100);
    expect([...used].filter((id) => !translated.has(id))).toEqual([]);
  });

  it('restricted notice (allow-listed and none) and result table: no English left', async () => {
    const page = await harness.newPage();
    await page.evaluate(() => window.harness.switchLocale('es'));
    const texts: string[] = [];
    for (const access of [allowListedAccess, noAccess]) {
      await page.evaluate(
        (value) => window.harness.mount('sprout-restricted-notice', { access: value, patientName: 'Maya', himPhone: '(714) 509-8460' }),
        access,
      );
      texts.push(await page.getByTestId('restricted-notice').innerText());
    }
    await page.evaluate(
      (results) => window.harness.mount('sprout-result-table', { results, trendCodes: ['2823-3'] }),
      [potassiumHigh, glucoseCriticalLow, sodiumNormal],
    );
    texts.push(await page.locator('sprout-result-table table').innerText());
    texts.push((await page.locator('sprout-result-table .wide button').getAttribute('aria-label')) ?? '');
    // The phone-width cards, with the formal name opened.
    await page.setViewportSize({ width: 360, height: 800 });
    await page.locator('sprout-result-table .cards summary').first().click();
    texts.push((await page.locator('sprout-result-table .cards').innerText()).replace(/Potassium|Glucose|Sodium/g, ''));
    // Data from the record (test names, units, the child's name, the phone) is not UI text.
    const uiText = texts.join('\n').replace(/Potassium|Glucose|Sodium|mmol\/L|Maya|\(714\) 509-8460/g, '');
    expect(uiText).toContain('Críticamente bajo');
    expect(uiText).toContain('Potasio');
    expect(uiText).toContain('Rango normal:');
    expect(uiText).toContain('4 de mayo de 2031');
    expect(uiText.match(ENGLISH)).toBeNull();
    await page.close();
  });
});
