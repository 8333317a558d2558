import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { potassiumTrend } from './fixtures.ts';
import { seriousAxeViolations, startHarness, type HarnessSession } from './harness-server.ts';

let harness: HarnessSession;
beforeAll(async () => {
  harness = await startHarness(resolve(import.meta.dirname, 'harness'));
});
afterAll(async () => {
  await harness?.close();
});

describe('<sprout-trend-chart>', () => {
  it('draws an SVG image named and described in words, with the normal range as a band', async () => {
    const page = await harness.newPage();
    await page.evaluate((series) => window.harness.mount('sprout-trend-chart', { series }), potassiumTrend);
    const image = page.getByRole('img', { name: /Potassium over time/ });
    await expect(image.count()).resolves.toBe(1);
    const description = await page.locator('sprout-trend-chart desc').textContent();
    expect(description).toContain('3 results from Jan 10, 2024 to Mar 3, 2025.');
    expect(description).toContain('Latest: 5.9 mmol/L (High).');
    expect(description).toContain('Normal range: 3.5 mmol/L – 5 mmol/L.');
    await expect(page.locator('sprout-trend-chart svg .band').count()).resolves.toBe(1);
    await expect(page.locator('sprout-trend-chart svg circle').count()).resolves.toBe(3);
    // The flagged point is drawn differently (filled, larger), not only in another colour.
    await expect(page.locator('sprout-trend-chart svg circle.flagged').getAttribute('r')).resolves.toBe('6');
    // The line runs left to right through the points in time order.
    const path = await page.locator('sprout-trend-chart svg path.line').getAttribute('d');
    expect(path).toMatch(/^M[\d.]+ [\d.]+ L[\d.]+ [\d.]+ L[\d.]+ [\d.]+$/);
    await page.close();
  });

  it('offers the same numbers as a table, opened from the keyboard', async () => {
    const page = await harness.newPage();
    await page.evaluate((series) => window.harness.mount('sprout-trend-chart', { series }), potassiumTrend);
    const summary = page.locator('sprout-trend-chart summary');
    await summary.focus();
    await page.keyboard.press('Enter');
    const rows = page.locator('sprout-trend-chart tbody tr');
    await expect(rows.count()).resolves.toBe(3);
    await expect(rows.nth(2).innerText()).resolves.toMatch(/Mar 3, 2025\s+5\.9 mmol\/L\s+High/);
    await expect(rows.nth(0).innerText()).resolves.not.toContain('High');
    await page.close();
  });

  it('has no serious accessibility violations (table open), and fits a 360 px screen', async () => {
    const page = await harness.newPage({ width: 360 });
    await page.evaluate((series) => window.harness.mount('sprout-trend-chart', { series }), potassiumTrend);
    await page.locator('sprout-trend-chart summary').click();
    await expect(seriousAxeViolations(page)).resolves.toEqual([]);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.close();
  });

  it('keeps its axis labels readable on a 360 px phone (drawn at its own width, not shrunk)', async () => {
    const page = await harness.newPage({ width: 360 });
    await page.evaluate((series) => window.harness.mount('sprout-trend-chart', { series }), potassiumTrend);
    // Let a resize observer (if any) run and the element re-render: two animation frames, then the update.
    await page.evaluate(async () => {
      for (let i = 0; i < 2; i++) await new Promise((resolveFrame) => requestAnimationFrame(() => resolveFrame(undefined)));
      await (document.querySelector('sprout-trend-chart') as HTMLElement & { updateComplete: Promise<boolean> }).updateComplete;
    });
    const heights = await page.locator('sprout-trend-chart svg text.axis-label').evaluateAll((labels) =>
      labels.map((label) => label.getBoundingClientRect().height),
    );
    expect(heights.length).toBeGreaterThan(2);
    for (const height of heights) expect(height).toBeGreaterThanOrEqual(11);
    await page.close();
  });
});

