/**
 * The shared write path (gateway/src/actions/action.ts) against the real sandbox EHR and a real store: idempotency
 * (replay, concurrent duplicate, key reuse, release after failure), the policy gate (feature off, no relation),
 * real FHIR written once, an audit record per outcome, localized errors.
 */
import { randomBytes } from 'node:crypto';
import type { Bundle, Communication } from 'fhir/r4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ActionError, ACTION_ERROR_SYSTEM } from '../../../gateway/src/actions/action-errors.ts';
import { actionHandler, readJsonBody, type ActionDefinition } from '../../../gateway/src/actions/action.ts';
import { actionIdentifier, ifNoneExistFor } from '../../../gateway/src/actions/idempotency-key.ts';
import { createLogger } from '../../../gateway/src/http/logger.ts';
import { BUILTIN_PROFILES } from '../../../gateway/src/policy/profile.ts';
import { openPgliteStore } from '../../../gateway/src/store/pglite-store.ts';
import type { AuditRecord, Store } from '../../../gateway/src/store/types.ts';
import type { RunningSandbox } from '../../../sandbox/src/index.ts';
import { appFor, signInToSandbox, startTestSandbox, type SignedInUser } from './support/sandbox-actions.ts';

const Input = z.object({ patientId: z.string().regex(/^[A-Za-z0-9.-]{1,64}$/), text: z.string().min(1).max(200) }).strict();
type NoteInput = z.infer<typeof Input>;

/** A small real action: a Communication about the patient, created once per key (conditional create). */
const noteAction: ActionDefinition<NoteInput> = {
  name: 'test.note',
  async parse(c) {
    const parsed = Input.safeParse(await readJsonBody(c, 4096));
    if (!parsed.success) throw new ActionError(400, 'invalid-input', { en: 'Write a note.', es: 'Escriba una nota.' });
    return parsed.data;
  },
  patientId: (input) => input.patientId,
  permitted: (decision) => decision.features.messages,
  async run(ctx) {
    const identifier = actionIdentifier(ctx.principal.fhirUser, ctx.idempotencyKey, 'communication');
    const communication: Communication = {
      resourceType: 'Communication',
      identifier: [identifier],
      status: 'completed',
      subject: { reference: `Patient/${ctx.input.patientId}` },
      sender: { reference: ctx.principal.reference },
      payload: [{ contentString: ctx.input.text }],
    };
    const result = await ctx.upstream.writeJson('POST', 'Communication', communication, { ifNoneExist: ifNoneExistFor(identifier) });
    if (!result.ok) throw new ActionError(502, 'upstream-refused', { en: 'Refused.', es: 'Rechazado.' });
    const reference = `Communication/${result.resource.id ?? ''}`;
    return { status: 201, body: { reference }, written: [reference] };
  },
};

let sandbox: RunningSandbox;
let store: Store;
let maria: SignedInUser;
const audits: AuditRecord[] = [];
const clock = { now: () => Date.now() };
const logger = createLogger('silent');

beforeAll(async () => {
  sandbox = await startTestSandbox();
  const opened = await openPgliteStore();
  // Keep every audit record the actions append, for the assertions (the real repository still stores them).
  store = { ...opened, audit: { ...opened.audit, append: async (record) => { audits.push(record); await opened.audit.append(record); } } };
  maria = await signInToSandbox(sandbox, 'maria');
}, 60_000);
afterAll(async () => {
  await store?.close();
  await sandbox?.close();
});

const newKey = () => randomBytes(18).toString('base64url');

function app(profile: keyof typeof BUILTIN_PROFILES = 'ca-strict', fetchImpl?: typeof globalThis.fetch) {
  return appFor(maria, sandbox, (a) => a.post('/api/test-notes', actionHandler(noteAction, { store, clock, profile: BUILTIN_PROFILES[profile], logger })), fetchImpl);
}

function post(target: ReturnType<typeof app>, body: unknown, key: string | undefined, language = 'en') {
  return target.request('/api/test-notes', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'accept-language': language, ...(key === undefined ? {} : { 'idempotency-key': key }) },
    body: JSON.stringify(body),
  });
}

async function notesWith(text: string): Promise<Communication[]> {
  const result = await maria.upstream().getJson(`Communication?subject=Patient/leo-rivera&_count=100`);
  if (!result.ok) throw new Error('search failed');
  return ((result.resource as Bundle).entry ?? []).map((e) => e.resource as Communication).filter((c) => c.payload?.[0]?.contentString === text);
}

const errorCode = async (response: Response) => {
  const body = (await response.json()) as { issue: { details: { coding: { system: string; code: string }[]; text: string } }[] };
  const coding = body.issue[0]?.details.coding.find((c) => c.system === ACTION_ERROR_SYSTEM);
  return { code: coding?.code, text: body.issue[0]?.details.text };
};

describe('the action frame', () => {
  it('writes once per key: a retry gets the recorded answer and writes nothing', async () => {
    const target = app();
    const key = newKey();
    const text = `note ${key}`;
    const first = await post(target, { patientId: 'leo-rivera', text }, key);
    expect(first.status).toBe(201);
    const firstBody = await first.json();
    const again = await post(target, { patientId: 'leo-rivera', text }, key);
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(await again.json()).toEqual(firstBody);
    expect(await notesWith(text)).toHaveLength(1);
    const audit = audits.filter((a) => a.action === 'action:test.note' && a.returned.includes((firstBody as { reference: string }).reference));
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ outcome: 'allowed', patient: 'Patient/leo-rivera', actor: maria.principal.fhirUser });
  });

  it('a double click (two requests at once, one key) writes once', async () => {
    const target = app();
    const key = newKey();
    const text = `double ${key}`;
    const answers = await Promise.all([post(target, { patientId: 'leo-rivera', text }, key), post(target, { patientId: 'leo-rivera', text }, key)]);
    const statuses = answers.map((a) => a.status).sort((a, b) => a - b);
    // One ran; the other either saw it running (409, "still working") or finished (the replay).
    expect(statuses[0]).toBe(201);
    expect([201, 409]).toContain(statuses[1]);
    expect(await notesWith(text)).toHaveLength(1);
  });

  it('refuses a missing key and a key reused with other input, in the request language', async () => {
    const target = app();
    const missing = await post(target, { patientId: 'leo-rivera', text: 'no key' }, undefined, 'es-US,es;q=0.9,en;q=0.5');
    expect(missing.status).toBe(400);
    expect(await errorCode(missing)).toEqual({ code: 'idempotency-key-missing', text: expect.stringContaining('Idempotency-Key') });
    const key = newKey();
    expect((await post(target, { patientId: 'leo-rivera', text: `one ${key}` }, key)).status).toBe(201);
    const reused = await post(target, { patientId: 'leo-rivera', text: `two ${key}` }, key, 'es');
    expect(reused.status).toBe(422);
    expect(await errorCode(reused)).toEqual({ code: 'idempotency-key-reused', text: expect.stringMatching(/^Esta solicitud reutilizó/) });
    expect(await notesWith(`two ${key}`)).toHaveLength(0);
  });

  it('asks the policy: a feature that is off and a patient without a relation get the same 403, nothing written, audited as denied', async () => {
    const target = app('ca-strict'); // guardians of 12–17 may not message under ca-strict
    const key = newKey();
    const teen = await post(target, { patientId: 'isabel-rivera', text: `teen ${key}` }, key);
    expect(teen.status).toBe(403);
    const stranger = await post(target, { patientId: 'not-in-this-family', text: `stranger ${key}` }, newKey());
    expect(stranger.status).toBe(403);
    expect(await errorCode(teen)).toEqual(await errorCode(stranger));
    expect(audits.filter((a) => a.action === 'action:test.note' && a.outcome === 'denied' && a.patient === 'Patient/isabel-rivera').length).toBeGreaterThan(0);
    // Under the messaging variant the same guardian may message about the teen.
    const allowed = await post(app('ca-strict-messaging'), { patientId: 'isabel-rivera', text: `teen ${key}` }, newKey());
    expect(allowed.status).toBe(201);
  });

  it('an upstream failure answers 502 "try again", releases the key, and the retry with the same key writes once', async () => {
    const failingWrites: typeof globalThis.fetch = async (input, init) =>
      (init?.method ?? 'GET') === 'POST' ? new Response('down', { status: 503 }) : globalThis.fetch(input, init);
    const key = newKey();
    const text = `retry ${key}`;
    const failed = await post(app('ca-strict', failingWrites), { patientId: 'leo-rivera', text }, key, 'es');
    expect(failed.status).toBe(502);
    expect(await errorCode(failed)).toEqual({ code: 'upstream-unavailable', text: expect.stringMatching(/^El sistema del hospital no responde/) });
    expect(await notesWith(text)).toHaveLength(0);
    expect(audits.some((a) => a.action === 'action:test.note' && a.outcome === 'error' && a.reasons.includes('upstream-bad-status'))).toBe(true);
    const retried = await post(app(), { patientId: 'leo-rivera', text }, key);
    expect(retried.status).toBe(201);
    expect(await notesWith(text)).toHaveLength(1);
  });

  it('conditional create on the action identifier: the same write sent twice (its answer lost) stores one resource', async () => {
    const identifier = actionIdentifier(maria.principal.fhirUser, newKey(), 'communication');
    const text = `conditional ${identifier.value}`;
    const body: Communication = { resourceType: 'Communication', identifier: [identifier], status: 'completed', subject: { reference: 'Patient/leo-rivera' }, payload: [{ contentString: text }] };
    const first = await maria.upstream().writeJson('POST', 'Communication', body, { ifNoneExist: ifNoneExistFor(identifier) });
    const second = await maria.upstream().writeJson('POST', 'Communication', body, { ifNoneExist: ifNoneExistFor(identifier) });
    expect(first.ok && second.ok).toBe(true);
    expect(first.status).toBe(201);
    expect(second.status).toBe(200);
    if (first.ok && second.ok) expect(second.resource.id).toBe(first.resource.id);
    expect(await notesWith(text)).toHaveLength(1);
  });

  it('bad input is refused before anything is claimed', async () => {
    const target = app();
    const key = newKey();
    const bad = await post(target, { patientId: 'leo-rivera', text: '' }, key, 'es');
    expect(bad.status).toBe(400);
    expect(await errorCode(bad)).toEqual({ code: 'invalid-input', text: 'Escriba una nota.' });
    expect((await post(target, { patientId: 'leo-rivera', text: `fixed ${key}` }, key)).status).toBe(201);
  });
});
