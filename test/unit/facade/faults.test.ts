/**
 * A misbehaving upstream: the facts gathering (Patient, RelatedPerson, Consent) reaches the real sandbox, and the
 * record request itself hangs, fails, or answers badly. Every case must end in a clear OperationOutcome, in bounded
 * time, without passing on a byte of the upstream's answer.
 */
import type { Bundle, OperationOutcome } from 'fhir/r4';
import { beforeAll, describe, expect, it } from 'vitest';
import { createFetchUpstream } from '../../../gateway/src/fhir/fetch-upstream.ts';
import { BUILTIN_PROFILES } from '../../../gateway/src/policy/index.ts';
import { createHarness, principalFor } from '../leaks/support/facade-harness.ts';
import { createSandboxUpstream, SANDBOX_BASE } from '../leaks/support/sandbox-upstream.ts';
import type { SandboxUpstream } from '../leaks/support/sandbox-upstream.ts';
import { miniFamily, NOW } from './mini-family.ts';

const MARKER = 'UPSTREAM-SECRET-MARKER';
let sandbox: SandboxUpstream;

beforeAll(async () => {
  const resources = miniFamily();
  // A resource without meta at all (no versionId, no security labels).
  resources.push({ resourceType: 'Observation', id: 'no-meta', status: 'final', code: { text: 'Length' }, subject: { reference: 'Patient/infant' } });
  sandbox = await createSandboxUpstream(resources);
});

type Misbehaviour = (url: URL, init: RequestInit | undefined) => Promise<Response> | Response | undefined;

/** The sandbox, except that requests for Observation answer with `misbehave` (undefined → the real answer). */
function harnessWith(misbehave: Misbehaviour, options: { timeoutMs?: number; maxBytes?: number } = {}) {
  const fetch: typeof globalThis.fetch = async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    if (url.pathname.startsWith('/fhir/Observation')) {
      const answer = await misbehave(url, init);
      if (answer !== undefined) return answer;
    }
    return sandbox.fetch(input, init);
  };
  const upstream = createFetchUpstream({
    baseUrl: SANDBOX_BASE,
    fetch,
    timeoutMs: options.timeoutMs ?? 200,
    maxBytes: options.maxBytes ?? 1024 * 1024,
    retries: 1,
    retryBackoffMs: 1,
  });
  return createHarness({ upstream, principal: principalFor('RelatedPerson/mom'), profile: BUILTIN_PROFILES['ca-strict'], now: NOW });
}

async function expectOutcome(response: Response, status: number): Promise<OperationOutcome> {
  expect(response.status).toBe(status);
  const text = await response.text();
  expect(text).not.toContain(MARKER);
  expect(text).not.toContain('ehr.test');
  const outcome = JSON.parse(text) as OperationOutcome;
  expect(outcome.resourceType).toBe('OperationOutcome');
  expect(outcome.issue[0]?.diagnostics?.length).toBeGreaterThan(10);
  return outcome;
}

describe('FHIR facade with a misbehaving upstream', () => {
  it('a hanging upstream ends in 504 within bounded time', async () => {
    const harness = harnessWith((_url, init) => new Promise((_resolve, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal?.reason))), { timeoutMs: 50 });
    const started = Date.now();
    await expectOutcome(await harness.get('/fhir/Observation?patient=infant'), 504);
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(harness.audits.at(-1)?.outcome).toBe('error');
  });

  it('a 500 with a revealing body becomes 502 without the body', async () => {
    const harness = harnessWith(() => new Response(`{"resourceType":"OperationOutcome","issue":[{"diagnostics":"${MARKER} Observation/secret"}]}`, { status: 500 }));
    await expectOutcome(await harness.get('/fhir/Observation/weight-1'), 502);
  });

  it('truncated JSON becomes 502', async () => {
    const harness = harnessWith(() => new Response(`{"resourceType":"Bundle","type":"searchset","entry":[{"resource":{"resourceType":"Observation","id":"${MARKER}"`, { status: 200 }));
    await expectOutcome(await harness.get('/fhir/Observation?patient=infant'), 502);
  });

  it('a non-FHIR answer becomes 502', async () => {
    const harness = harnessWith(() => new Response(JSON.stringify({ hello: MARKER }), { status: 200 }));
    await expectOutcome(await harness.get('/fhir/Observation?patient=infant'), 502);
  });

  it('a search answered with something other than a Bundle becomes 502', async () => {
    const harness = harnessWith(() => new Response(JSON.stringify({ resourceType: 'Patient', id: MARKER }), { status: 200 }));
    await expectOutcome(await harness.get('/fhir/Observation?patient=infant'), 502);
  });

  it('a 50 MB bundle is cut off at maxBytes and becomes 502', async () => {
    let produced = 0;
    const harness = harnessWith(() => {
      const head = new TextEncoder().encode('{"resourceType":"Bundle","type":"searchset","entry":[');
      const chunk = new TextEncoder().encode(`${JSON.stringify({ resource: { resourceType: 'Observation', id: MARKER, subject: { reference: 'Patient/infant' } } })},`.repeat(5000));
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(head);
        },
        pull(controller) {
          if (produced >= 50 * 1024 * 1024) {
            controller.close();
            return;
          }
          produced += chunk.byteLength;
          controller.enqueue(chunk);
        },
      });
      return new Response(body, { status: 200 });
    }, { maxBytes: 2 * 1024 * 1024 });
    const outcome = await expectOutcome(await harness.get('/fhir/Observation?patient=infant'), 502);
    expect(outcome.issue[0]?.code).toBe('too-costly');
    expect(produced).toBeLessThan(10 * 1024 * 1024);
  });

  it('a next link to another host is neither followed nor shown', async () => {
    const asked: string[] = [];
    // The sandbox answers, then its next link is rewritten to point at another host.
    const hostile = harnessWith(async (url, init) => {
      asked.push(url.origin);
      const real = await sandbox.fetch(url, init);
      const bundle = (await real.json()) as Bundle;
      bundle.link = [{ relation: 'next', url: `https://attacker.example/fhir/Observation?${MARKER}` }];
      return new Response(JSON.stringify(bundle), { status: 200 });
    });
    const outcome = await expectOutcome(await hostile.get('/fhir/Observation?patient=infant&_count=2'), 502);
    expect(outcome.issue[0]?.code).toBe('security');
    expect(asked.every((origin) => origin === new URL(SANDBOX_BASE).origin)).toBe(true);
  });

  it('a resource without meta is judged like any other (no crash, no fail-open)', async () => {
    const harness = harnessWith(() => undefined);
    const response = await harness.get('/fhir/Observation/no-meta');
    expect(response.status).toBe(200);
    expect(((await response.json()) as { id: string }).id).toBe('no-meta');
  });

  it('a Patient without birthDate gives the guardian no access at all', async () => {
    const harness = createHarness({ upstream: sandbox.upstream(), principal: principalFor('RelatedPerson/mom-of-unknown'), profile: BUILTIN_PROFILES['ca-strict'], now: NOW });
    expect((await harness.get('/fhir/Patient/no-birthdate')).status).toBe(404);
    expect((await harness.get('/fhir/Observation/unknown-weight')).status).toBe(404);
    const search = (await (await harness.get('/fhir/Observation?patient=no-birthdate')).json()) as Bundle;
    expect(search.entry).toEqual([]);
    const patients = (await (await harness.get('/fhir/Patient')).json()) as Bundle;
    expect(patients.entry).toEqual([]);
  });
});
