import { describe, expect, it } from 'vitest';
import { createFetchUpstream } from '../../../gateway/src/fhir/fetch-upstream.ts';
import { UpstreamError } from '../../../gateway/src/fhir/upstream.ts';

const BASE = 'https://ehr.example/fhir/R4';

interface Seen {
  url: string;
  method: string;
  authorization: string | null;
}

function recordingFetch(answer: (url: URL, init: RequestInit | undefined) => Response | Promise<Response>) {
  const seen: Seen[] = [];
  const fetch: typeof globalThis.fetch = async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    seen.push({ url: url.href, method: init?.method ?? 'GET', authorization: new Headers(init?.headers).get('authorization') });
    return answer(url, init);
  };
  return { fetch, seen };
}

function fhir(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/fhir+json' } });
}

function upstreamWith(fetch: typeof globalThis.fetch, overrides: Partial<Parameters<typeof createFetchUpstream>[0]> = {}) {
  return createFetchUpstream({
    baseUrl: BASE,
    getAccessToken: async () => 'secret-token',
    fetch,
    timeoutMs: 200,
    maxBytes: 64 * 1024,
    retries: 2,
    retryBackoffMs: 1,
    ...overrides,
  });
}

async function failureOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof UpstreamError) return error.failure;
    throw error;
  }
  return 'no failure';
}

describe('createFetchUpstream', () => {
  it('sends the token to the base URL and returns the resource', async () => {
    const { fetch, seen } = recordingFetch(() => fhir({ resourceType: 'Patient', id: 'p1' }));
    const result = await upstreamWith(fetch).getJson('Patient/p1');
    expect(result.ok && result.resource.id).toBe('p1');
    expect(seen).toEqual([{ url: `${BASE}/Patient/p1`, method: 'GET', authorization: 'Bearer secret-token' }]);
  });

  it.each([
    'https://attacker.example/fhir/R4/Patient/p1',
    'https://ehr.example/other/Patient/p1',
    'https://ehr.example/fhir/R4-evil/Patient/p1',
    'Patient/../../../admin',
    '//attacker.example/x',
    'https://user:pw@ehr.example/fhir/R4/Patient/p1',
  ])('refuses %s without making a request', async (path) => {
    const { fetch, seen } = recordingFetch(() => fhir({ resourceType: 'Patient', id: 'p1' }));
    expect(await failureOf(upstreamWith(fetch).getJson(path))).toBe('foreign-origin');
    expect(seen).toEqual([]);
  });

  it('does not follow redirects (they could carry the token elsewhere)', async () => {
    const { fetch, seen } = recordingFetch(() => new Response(null, { status: 302, headers: { location: 'https://attacker.example/' } }));
    expect(await failureOf(upstreamWith(fetch, { retries: 0 }).getJson('Patient/p1'))).toBe('bad-status');
    expect(seen).toHaveLength(1);
  });

  it('gives up on a hanging server in bounded time, retrying GETs a bounded number of times', async () => {
    const { fetch, seen } = recordingFetch(
      (_url, init) =>
        new Promise<Response>((_resolve, reject) => {
          init?.signal?.addEventListener('abort', () => reject(init.signal?.reason));
        }),
    );
    const started = Date.now();
    expect(await failureOf(upstreamWith(fetch, { timeoutMs: 50 }).getJson('Patient/p1'))).toBe('timeout');
    expect(seen).toHaveLength(3);
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('times out a server that sends headers and then trickles the body forever', async () => {
    const { fetch } = recordingFetch((_url, init) => {
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(new TextEncoder().encode('{"resourceType":'));
          init?.signal?.addEventListener('abort', () => controller.error(init.signal?.reason));
        },
      });
      return new Response(body, { status: 200 });
    });
    expect(await failureOf(upstreamWith(fetch, { timeoutMs: 50, retries: 0 }).getJson('Patient/p1'))).toBe('timeout');
  });

  it('maps 5xx to bad-status after retries, and never retries a POST', async () => {
    const failing = recordingFetch(() => new Response('<html>stack trace with secrets</html>', { status: 503 }));
    expect(await failureOf(upstreamWith(failing.fetch).getJson('Patient/p1'))).toBe('bad-status');
    expect(failing.seen).toHaveLength(3);
    const posting = recordingFetch(() => new Response('boom', { status: 503 }));
    expect(await failureOf(upstreamWith(posting.fetch).postJson('', { resourceType: 'Bundle' }))).toBe('bad-status');
    expect(posting.seen).toHaveLength(1);
  });

  it('maps 401 to unauthorized and returns other 4xx as not-ok without their bodies unless OperationOutcome', async () => {
    expect(await failureOf(upstreamWith(recordingFetch(() => fhir({}, 401)).fetch).getJson('Patient/p1'))).toBe('unauthorized');
    const notFound = await upstreamWith(recordingFetch(() => new Response('Patient p1 is secret', { status: 404 })).fetch).getJson('Patient/p1');
    expect(notFound).toMatchObject({ ok: false, status: 404 });
    expect('outcome' in notFound && notFound.outcome).toBeFalsy();
  });

  it.each([
    ['truncated JSON', '{"resourceType":"Bundle","entry":[{"resou'],
    ['HTML', '<html><body>Service unavailable</body></html>'],
    ['JSON without resourceType', '{"entry":[]}'],
    ['a JSON array', '[{"resourceType":"Patient"}]'],
    ['an empty body', ''],
  ])('refuses %s as not-fhir', async (_name, body) => {
    const { fetch } = recordingFetch(() => new Response(body, { status: 200 }));
    expect(await failureOf(upstreamWith(fetch).getJson('Patient/p1'))).toBe('not-fhir');
  });

  it('stops reading a 50 MB body at maxBytes instead of buffering it', async () => {
    let produced = 0;
    const { fetch } = recordingFetch(() => {
      const chunk = new Uint8Array(1024 * 1024).fill(0x20);
      const body = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (produced >= 50) {
            controller.close();
            return;
          }
          produced += 1;
          controller.enqueue(chunk);
        },
      });
      return new Response(body, { status: 200 });
    });
    expect(await failureOf(upstreamWith(fetch, { maxBytes: 2 * 1024 * 1024, retries: 0 }).getJson('Observation?patient=p1'))).toBe('oversize');
    expect(produced).toBeLessThan(6);
  });

  it('refuses an oversize body by Content-Length before reading it', async () => {
    const { fetch } = recordingFetch(() => new Response('{}', { status: 200, headers: { 'content-length': String(50 * 1024 * 1024) } }));
    expect(await failureOf(upstreamWith(fetch).getJson('Patient/p1'))).toBe('oversize');
  });

  it('caps raw documents while they stream', async () => {
    const { fetch } = recordingFetch(() => new Response(new Uint8Array(100_000), { status: 200, headers: { 'content-type': 'application/pdf' } }));
    const response = await upstreamWith(fetch, { maxBytes: 10_000 }).getRaw('Binary/b1');
    await expect(response.arrayBuffer()).rejects.toThrow();
  });

  it('validates its options once, at creation', () => {
    expect(() => upstreamWith(globalThis.fetch, { baseUrl: 'ftp://ehr.example/fhir' })).toThrow();
    expect(() => upstreamWith(globalThis.fetch, { baseUrl: 'https://ehr.example/fhir?x=1' })).toThrow();
    expect(() => upstreamWith(globalThis.fetch, { timeoutMs: 0 })).toThrow();
  });
});
