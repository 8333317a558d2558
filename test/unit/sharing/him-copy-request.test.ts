/**
 * Requesting a complete copy from Health Information Management (gateway/src/him) against the sandbox EHR and a real
 * store: a Task owned by HIM, listed with its status and the profile's HIM phone; bad input refused field by field in
 * English and Spanish; a double submission makes one Task; no relation → 403.
 */
import { randomBytes } from 'node:crypto';
import type { Bundle, Task } from 'fhir/r4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHimRoutes } from '../../../gateway/src/him/him-routes.ts';
import { createLogger } from '../../../gateway/src/http/logger.ts';
import { BUILTIN_PROFILES } from '../../../gateway/src/policy/profile.ts';
import { openPgliteStore } from '../../../gateway/src/store/pglite-store.ts';
import type { Store } from '../../../gateway/src/store/types.ts';
import type { RunningSandbox } from '../../../sandbox/src/index.ts';
import { appFor, signInToSandbox, startTestSandbox, type SignedInUser } from '../actions/support/sandbox-actions.ts';

let sandbox: RunningSandbox;
let store: Store;
let maria: SignedInUser;
let daniel: SignedInUser;
const clock = { now: () => Date.now() };
const profile = BUILTIN_PROFILES['ca-strict'];

beforeAll(async () => {
  sandbox = await startTestSandbox();
  store = await openPgliteStore();
  maria = await signInToSandbox(sandbox, 'maria');
  daniel = await signInToSandbox(sandbox, 'daniel');
}, 60_000);
afterAll(async () => {
  await store?.close();
  await sandbox?.close();
});

const him = (user: SignedInUser) => appFor(user, sandbox, (a) => a.route('/api/him', createHimRoutes({ store, clock, profile, logger: createLogger('silent') })));
const newKey = () => randomBytes(18).toString('base64url');
const post = (user: SignedInUser, body: unknown, key = newKey(), language = 'en') =>
  him(user).request('/api/him/copy-requests', { method: 'POST', headers: { 'content-type': 'application/json', 'idempotency-key': key, 'accept-language': language }, body: JSON.stringify(body) });

const PAPER = { patientId: 'leo-rivera', from: '2025-01-01', to: '2025-06-01', format: 'paper', address: { line1: '418 Orchard Lane', city: 'Orange', state: 'CA', postalCode: '92866' } };

describe('a complete copy from HIM', () => {
  it('becomes a Task for HIM in the EHR, listed with its status and the HIM phone', async () => {
    const response = await post(maria, PAPER);
    expect(response.status).toBe(201);
    const created = (await response.json()) as { id: string; status: string; format: string };
    expect(created).toMatchObject({ status: 'requested', format: 'paper', from: '2025-01-01', to: '2025-06-01' });
    const stored = await maria.upstream().getJson(`Task/${created.id}`);
    const task = (stored.ok ? stored.resource : undefined) as Task | undefined;
    expect(task?.owner?.display).toBe('Health Information Management');
    expect(task?.for?.reference).toBe('Patient/leo-rivera');
    expect(task?.requester?.reference).toBe('Person/maria-rivera');
    expect(task?.input?.find((i) => i.valueAddress)?.valueAddress?.postalCode).toBe('92866');

    const list = await him(maria).request('/api/him/copy-requests');
    const view = (await list.json()) as { himPhone: string; children: { patientId: string; requests: { id: string; status: string }[] }[] };
    expect(view.himPhone).toBe(profile.himPhone);
    expect(view.children.find((c) => c.patientId === 'leo-rivera')?.requests.map((r) => r.id)).toContain(created.id);
    // Daniel sees only his own requests (none), never Maria's.
    const danielView = (await (await him(daniel).request('/api/him/copy-requests')).json()) as typeof view;
    expect(danielView.children.flatMap((c) => c.requests)).toEqual([]);
  });

  it('a double submission makes one Task', async () => {
    const key = newKey();
    const body = { patientId: 'sofia-rivera', format: 'electronic', email: 'maria.rivera@example.org' };
    const first = await post(maria, body, key);
    const second = await post(maria, body, key);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    const id = ((await first.json()) as { id: string }).id;
    expect(((await second.json()) as { id: string }).id).toBe(id);
    const search = await maria.upstream().getJson('Task?patient=Patient/sofia-rivera&code=urn:sprout:him|record-copy');
    expect(((search.ok ? search.resource : {}) as Bundle).entry?.length).toBe(1);
  });

  it('refuses bad input field by field, in Spanish too, and a child without a relation', async () => {
    const cases: [unknown, string][] = [
      [{ ...PAPER, address: undefined }, 'address'],
      [{ ...PAPER, address: { ...PAPER.address, postalCode: 'ABCDE' } }, 'address'],
      [{ ...PAPER, from: '2025-07-01', to: '2025-01-01' }, 'from'],
      [{ ...PAPER, from: '2025-02-30' }, 'from'],
      [{ patientId: 'leo-rivera', format: 'electronic', email: 'not-an-email' }, 'email'],
      [{ patientId: 'leo-rivera', format: 'fax' }, 'format'],
      [{ ...PAPER, extra: 1 }, 'format'],
    ];
    for (const [body, field] of cases) {
      const response = await post(maria, body, newKey(), 'es');
      expect(response.status).toBe(400);
      const outcome = (await response.json()) as { issue: { expression?: string[]; details: { text: string } }[] };
      expect(outcome.issue[0]?.expression).toEqual([field]);
      expect(outcome.issue[0]?.details.text).toMatch(/[áéíóúñ]|Escriba|Elija/);
    }
    expect((await post(daniel, PAPER)).status).toBe(403);
  });
});
