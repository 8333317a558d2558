/**
 * Test infrastructure: the sandbox's real FHIR server (Medplum fhir-router + in-memory repository) reached through a
 * `fetch` function, so the facade's real FhirUpstream (createFetchUpstream) talks to it without opening a port.
 * Every request the upstream receives is recorded, so tests can also assert what was (not) asked.
 */
import type { FhirResource } from 'fhir/r4';
import { FhirService } from '../../../../sandbox/src/fhir/service.ts';
import { createFetchUpstream } from '../../../../gateway/src/fhir/fetch-upstream.ts';
import type { FhirUpstream } from '../../../../gateway/src/fhir/upstream.ts';

export const SANDBOX_BASE = 'http://ehr.test/fhir';

export interface SandboxUpstream {
  readonly service: FhirService;
  readonly fetch: typeof globalThis.fetch;
  /** Method + path+query of every request that reached the server. */
  readonly requests: string[];
  upstream(overrides?: { fetch?: typeof globalThis.fetch }): FhirUpstream;
}

export async function createSandboxUpstream(resources: readonly FhirResource[]): Promise<SandboxUpstream> {
  const service = new FhirService({ fhirBaseUrl: SANDBOX_BASE });
  await service.load(resources);
  const requests: string[] = [];
  const fetch: typeof globalThis.fetch = async (input, init) => {
    const request = input instanceof Request ? input : new Request(input, init);
    const url = new URL(request.url);
    if (!url.href.startsWith(`${SANDBOX_BASE}/`)) throw new TypeError(`test sandbox: unexpected host ${url.origin}`);
    requests.push(`${request.method} ${url.pathname.slice('/fhir'.length)}${url.search}`);
    const text = request.method === 'GET' || request.method === 'HEAD' ? '' : await request.text();
    const answer = await service.handle({
      method: request.method,
      path: url.pathname.slice('/fhir'.length) || '/',
      query: url.searchParams,
      body: text === '' ? undefined : JSON.parse(text),
      accept: request.headers.get('accept') ?? undefined,
    });
    return new Response(typeof answer.body === 'string' ? answer.body : new Uint8Array(answer.body), {
      status: answer.status,
      headers: answer.headers,
    });
  };
  return {
    service,
    fetch,
    requests,
    upstream: (overrides) =>
      createFetchUpstream({
        baseUrl: SANDBOX_BASE,
        getAccessToken: async () => 'sandbox-token',
        fetch: overrides?.fetch ?? fetch,
        timeoutMs: 2_000,
        maxBytes: 8 * 1024 * 1024,
        retries: 0,
      }),
  };
}
