import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type HarnessSession } from './harness-server.ts';

let harness: HarnessSession;
beforeAll(async () => {
  harness = await startHarness(resolve(import.meta.dirname, 'harness'));
});
afterAll(async () => {
  await harness?.close();
});

describe('sanitizeNarrative (DOMPurify before unsafeHTML)', () => {
  it('keeps the text and tables of a narrative, drops scripts, handlers, styles, images and unsafe links', async () => {
    const page = await harness.newPage();
    const hostile =
      '<div xmlns="http://www.w3.org/1999/xhtml"><p style="color:red" onclick="alert(1)">Seen for <b>fever</b></p>' +
      '<script>alert(1)</script><img src="https://tracker.example/x.png" onerror="alert(2)"/>' +
      '<table><tr><td>Temp</td><td>38.5</td></tr></table>' +
      '<a href="javascript:alert(3)">bad</a><a href="https://example.org/info">info</a><iframe src="https://evil.example"></iframe></div>';
    const clean = await page.evaluate((html) => window.harness.sanitize(html), hostile);
    expect(clean).toContain('Seen for <b>fever</b>');
    expect(clean).toContain('<td>38.5</td>');
    expect(clean).not.toMatch(/script|onclick|onerror|style=|<img|<iframe|javascript:/i);
    expect(clean).toContain('href="https://example.org/info"');
    expect(clean).toContain('rel="noopener noreferrer"');
    await expect(page.evaluate(() => window.harness.sanitize(undefined))).resolves.toBe('');
    await page.close();
  });
});
