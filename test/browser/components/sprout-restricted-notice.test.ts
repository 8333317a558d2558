import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allowListedAccess, availableActions, inactiveAccess, noAccess } from './fixtures.ts';
import { seriousAxeViolations, startHarness, type HarnessSession } from './harness-server.ts';

/** Words that would hint that particular records are being kept back. None may appear in a notice. */
const HINTS_OF_HIDDEN_ITEMS = /hidden|withheld|removed|confidential|sensitive|mental|sexual|pregnan|contracept|drug|alcohol|\bST[DI]s?\b|\bHIV\b|\d+ (items|records|results)/i;

let harness: HarnessSession;
beforeAll(async () => {
  harness = await startHarness(resolve(import.meta.dirname, 'harness'));
});
afterAll(async () => {
  await harness?.close();
});

describe('<sprout-restricted-notice>', () => {
  it('allow-listed: says what is shown, what still works, whom to call and when it changes', async () => {
    const page = await harness.newPage();
    await page.evaluate(
      ([access, actions]) => window.harness.mount('sprout-restricted-notice', { access, availableActions: actions, patientName: 'Maya', himPhone: '(714) 509-8460' }),
      [allowListedAccess, availableActions] as const,
    );
    const notice = page.locator('sprout-restricted-notice');
    await expect(notice.getByRole('heading', { level: 2 }).innerText()).resolves.toBe("Part of Maya's record is available online");
    const text = await notice.getByTestId('restricted-notice').innerText();
    expect(text).toContain('California law');
    expect(text).toContain('See allergies, immunizations, medications, appointments and documents shared with families');
    expect(text).toContain('Send messages to the care team');
    expect(text).toContain('Request appointments');
    expect(text).not.toContain('prescription renewals');
    expect(text).toContain('Online access ends on May 4, 2031.');
    await expect(notice.getByRole('link', { name: '(714) 509-8460' }).getAttribute('href')).resolves.toBe('tel:7145098460');
    expect(text).not.toMatch(HINTS_OF_HIDDEN_ITEMS);
    await expect(seriousAxeViolations(page)).resolves.toEqual([]);
    await page.close();
  });

  it('none: explains the law without listing record sections, and offers paper copies', async () => {
    const page = await harness.newPage({ width: 360 });
    await page.evaluate(
      ([access, actions]) => window.harness.mount('sprout-restricted-notice', { access, availableActions: actions, patientName: 'Maya', himPhone: '(714) 509-8460' }),
      [noAccess, availableActions] as const,
    );
    const notice = page.locator('sprout-restricted-notice');
    await expect(notice.getAttribute('level')).resolves.toBe('none');
    await expect(notice.getByRole('heading', { level: 2 }).innerText()).resolves.toBe("Maya's record isn't available online");
    const text = await notice.getByTestId('restricted-notice').innerText();
    expect(text).toContain('California law');
    expect(text).not.toContain('allergies');
    expect(text).toContain('See and pay the balance due');
    expect(text).toContain('Health Information Management');
    // Every phone number in the notice is tap-to-call, the one inside the explanation's sentence too.
    const numbers = text.match(/\(714\) 509-8460/g)?.length ?? 0;
    expect(numbers).toBeGreaterThan(0);
    const calls = await notice.getByRole('link', { name: '(714) 509-8460' }).evaluateAll((links) => links.map((link) => link.getAttribute('href')));
    expect(calls).toEqual(Array.from({ length: numbers }, () => 'tel:7145098460'));
    // Access is already "none" and stays so at 18: the notice says what changes, never that access "ends".
    expect(text).toContain('Maya turns 18 and can have their own account');
    expect(text).not.toContain('Online access ends');
    expect(text).not.toMatch(HINTS_OF_HIDDEN_ITEMS);
    await expect(seriousAxeViolations(page)).resolves.toEqual([]);
    await page.close();
  });

  it('none for an unknown reason: the neutral sentence, never the rule that applied', async () => {
    const page = await harness.newPage();
    await page.evaluate((access) => window.harness.mount('sprout-restricted-notice', { access, patientName: 'Maya' }), inactiveAccess);
    const text = await page.getByTestId('restricted-notice').innerText();
    expect(text).toContain("Your access to this record isn't active.");
    expect(text).not.toMatch(/court|revoked|12 or older|California/i);
    expect(text).toContain('Nothing else is available online for this record at the moment.');
    expect(text).not.toMatch(HINTS_OF_HIDDEN_ITEMS);
    await page.close();
  });

  it('renders nothing for full access', async () => {
    const page = await harness.newPage();
    await page.evaluate(
      (access) => window.harness.mount('sprout-restricted-notice', { access: { ...access, level: 'full' }, patientName: 'Maya' }),
      allowListedAccess,
    );
    await expect(page.getByTestId('restricted-notice').count()).resolves.toBe(0);
    await page.close();
  });
});
