/**
 * /api/session: who is signed in and whom they may act for (GET), and activity that extends the idle timeout
 * (POST /keepalive). Mounted behind requireSession; the view never carries a token, nor which policy rule applied.
 * GET discloses patients (names, birth dates), so it appends one audit record per patient it names.
 */
import { randomUUID } from 'node:crypto';
import { Hono } from 'hono';
import { loadFamilyAccess, type FamilyAccess } from '../access/load-access.ts';
import { sessionFactsKey, type FactsCache } from '../access/facts-cache.ts';
import type { Clock } from '../http/clock.ts';
import type { GatewayEnv } from '../http/context.ts';
import type { HospitalProfile } from '../policy/index.ts';
import type { PatientAccessDecision } from '../policy/types.ts';
import { csrfTokenFor } from '../session/csrf.ts';
import { idleExpiresAt, type SessionLimits } from '../session/lifetime.ts';
import type { Store } from '../store/types.ts';
import { availableActionsFor, type ServedActions } from '../actions/available.ts';
import { formatHumanName, preferredName } from '../../../fhir-mappings/src/index.ts';
import type { SessionPatientView, SessionView, SignedOutView } from './session-view.ts';

export const SIGNED_OUT_VIEW: SignedOutView = Object.freeze({ signedIn: false, loginUrl: '/login' });

/**
 * The query parameter with which the app asks GET /api/session "am I signed in?" on page load: without a session the
 * gateway then answers 200 with the signed-out view (and what the deployment serves) instead of 401, so a signed-out
 * page load is not an error. Every other signed-out /api call (and a plain GET /api/session) is still 401.
 */
export const SESSION_PROBE_PARAM = 'probe';

/** The signed-out view with the actions this deployment serves. */
export function signedOutView(servedActions: ServedActions): SignedOutView {
  return { ...SIGNED_OUT_VIEW, servedActions: servedActions.served() };
}

/** Whether a signed-out request is the app's session probe (GET /api/session?probe=1). */
export function isSessionProbe(method: string, url: string): boolean {
  if (method !== 'GET') return false;
  const parsed = new URL(url);
  return parsed.pathname === '/api/session' && parsed.searchParams.get(SESSION_PROBE_PARAM) === '1';
}

export interface SessionRouteDeps {
  readonly store: Store;
  readonly clock: Clock;
  readonly profile: HospitalProfile;
  readonly limits: SessionLimits;
  /** The actions this gateway serves; absent in tests that mount no actions (then nothing is promised). */
  readonly servedActions?: ServedActions;
  /** Policy facts kept per session for a bounded time (access/facts-cache.ts); without it each request reads them. */
  readonly factsCache?: FactsCache;
}

/** The browser's view of a decision: level, features and the explanation key — not `reason` nor `legalBasis`. */
function accessView(decision: PatientAccessDecision): SessionPatientView['access'] {
  return {
    level: decision.level,
    messageKey: decision.messageKey,
    features: decision.features,
    ...(decision.nextChange === undefined
      ? {}
      : { nextChange: { localDate: decision.nextChange.localDate, level: decision.nextChange.level, messageKey: decision.nextChange.messageKey } }),
  };
}

export function toPatientViews(family: FamilyAccess, servedActions?: ServedActions): SessionPatientView[] {
  const served = servedActions?.served() ?? [];
  const views: SessionPatientView[] = [];
  for (const { patient, decision } of family.patients) {
    if (patient.id === undefined) continue;
    views.push({
      id: patient.id,
      name: formatHumanName(preferredName(patient.name)) ?? '',
      ...(patient.birthDate === undefined ? {} : { birthDate: patient.birthDate }),
      ...(patient.gender === undefined ? {} : { gender: patient.gender }),
      relationship: decision.role,
      access: accessView(decision),
      availableActions: availableActionsFor(decision.features, served),
    });
  }
  return views;
}

export function createSessionRoutes(deps: SessionRouteDeps): Hono<GatewayEnv> {
  const { clock, profile, limits } = deps;
  const routes = new Hono<GatewayEnv>();

  routes.get('/', async (c) => {
    const session = c.get('session');
    const principal = c.get('principal');
    const launchPatient = session.launchContext?.['patient'];
    const launchPatientId = typeof launchPatient === 'string' ? launchPatient : undefined;
    const family = await loadFamilyAccess(c.get('upstream'), principal, {
      profile,
      asOf: new Date(clock.now()),
      ...(launchPatientId === undefined ? {} : { launchPatientId }),
      signal: c.req.raw.signal,
      ...(deps.factsCache === undefined ? {} : { facts: deps.factsCache.forSession(sessionFactsKey(session.id, principal.reference, session.fhirBaseUrl)) }),
    });
    const patients = toPatientViews(family, deps.servedActions);
    // One audit record per patient disclosed (who asked, which patient, the machine reason) before anything is sent.
    const recorded = new Date(clock.now()).toISOString();
    const requestId = c.get('requestId');
    for (const { patient, decision } of family.patients) {
      if (patient.id === undefined) continue;
      const reference = `Patient/${patient.id}`;
      await deps.store.audit.append({
        id: randomUUID(),
        recorded,
        requestId,
        actor: principal.fhirUser,
        patient: reference,
        action: 'session',
        query: 'GET /api/session',
        outcome: 'allowed',
        returned: [reference],
        withheld: [],
        reasons: [decision.reason],
      });
    }
    const view: SessionView = {
      signedIn: true,
      user: {
        name: family.user.name,
        fhirUser: principal.fhirUser,
        kind: principal.kind,
        ...(family.user.gender === undefined ? {} : { gender: family.user.gender }),
      },
      patients,
      ...(launchPatientId !== undefined && patients.some((p) => p.id === launchPatientId) ? { currentPatientId: launchPatientId } : {}),
      needPatientBanner: session.launchContext?.['need_patient_banner'] !== false,
      openServerMode: session.openServerMode === true,
      profile: {
        id: profile.id,
        timeZone: profile.timeZone,
        hospitalName: profile.hospitalName,
        ...(profile.himPhone === undefined ? {} : { himPhone: profile.himPhone }),
      },
      idleExpiresAt: idleExpiresAt(session, limits),
      idleTimeoutSeconds: Math.round(limits.idleMs / 1000),
      csrfToken: csrfTokenFor(session),
    };
    return c.json(view);
  });

  routes.post('/keepalive', async (c) => {
    const session = c.get('session');
    const now = clock.now();
    await deps.store.sessions.touch(session.id, now);
    return c.json({ idleExpiresAt: idleExpiresAt({ ...session, lastSeenAt: now }, limits), idleTimeoutSeconds: Math.round(limits.idleMs / 1000) });
  });

  return routes;
}
