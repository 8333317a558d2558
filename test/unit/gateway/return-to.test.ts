/**
 * Issue 9 finding 1: no open redirect after sign-in. Every variant goes through the real flow (/login → fake EHR →
 * /callback) and the test reads the final `location` of /callback. The URL-parser tricks ("/.//evil", "/a/..//evil",
 * "/%2e//evil") ended at `//evil.example/x` before the fix.
 */
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { isAppLandingPath, safeReturnTo } from '../../../gateway/src/smart/return-to.ts';
import { matchRoute } from '../../../app/src/shell/router.ts';
import { closeSharedStore, createHarness, PORTAL, type Harness } from './support/harness.ts';

let h: Harness;
beforeEach(async () => {
  h = await createHarness();
});
afterAll(closeSharedStore);

async function landingAfterSignIn(returnTo: string): Promise<string | null> {
  const browser = h.browser();
  const login = await browser.request(`/login?returnTo=${encodeURIComponent(returnTo)}`);
  expect(login.status).toBe(302);
  const res = await browser.request(h.ehr.approve(login.headers.get('location') ?? ''));
  expect(res.status).toBe(303);
  return res.headers.get('location');
}

/** [returnTo as the attacker sends it, where /callback must send the browser] */
const TABLE: ReadonlyArray<readonly [string, string]> = [
  // Parser tricks: dot segments collapse into a protocol-relative URL.
  ['/.//evil.example/x', '/'],
  ['/a/..//evil.example', '/'],
  ['/%2e//evil.example', '/'],
  ['/%2E%2E//evil.example', '/'],
  ['/patient/p1/..//evil.example', '/'],
  ['/./evil', '/'],
  // Encoded separators and backslashes.
  ['/%2fevil.example', '/'],
  ['/%5cevil.example', '/'],
  ['/\\evil.example', '/'],
  ['/\t/evil.example', '/'],
  ['/\u0085/evil.example', '/'],
  // Other origins and schemes.
  ['//evil.example/x', '/'],
  ['https://evil.example/', '/'],
  ['https://portal.example.org/patient/p1', '/'],
  ['javascript:alert(1)', '/'],
  ['/%0d%0aSet-Cookie:x', '/'],
  // Same origin but not an app page.
  ['/api/session', '/'],
  ['/logout', '/'],
  ['/fhir/Patient/p1', '/'],
  ['/patient/..', '/'],
  ['/patient/p1/a/b', '/'],
  ['/x'.repeat(600), '/'],
  // Accepted: the app's own landing pages, with their query and fragment.
  ['/', '/'],
  ['/patient/p1', '/patient/p1'],
  ['/patient/p1/results?code=718-7#top', '/patient/p1/results?code=718-7#top'],
];

describe('returnTo after sign-in (final location of /callback)', () => {
  it.each(TABLE)('returnTo=%j lands on %j', async (returnTo, expected) => {
    const location = await landingAfterSignIn(returnTo);
    expect(location).toBe(expected);
    expect(new URL(location ?? '', PORTAL).origin).toBe(PORTAL);
  });
});

describe('safeReturnTo', () => {
  it('accepts only paths the app router shows as a page', () => {
    for (const [raw] of TABLE) {
      const accepted = safeReturnTo(raw, PORTAL);
      if (accepted === undefined) continue;
      const path = new URL(accepted, PORTAL).pathname;
      expect(matchRoute(path).name, raw).not.toBe('not-found');
      expect(isAppLandingPath(path)).toBe(true);
    }
  });

  it('refuses the signed-out page and unknown paths the router would show as not found', () => {
    expect(safeReturnTo('/signed-out', PORTAL)).toBeUndefined();
    expect(safeReturnTo('/patients/p1', PORTAL)).toBeUndefined();
    expect(matchRoute('/patients/p1').name).toBe('not-found');
  });
});
