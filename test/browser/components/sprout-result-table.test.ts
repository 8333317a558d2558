import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { glucoseCriticalLow, potassiumHigh, sodiumNormal, whiteCellsHigh } from './fixtures.ts';
import { seriousAxeViolations, startHarness, type HarnessSession } from './harness-server.ts';

let harness: HarnessSession;
beforeAll(async () => {
  harness = await startHarness(resolve(import.meta.dirname, 'harness'));
});
afterAll(async () => {
  await harness?.close();
});

describe('<sprout-result-table>', () => {
  it('writes every abnormal flag out as text with a symbol, not colour alone', async () => {
    const page = await harness.newPage();
    await page.evaluate(
      (results) => window.harness.mount('sprout-result-table', { results, caption: 'Basic metabolic panel', trendCodes: ['2823-3'] }),
      [potassiumHigh, glucoseCriticalLow, sodiumNormal],
    );
    const rows = page.locator('sprout-result-table').getByTestId('result-row');
    await expect(rows.count()).resolves.toBe(3);
    const potassium = rows.nth(0);
    await expect(potassium.locator('td').nth(0).innerText()).resolves.toContain('5.9');
    await expect(potassium.locator('td').nth(0).innerText()).resolves.toContain('mmol/L');
    await expect(potassium.locator('td').nth(1).innerText()).resolves.toMatch(/3\.5\s*–\s*5(\.0)?\s*mmol\/L/);
    const potassiumFlag = await potassium.locator('td').nth(2).innerText();
    expect(potassiumFlag).toContain('High');
    expect(potassiumFlag).toContain('▲');
    const glucoseFlag = await rows.nth(1).locator('td').nth(2).innerText();
    expect(glucoseFlag).toContain('Critically low');
    // A normal result carries no flag words at all.
    await expect(rows.nth(2).locator('td').nth(2).innerText()).resolves.toBe('');
    // The flag's meaning survives without colour: the accessible text of the row names it.
    await expect(page.getByRole('row', { name: /glucose/i }).innerText()).resolves.toContain('Critically low');
    await page.close();
  });

  it('offers "See trend" only for tests that have one, and fires sprout-show-trend', async () => {
    const page = await harness.newPage();
    await page.evaluate(
      (results) => window.harness.mount('sprout-result-table', { results, trendCodes: ['2823-3'] }),
      [potassiumHigh, sodiumNormal],
    );
    const buttons = page.getByRole('button', { name: /See trend/ });
    await expect(buttons.count()).resolves.toBe(1);
    const detail = page.evaluate(
      () =>
        new Promise<unknown>((resolveEvent) =>
          document.addEventListener('sprout-show-trend', (event) => resolveEvent((event as CustomEvent).detail), { once: true }),
        ),
    );
    await buttons.first().focus();
    await page.keyboard.press('Enter');
    await expect(detail).resolves.toEqual({ loinc: '2823-3' });
    await page.close();
  });

  it('has no serious accessibility violations, on a phone-sized screen too', async () => {
    const page = await harness.newPage({ width: 360 });
    await page.evaluate(
      (results) => window.harness.mount('sprout-result-table', { results, caption: 'Basic metabolic panel' }),
      [potassiumHigh, glucoseCriticalLow, sodiumNormal],
    );
    await expect(seriousAxeViolations(page)).resolves.toEqual([]);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.close();
  });

  it('at phone width shows one card per test — plain name, plain unit, value never broken, formal name on demand', async () => {
    const page = await harness.newPage({ width: 360 });
    await page.evaluate(
      (results) => window.harness.mount('sprout-result-table', { results, caption: 'Complete blood count', trendCodes: ['6690-2'] }),
      [whiteCellsHigh, glucoseCriticalLow, sodiumNormal],
    );
    await expect(page.locator('sprout-result-table table').isVisible()).resolves.toBe(false);
    const cards = page.getByTestId('result-card');
    await expect(cards.count()).resolves.toBe(3);
    const wbc = cards.nth(0);
    const text = await wbc.innerText();
    expect(text).toContain('White blood cells');
    expect(text).toContain('16.2 thousand per µL');
    expect(text).toMatch(/Normal range: 4\.5\s*–\s*13\.5 thousand per µL/);
    expect(text).toContain('High');
    expect(text).not.toContain('Leukocytes');
    expect(text).not.toContain('10*3');
    // Every value sits on one line, and each card's name and value are inside the card's width.
    const wrapped = await page.locator('sprout-result-table .result-card .value').evaluateAll((spans) =>
      spans.filter((span) => span.getClientRects().length !== 1).map((span) => span.textContent),
    );
    expect(wrapped).toEqual([]);
    // The formal name is there on demand.
    await wbc.getByText('Formal name').click();
    await expect(wbc.innerText()).resolves.toContain('Leukocytes [#/volume] in Blood by Automated count');
    // "See trend" carries the test's name for screen readers, with no stray visible punctuation.
    const trend = wbc.getByRole('button', { name: 'See trend: White blood cells' });
    await expect(trend.innerText()).resolves.toBe('See trend');
    await expect(seriousAxeViolations(page)).resolves.toEqual([]);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.close();
  });
});
