/**
 * /api/him — requests to Health Information Management (issue 13), behind the session and CSRF:
 *
 *   GET  /copy-requests   this person's own requests for complete copies, per child, with their status and the
 *                         profile's HIM phone number (shown beside them as a tel: link)
 *   POST /copy-requests   a new request (copy-request.ts) → a Task owned by HIM in the EHR; idempotent
 *
 * Who may ask: the patient, a guardian or a conservator with a relation the policy recognises (HIM reviews every
 * request and releases what the law allows — a guardian of a teen gets what HIM may give, not what the portal hides).
 * A person with no relation, or staff, gets the shared 403.
 */
import { Hono } from 'hono';
import type { Task } from 'fhir/r4';
import { COMMON_ERRORS } from '../actions/action-errors.ts';
import { actionHandler, readJsonBody, type ActionDefinition } from '../actions/action.ts';
import { actionIdentifier, ifNoneExistFor } from '../actions/idempotency-key.ts';
import { loadFamilyAccess } from '../access/load-access.ts';
import { searchAll } from '../care-requests/care-reads.ts';
import type { Clock } from '../http/clock.ts';
import type { GatewayEnv } from '../http/context.ts';
import type { Logger } from '../http/logger.ts';
import type { HospitalProfile } from '../policy/index.ts';
import type { PatientAccessDecision } from '../policy/types.ts';
import type { Store } from '../store/types.ts';
import { COPY_REQUEST_CODE, copyRequestTask, copyRequestView, HIM_TASK_SYSTEM, isCopyRequest, parseCopyRequest, type CopyRequestInput } from './copy-request.ts';

const MAY_REQUEST: ReadonlySet<PatientAccessDecision['role']> = new Set(['self', 'guardian', 'conservator']);
export const HIM_OWNER = { display: 'Health Information Management' } as const;

export function copyRequestAction(clock: Clock): ActionDefinition<CopyRequestInput> {
  return {
    name: 'him.copy-request',
    parse: async (c) => parseCopyRequest(await readJsonBody(c, 8 * 1024), new Date(clock.now()).toISOString().slice(0, 10)),
    patientId: (input) => input.patientId,
    permitted: (decision) => MAY_REQUEST.has(decision.role),
    async run(ctx) {
      const identifier = actionIdentifier(ctx.principal.fhirUser, ctx.idempotencyKey, 'him-copy-request');
      const task = copyRequestTask(ctx.input, { identifier, requester: { reference: ctx.principal.reference }, now: ctx.clock.now(), himOwner: HIM_OWNER });
      const result = await ctx.upstream.writeJson('POST', 'Task', task, { ifNoneExist: ifNoneExistFor(identifier) });
      if (!result.ok || result.resource.id === undefined) throw COMMON_ERRORS.upstreamRefused(result.status);
      const reference = `Task/${result.resource.id}`;
      return { status: 201, body: copyRequestView(result.resource as Task), written: [reference] };
    },
  };
}

export function createHimRoutes(deps: { readonly store: Store; readonly clock: Clock; readonly profile: HospitalProfile; readonly logger: Logger }): Hono<GatewayEnv> {
  const routes = new Hono<GatewayEnv>();
  routes.get('/copy-requests', async (c) => {
    const upstream = c.get('upstream');
    const principal = c.get('principal');
    const family = await loadFamilyAccess(upstream, principal, { profile: deps.profile, asOf: new Date(deps.clock.now()), signal: c.req.raw.signal });
    const children: { patientId: string; name: string; requests: ReturnType<typeof copyRequestView>[] }[] = [];
    for (const member of family.patients) {
      const id = member.patient.id;
      if (id === undefined || !MAY_REQUEST.has(member.decision.role)) continue;
      const own = new Set([principal.reference, ...(member.decision.actingAs ?? [])]);
      const tasks = await searchAll<Task>(upstream, `Task?patient=${encodeURIComponent(`Patient/${id}`)}&code=${encodeURIComponent(`${HIM_TASK_SYSTEM}|${COPY_REQUEST_CODE}`)}&_count=50`);
      // Only this person's own requests, and only what they said (a date range, a format) and HIM's status.
      const requests = tasks
        .filter((t) => isCopyRequest(t) && t.for?.reference === `Patient/${id}` && own.has(t.requester?.reference ?? ''))
        .map(copyRequestView)
        .sort((a, b) => (b.requested ?? '').localeCompare(a.requested ?? ''));
      const name = member.patient.name?.[0];
      children.push({ patientId: id, name: [name?.given?.join(' '), name?.family].filter(Boolean).join(' '), requests });
    }
    c.header('Cache-Control', 'no-store');
    return c.json({ himPhone: deps.profile.himPhone, children });
  });
  routes.post('/copy-requests', actionHandler(copyRequestAction(deps.clock), deps));
  return routes;
}
