/** The SMART client's hostile cases (design/smart.md checklist): iss allow-list, discovery origins, state, callback errors. */
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { closeSharedStore, createHarness, PORTAL, signIn, type Harness } from './support/harness.ts';
import { EHR_BASE, EHR_ORIGIN } from './support/fake-ehr.ts';

let h: Harness;
beforeEach(async () => {
  h = await createHarness();
});
afterEach(async () => {
  await h.close();
});
afterAll(closeSharedStore);

describe('EHR launch: iss allow-list before any network call', () => {
  const hostile = [
    'https://evil.example.org/fhir/R4',
    'https://ehr.example.org.evil.example/fhir/R4',
    'https://evil.ehr.example.org/fhir/R4',
    'http://ehr.example.org/fhir/R4',
    'https://ehr.example.org:8443/fhir/R4',
    'https://ehr.example.org/fhir/R4/../../other',
    'https://ehr.example.org/fhir/R4x',
    'https://ehr.example.org/fhir/R4/Patient',
    'https://ehr.example.org/fhir',
    'https://ehr.example.org@evil.example/fhir/R4',
    'https://user:pw@ehr.example.org/fhir/R4',
    'https://ehr.example.org/fhir/R4?x=https://ehr.example.org/fhir/R4',
    'https://ehr.example.org/fhir/R4#frag',
    'https://ehr.example.org/fhir/%52%34',
    'https://ehr.example.org\\@evil.example/fhir/R4',
    ' https://ehr.example.org/fhir/R4',
    'https://ehr.example.org/fhir/R4\n',
    '//ehr.example.org/fhir/R4',
    'javascript:alert(1)',
    'https://xn--hr-yia.example.org/fhir/R4',
    '',
  ];
  it.each(hostile)('refuses iss %j with 4xx and zero requests', async (iss) => {
    const browser = h.browser();
    const res = await browser.request(`/launch?iss=${encodeURIComponent(iss)}&launch=abc`);
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(h.ehr.requests).toHaveLength(0);
    expect(res.headers.get('location')).toBeNull();
  });

  it('refuses a launch without iss', async () => {
    const res = await h.browser().request('/launch?launch=abc');
    expect(res.status).toBe(400);
    expect(h.ehr.requests).toHaveLength(0);
  });

  it('an EHR launch lands on the launched patient; a malformed patient id lands on the dashboard', async () => {
    for (const [patient, landing] of [
      ['child-1', '/patient/child-1'],
      ['../../logout?x=1', '/'],
    ] as const) {
      const browser = h.browser();
      const launch = await browser.request(`/launch?iss=${encodeURIComponent(EHR_BASE)}&launch=abc`);
      const res = await browser.request(h.ehr.approve(launch.headers.get('location') ?? '', { patient }));
      expect(res.status).toBe(303);
      expect(res.headers.get('location')).toBe(landing);
    }
  });

  it('accepts the allowed iss (trailing slash tolerated), echoes launch, adds scope launch, aud = iss, PKCE S256', async () => {
    const res = await h.browser().request(`/launch?iss=${encodeURIComponent(`${EHR_BASE}/`)}&launch=xyz-123`);
    expect(res.status).toBe(302);
    const location = new URL(res.headers.get('location') ?? '');
    expect(`${location.origin}${location.pathname}`).toBe(`${EHR_ORIGIN}/oidc/authorize`);
    const p = location.searchParams;
    expect(p.get('launch')).toBe('xyz-123');
    expect(p.get('scope')?.split(' ')).toContain('launch');
    expect(p.get('aud')).toBe(EHR_BASE);
    expect(p.get('code_challenge_method')).toBe('S256');
    expect(p.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(p.get('redirect_uri')).toBe(`${PORTAL}/callback`);
    // ≥ 122 bits of state: 32 random bytes in base64url are 43 characters.
    expect((p.get('state') ?? '').length).toBeGreaterThanOrEqual(43);
    expect(h.ehr.requests.map((r) => r.url)).toEqual([`${EHR_BASE}/.well-known/smart-configuration`]);
  });

  it('uses a fresh state every time', async () => {
    const states = new Set<string>();
    for (let i = 0; i < 5; i++) {
      const res = await h.browser().request('/login');
      states.add(new URL(res.headers.get('location') ?? '').searchParams.get('state') ?? '');
    }
    expect(states.size).toBe(5);
  });
});

describe('discovery', () => {
  it.each([
    ['authorization_endpoint', 'https://evil.example/authorize'],
    ['token_endpoint', 'https://evil.example/token'],
    ['token_endpoint', '//evil.example/token'],
    ['jwks_uri', 'http://ehr.example.org/oidc/jwks'],
    ['revocation_endpoint', 'https://ehr.example.org.evil.example/revoke'],
  ])('refuses %s on a foreign origin (%s) and sends nothing there', async (field, value) => {
    const hostile = await createHarness({ ehr: { smartConfiguration: (d) => ({ ...d, [field]: value }) } });
    try {
      const res = await hostile.browser().request('/login');
      expect(res.status).toBe(502);
      expect(res.headers.get('location')).toBeNull();
      expect(hostile.ehr.requests.every((r) => r.url.startsWith(EHR_ORIGIN))).toBe(true);
    } finally {
      await hostile.close();
    }
  });

  it('uses PKCE S256 even when discovery does not advertise it', async () => {
    const quiet = await createHarness({
      ehr: {
        smartConfiguration: (d) => {
          const { code_challenge_methods_supported: _unused, ...rest } = d;
          return rest;
        },
      },
    });
    try {
      const res = await quiet.browser().request('/login');
      expect(new URL(res.headers.get('location') ?? '').searchParams.get('code_challenge_method')).toBe('S256');
    } finally {
      await quiet.close();
    }
  });

  it('resolves a relative token_endpoint against the base origin', async () => {
    const browser = h.browser();
    const res = await signIn(h, browser);
    expect(res.status).toBe(303);
    expect(h.ehr.requestsTo(`${EHR_ORIGIN}/oidc/token`)).toHaveLength(1);
  });
});

describe('state', () => {
  it('refuses an unknown state', async () => {
    const browser = h.browser();
    const login = await browser.request('/login');
    const callback = new URL(h.ehr.approve(login.headers.get('location') ?? ''));
    callback.searchParams.set('state', 'A'.repeat(43));
    const res = await browser.request(callback.href);
    expect(res.status).toBe(400);
    expect(h.ehr.requestsTo(`${EHR_ORIGIN}/oidc/token`)).toHaveLength(0);
  });

  it('refuses a replayed callback (state is single use)', async () => {
    const browser = h.browser();
    const login = await browser.request('/login');
    const callback = h.ehr.approve(login.headers.get('location') ?? '');
    const preAuthCookies = new Map(browser.cookies);
    expect((await browser.request(callback)).status).toBe(303);
    // Replay with the original pre-auth cookie restored.
    for (const [k, v] of preAuthCookies) browser.cookies.set(k, v);
    const replay = await browser.request(callback);
    expect(replay.status).toBe(400);
    expect(h.ehr.requestsTo(`${EHR_ORIGIN}/oidc/token`)).toHaveLength(1);
  });

  it('refuses a state that belongs to another browser session', async () => {
    const victim = h.browser();
    const attacker = h.browser();
    await attacker.request('/login'); // the attacker's browser has its own pending sign-in
    const login = await victim.request('/login');
    const callback = h.ehr.approve(login.headers.get('location') ?? '');
    const res = await attacker.request(callback);
    expect(res.status).toBe(400);
    expect(h.ehr.requestsTo(`${EHR_ORIGIN}/oidc/token`)).toHaveLength(0);
    // And the state was not spent by the foreign attempt: the rightful browser still completes.
    expect((await victim.request(callback)).status).toBe(303);
  });

  it('refuses a callback without the pre-auth cookie', async () => {
    const browser = h.browser();
    const login = await browser.request('/login');
    const callback = h.ehr.approve(login.headers.get('location') ?? '');
    const res = await h.browser().request(callback);
    expect(res.status).toBe(400);
  });

  it('refuses an expired state', async () => {
    const browser = h.browser();
    const login = await browser.request('/login');
    const callback = h.ehr.approve(login.headers.get('location') ?? '');
    h.clock.advance(11 * 60 * 1000);
    expect((await browser.request(callback)).status).toBe(400);
    expect(h.ehr.requestsTo(`${EHR_ORIGIN}/oidc/token`)).toHaveLength(0);
  });
});

describe('callback errors', () => {
  it('renders error_description escaped', async () => {
    const browser = h.browser();
    const login = await browser.request('/login');
    const state = new URL(login.headers.get('location') ?? '').searchParams.get('state') ?? '';
    const payload = '<script>alert("x")</script><img src=x onerror=alert(1)>';
    const res = await browser.request(`/callback?state=${state}&error=access_denied&error_description=${encodeURIComponent(payload)}`);
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    const html = await res.text();
    expect(html).not.toContain('<script>alert');
    expect(html).not.toContain('<img');
    expect(html).toContain('&#60;script&#62;alert(&#34;x&#34;)');
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    // Before the app exists there is no language choice: the page says it in English and in Spanish.
    expect(html).toContain('<section lang="en">');
    expect(html).toContain('The sign-in was cancelled or refused.');
    expect(html).toContain('<section lang="es">');
    expect(html).toContain('Se canceló o se rechazó el inicio de sesión.');
  });

  it('does not reflect error text without a valid state', async () => {
    const res = await h.browser().request('/callback?state=nope&error=access_denied&error_description=Call%20555-0100%20now');
    expect(res.status).toBe(400);
    expect(await res.text()).not.toContain('555-0100');
  });
});

describe('returnTo: no open redirect', () => {
  it.each(['https://evil.example/', '//evil.example/x', '/\\evil.example', 'javascript:alert(1)', '/%0d%0aSet-Cookie:x'])(
    'ignores returnTo=%j and lands on /',
    async (returnTo) => {
      const browser = h.browser();
      const login = await browser.request(`/login?returnTo=${encodeURIComponent(returnTo)}`);
      const res = await browser.request(h.ehr.approve(login.headers.get('location') ?? ''));
      expect(res.status).toBe(303);
      const location = res.headers.get('location') ?? '';
      expect(location.startsWith('/')).toBe(true);
      expect(location.startsWith('//')).toBe(false);
      expect(new URL(location, PORTAL).origin).toBe(PORTAL);
    },
  );

  it('honours a same-origin returnTo', async () => {
    const browser = h.browser();
    const login = await browser.request('/login?returnTo=%2Fpatient%2Fp1%2Fallergies%3Ftab%3D1');
    const res = await browser.request(h.ehr.approve(login.headers.get('location') ?? ''));
    expect(res.headers.get('location')).toBe('/patient/p1/allergies?tab=1');
  });
});
