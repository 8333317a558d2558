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

export interface SandboxOptions {
  /**
   * Answer a repeated GET (same URL and Accept) with the bytes the server gave the first time, as a fresh Response.
   * Only for suites that never write to the sandbox (the leak suite): the facade still sends every request and reads
   * every answer; only the in-memory server's repeated search work is saved.
   */
  readonly replayRepeatedGets?: boolean;
}

export async function createSandboxUpstream(resources: readonly FhirResource[], options: SandboxOptions = {}): Promise<SandboxUpstream> {
  const service = new FhirService({ fhirBaseUrl: SANDBOX_BASE });
  await service.load(resources);
  const requests: string[] = [];
  const answered = new Map<string, { status: number; headers: Record<string, string>; body: string | Buffer }>();
  const fetch: typeof globalThis.fetch = async (input, init) => {
    const request = input instanceof Request ? input : new Request(input, init);
    const url = new URL(request.url);
    if (!url.href.startsWith(`${SANDBOX_BASE}/`)) throw new TypeError(`test sandbox: unexpected host ${url.origin}`);
    requests.push(`${request.method} ${url.pathname.slice('/fhir'.length)}${url.search}`);
    const replayKey = options.replayRepeatedGets === true && request.method === 'GET' ? `${request.headers.get('accept') ?? ''} ${url.href}` : undefined;
    const replayed = replayKey === undefined ? undefined : answered.get(replayKey);
    if (replayed !== undefined) {
      return new Response(typeof replayed.body === 'string' ? replayed.body : new Uint8Array(replayed.body), { status: replayed.status, headers: replayed.headers });
    }
    const text = request.method === 'GET' || request.method === 'HEAD' ? '' : await request.text();
    const answer = await service.handle({
      method: request.method,
      path: url.pathname.slice('/fhir'.length) || '/',
      query: url.searchParams,
      body: text === '' ? undefined : JSON.parse(text),
      accept: request.headers.get('accept') ?? undefined,
    });
    if (replayKey !== undefined) answered.set(replayKey, answer);
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
