/** Test support for the care-request actions: /api/care routes as a signed-in sandbox user, against the real sandbox and store. */
import { randomBytes } from 'node:crypto';
import type { Bundle, FhirResource } from 'fhir/r4';
import { ACTION_ERROR_SYSTEM } from '../../../gateway/src/actions/action-errors.ts';
import { createCareRoutes } from '../../../gateway/src/care-requests/care-routes.ts';
import { createFhirFacade } from '../../../gateway/src/fhir/facade.ts';
import { createLogger } from '../../../gateway/src/http/logger.ts';
import { BUILTIN_PROFILES, parseProfile, type HospitalProfile } from '../../../gateway/src/policy/profile.ts';
import caStrictJson from '../../../gateway/src/policy/profiles/ca-strict.json' with { type: 'json' };
import type { Store } from '../../../gateway/src/store/types.ts';
import type { RunningSandbox } from '../../../sandbox/src/index.ts';
import { appFor, type SignedInUser } from '../actions/support/sandbox-actions.ts';

export type ProfileId = keyof typeof BUILTIN_PROFILES;

/** ca-strict as a hospital that offers no self-scheduling and no direct changes (requests only). */
export const REQUESTS_ONLY: HospitalProfile = parseProfile({
  ...structuredClone(caStrictJson),
  id: 'ca-strict-requests-only',
  scheduling: { ...structuredClone(caStrictJson.scheduling), selfScheduleVisitTypes: [], directChangeMinHours: null },
});
export const newKey = (): string => randomBytes(18).toString('base64url');
const logger = createLogger('silent');

export interface CareClient {
  post(path: string, body: unknown, options?: { key?: string; language?: string }): Promise<Response>;
  get(path: string): Promise<Response>;
}

export function careClient(user: SignedInUser, sandbox: RunningSandbox, store: Store, profileId: ProfileId | HospitalProfile, now: () => number = Date.now): CareClient {
  const profile = typeof profileId === 'string' ? BUILTIN_PROFILES[profileId] : profileId;
  const clock = { now };
  const app = appFor(user, sandbox, (a) => {
    a.route('/api/care', createCareRoutes({ store, clock, profile, logger }));
    a.route('/fhir', createFhirFacade({ store, clock, profile, basePath: '/fhir' }));
  });
  return {
    post: async (path, body, options = {}) =>
      app.request(path, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'accept-language': options.language ?? 'en', 'idempotency-key': options.key ?? newKey() },
        body: JSON.stringify(body),
      }),
    get: async (path) => app.request(path),
  };
}

export async function errorOf(response: Response): Promise<{ code: string | undefined; text: string | undefined }> {
  const body = (await response.json()) as { issue: { details: { coding: { system: string; code: string }[]; text: string } }[] };
  return { code: body.issue[0]?.details.coding.find((c) => c.system === ACTION_ERROR_SYSTEM)?.code, text: body.issue[0]?.details.text };
}

/** A search straight against the sandbox as the EHR would see it (open reads with the user's token). */
export async function ehrSearch<T extends FhirResource>(user: SignedInUser, query: string): Promise<T[]> {
  const result = await user.upstream().getJson(query);
  if (!result.ok) throw new Error(`search ${query} failed: ${result.status}`);
  return ((result.resource as Bundle).entry ?? []).map((e) => e.resource as T);
}

const HOUR = 3_600_000;
/** A window of two hours starting `days` days from now (at whole hours). */
export function windowIn(days: number, now = Date.now()): { start: string; end: string } {
  const start = Math.floor((now + days * 24 * HOUR) / HOUR) * HOUR;
  return { start: new Date(start).toISOString(), end: new Date(start + 2 * HOUR).toISOString() };
}
