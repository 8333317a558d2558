/**
 * Issue 10, finding 4: with 60-second access tokens a fixed 60 s refresh skew refreshed before every FHIR call. The
 * skew is now a tenth of the token's lifetime, bounded to [5 s, 60 s]; concurrent requests still refresh once.
 */
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { MAX_REFRESH_SKEW_MS, MIN_REFRESH_SKEW_MS, refreshSkewMs } from '../../../gateway/src/smart/access-token.ts';
import { closeSharedStore, createHarness, signIn, type Harness } from './support/harness.ts';

let h: Harness;
beforeEach(async () => {
  h = await createHarness();
  h.ehr.resources.set('Patient/p1', { resourceType: 'Patient', id: 'p1' });
});
afterAll(closeSharedStore);

describe('refreshSkewMs', () => {
  it.each([
    [60_000, 6_000],
    [3_600_000, MAX_REFRESH_SKEW_MS],
    [600_000, 60_000],
    [300_000, 30_000],
    [20_000, MIN_REFRESH_SKEW_MS],
    [0, MIN_REFRESH_SKEW_MS],
    [-5, MIN_REFRESH_SKEW_MS],
    [Number.NaN, MIN_REFRESH_SKEW_MS],
  ])('a token living %i ms is refreshed %i ms before it expires', (lifetime, skew) => {
    expect(refreshSkewMs(lifetime)).toBe(skew);
  });
});

describe('60-second access tokens', () => {
  it('are used for their life: no refresh before every call, one refresh once inside the skew', async () => {
    h.ehr.accessTokenLifetimeSeconds = 60;
    const browser = h.browser();
    await signIn(h, browser);
    for (let second = 0; second < 50; second += 10) {
      expect((await browser.request('/fhir/Patient/p1')).status).toBe(200);
      h.clock.advance(10_000);
    }
    expect(h.ehr.refreshCalls).toBe(0);
    h.clock.advance(5_000); // 55 s after issue: inside the 6 s skew
    expect((await browser.request('/fhir/Patient/p1')).status).toBe(200);
    expect(h.ehr.refreshCalls).toBe(1);
    expect((await browser.request('/fhir/Patient/p1')).status).toBe(200);
    expect(h.ehr.refreshCalls).toBe(1);
  });

  it('concurrent requests inside the skew spend the refresh token once', async () => {
    h.ehr.accessTokenLifetimeSeconds = 60;
    const browser = h.browser();
    await signIn(h, browser);
    h.clock.advance(57_000);
    const results = await Promise.all(Array.from({ length: 6 }, () => browser.request('/fhir/Patient/p1')));
    expect(results.map((r) => r.status)).toEqual(Array(6).fill(200));
    expect(h.ehr.refreshCalls).toBe(1);
  });

  it('hour-long tokens are still refreshed a minute early', async () => {
    const browser = h.browser();
    await signIn(h, browser);
    for (let minute = 10; minute <= 50; minute += 10) {
      h.clock.advance(600_000); // requests every ten minutes keep the session from idling out
      expect((await browser.request('/fhir/Patient/p1')).status).toBe(200);
    }
    h.clock.advance(600_000 - MAX_REFRESH_SKEW_MS - 1_000); // 58:59 after issue
    expect((await browser.request('/fhir/Patient/p1')).status).toBe(200);
    expect(h.ehr.refreshCalls).toBe(0);
    h.clock.advance(2_000);
    expect((await browser.request('/fhir/Patient/p1')).status).toBe(200);
    expect(h.ehr.refreshCalls).toBe(1);
  });
});
