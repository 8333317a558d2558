/**
 * The write path frame. An action is a small definition — parse the input, name the patient, say which feature
 * permits it, run — and `actionHandler` wraps it in what every write needs, in this order:
 *
 *   1. the session and CSRF header (already checked by requireSession in front of /api/*);
 *   2. a valid `Idempotency-Key` header, claimed in the store for (person, key) with a fingerprint of the input:
 *      a retry of a finished action gets the recorded answer (`Idempotent-Replayed: true`), a concurrent duplicate a
 *      409 "still working", the same key with other input a 422 — on any number of replicas sharing the database;
 *   3. the policy core's decision for (principal, patient) — `permitted(decision)` reads its `features`; a patient the
 *      person has no relation to gets the same 403 as a feature that is off;
 *   4. `run`, which writes FHIR through the session's upstream (`upstream.writeJson`) and returns the references it
 *      wrote;
 *   5. one audit record (store.audit.append, the facade's AuditRecord shape, action "action:<name>");
 *   6. the answer, recorded under the key. Failures release the key (so the same key may try again) and leave as a
 *      localized OperationOutcome (action-errors.ts).
 */
import { randomUUID } from 'node:crypto';
import type { Context, Handler } from 'hono';
import type { PatientAccess } from '../access/load-access.ts';
import { createRequestPolicy, type RequestPolicy } from '../fhir/request-policy.ts';
import { UpstreamError, type FhirUpstream } from '../fhir/upstream.ts';
import type { Clock } from '../http/clock.ts';
import type { GatewayEnv } from '../http/context.ts';
import type { Logger } from '../http/logger.ts';
import type { HospitalProfile } from '../policy/index.ts';
import type { PatientAccessDecision, Principal } from '../policy/types.ts';
import type { Session } from '../session/types.ts';
import type { AuditRecord, Store } from '../store/types.ts';
import { ActionError, actionErrorResponse, COMMON_ERRORS, requestLanguage, type Language } from './action-errors.ts';
import { IDEMPOTENCY_HEADER, inputFingerprint, parseIdempotencyKey } from './idempotency-key.ts';

/** A running claim older than this belongs to a replica that died mid-action and may be taken over. */
export const IDEMPOTENCY_STALE_MS = 2 * 60_000;

export interface ActionDeps {
  readonly store: Store;
  readonly clock: Clock;
  readonly profile: HospitalProfile;
  readonly logger: Logger;
}

/** Everything `run` may use. */
export interface ActionContext<Input> {
  readonly input: Input;
  /** The patient acted for, with the policy's decision (record access, features). */
  readonly access: PatientAccess;
  readonly principal: Principal;
  readonly session: Session;
  /** The EHR, with this session's token. */
  readonly upstream: FhirUpstream;
  /** The facade's per-request policy: judge what the action reads or wrote before showing it. */
  readonly policy: RequestPolicy;
  readonly store: Store;
  readonly clock: Clock;
  readonly profile: HospitalProfile;
  readonly logger: Logger;
  readonly requestId: string;
  readonly language: Language;
  /** The idempotency key of this request (for actionIdentifier). */
  readonly idempotencyKey: string;
}

export interface ActionResult {
  /** 200 (done), 201 (created) or 202 (accepted, finishing later — e.g. queued in an outbox). */
  readonly status: 200 | 201 | 202;
  /** JSON for the browser: what it needs to show the result. Recorded (sealed) under the key for replays. */
  readonly body: unknown;
  /** Relative references written or changed in the EHR (the audit record's `returned`). */
  readonly written: readonly string[];
}

export interface ActionDefinition<Input> {
  /** Stable machine name, "messages.send": the audit action is "action:<name>", idempotency keys are per name. */
  readonly name: string;
  /** Reads and validates the request (body, params). Throws ActionError for bad input; nothing is claimed yet. */
  parse(c: Context<GatewayEnv>): Promise<Input>;
  /** The patient id the action is for (from the input). */
  patientId(input: Input): string;
  /** Whether the policy's decision lets this principal take this action for this patient. */
  permitted(decision: PatientAccessDecision, input: Input): boolean;
  run(context: ActionContext<Input>): Promise<ActionResult>;
  /** The input as fingerprinted (default: all of it). */
  fingerprint?(input: Input): unknown;
}

export function actionHandler<Input>(definition: ActionDefinition<Input>, deps: ActionDeps): Handler<GatewayEnv> {
  const { store, clock, profile, logger } = deps;
  return async function runAction(c) {
    const principal = c.get('principal');
    const session = c.get('session');
    const upstream = c.get('upstream');
    const requestId = c.get('requestId');
    const language = requestLanguage(c.req.header('Accept-Language'));
    const query = `${c.req.method} ${new URL(c.req.url).pathname}`;
    let patient: string | undefined;

    const audit = (outcome: AuditRecord['outcome'], returned: readonly string[], reasons: readonly string[]) =>
      store.audit.append({
        id: randomUUID(),
        recorded: new Date(clock.now()).toISOString(),
        requestId,
        actor: principal.fhirUser,
        ...(patient === undefined ? {} : { patient }),
        action: `action:${definition.name}`,
        query,
        outcome,
        returned,
        withheld: [],
        reasons,
      });

    const key = parseIdempotencyKey(c.req.header(IDEMPOTENCY_HEADER));
    if (key === undefined) return actionErrorResponse(c, COMMON_ERRORS.idempotencyKeyMissing());
    let input: Input;
    try {
      input = await definition.parse(c);
    } catch (error) {
      if (error instanceof ActionError) return actionErrorResponse(c, error);
      throw error;
    }
    patient = `Patient/${definition.patientId(input)}`;

    const claim = await store.idempotency.claim({
      subject: principal.fhirUser,
      key,
      action: definition.name,
      fingerprint: inputFingerprint(definition.name, definition.fingerprint === undefined ? input : definition.fingerprint(input)),
      now: clock.now(),
      staleAfterMs: IDEMPOTENCY_STALE_MS,
    });
    if (claim.kind === 'replay') {
      c.header('Idempotent-Replayed', 'true');
      c.header('Cache-Control', 'no-store');
      return c.json(claim.outcome.body as object, claim.outcome.status as 200);
    }
    if (claim.kind === 'in-progress') return actionErrorResponse(c, COMMON_ERRORS.inProgress());
    if (claim.kind === 'mismatch') return actionErrorResponse(c, COMMON_ERRORS.idempotencyKeyReused());

    let result: ActionResult;
    try {
      const policy = createRequestPolicy({ upstream, principal, profile, asOf: new Date(clock.now()), signal: c.req.raw.signal });
      const access = await policy.accessFor(definition.patientId(input));
      if (access === undefined || !definition.permitted(access.decision, input)) {
        await audit('denied', [], [access?.decision.reason ?? 'no-relationship', 'action-not-permitted']);
        throw COMMON_ERRORS.notPermitted();
      }
      result = await definition.run({
        input, access, principal, session, upstream, policy, store, clock, profile, logger, requestId, language, idempotencyKey: key,
      });
    } catch (error) {
      await store.idempotency.release(principal.fhirUser, key, claim.owner);
      if (error instanceof ActionError) {
        if (error.status >= 500) await audit('error', [], [error.code]);
        return actionErrorResponse(c, error);
      }
      if (error instanceof UpstreamError) {
        await audit('error', [], [`upstream-${error.failure}`]);
        if (error.failure === 'unauthorized') throw error; // the session's sign-in ended: the one error handler says so
        return actionErrorResponse(c, COMMON_ERRORS.upstreamUnavailable(error));
      }
      await audit('error', [], ['action-failed']).catch(() => undefined);
      throw error;
    }
    // The write happened: record the answer first, so a retry can never write again, then the audit record.
    const recorded = await store.idempotency.complete(principal.fhirUser, key, claim.owner, { status: result.status, body: result.body }, clock.now());
    if (!recorded) logger.warn('idempotency claim lost before completion', { requestId, action: definition.name });
    await audit('allowed', result.written, [result.status === 202 ? 'action-accepted' : 'action-done']);
    c.header('Cache-Control', 'no-store');
    return c.json(result.body as object, result.status);
  };
}

/** Reads a JSON body of at most `maxBytes`; ActionError for anything else. */
export async function readJsonBody(c: Context, maxBytes: number): Promise<unknown> {
  const declared = Number(c.req.header('Content-Length') ?? '0');
  if (declared > maxBytes) throw COMMON_ERRORS.tooLarge();
  const type = c.req.header('Content-Type') ?? '';
  if (!/^application\/json\b/i.test(type)) throw COMMON_ERRORS.malformedBody();
  const text = await c.req.text();
  if (Buffer.byteLength(text) > maxBytes) throw COMMON_ERRORS.tooLarge();
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw COMMON_ERRORS.malformedBody();
  }
}
