/**
 * Test infrastructure: the facade mounted at /fhir in a bare Hono app, behind a stand-in for the session middleware
 * that sets the same context variables (session, principal, upstream, requestId). The audit trail goes to an
 * in-memory AuditRepository so tests can read what was recorded.
 */
import { Hono } from 'hono';
import { createFhirFacade } from '../../../../gateway/src/fhir/facade.ts';
import type { FacadeLimits } from '../../../../gateway/src/fhir/facade.ts';
import type { FhirUpstream } from '../../../../gateway/src/fhir/upstream.ts';
import type { GatewayEnv } from '../../../../gateway/src/http/context.ts';
import type { HospitalProfile } from '../../../../gateway/src/policy/index.ts';
import type { Principal } from '../../../../gateway/src/policy/types.ts';
import type { Session } from '../../../../gateway/src/session/types.ts';
import type { AuditRecord, Store } from '../../../../gateway/src/store/types.ts';

export interface Harness {
  readonly app: Hono<GatewayEnv>;
  readonly audits: AuditRecord[];
  readonly store: Store;
  get(path: string, init?: RequestInit): Promise<Response>;
}

export interface HarnessOptions {
  readonly upstream: FhirUpstream;
  readonly principal: Principal;
  readonly profile: HospitalProfile;
  /** Epoch ms the facade's clock reads. */
  readonly now: number;
  readonly session?: Partial<Session>;
  readonly limits?: Partial<FacadeLimits>;
}

export function principalFor(reference: string): Principal {
  const [kind] = reference.split('/');
  return {
    fhirUser: `http://ehr.test/fhir/${reference}`,
    reference,
    kind: kind as Principal['kind'],
    scopes: ['openid', 'fhirUser', 'patient/*.rs'],
  };
}

export function memoryStore(audits: AuditRecord[]): Store {
  const unused = (): never => {
    throw new Error('sessions are not used by the facade tests');
  };
  return {
    sessions: { create: unused, get: unused, put: unused, delete: unused, touch: unused, deleteExpired: unused, deleteForUser: unused, withLock: unused },
    accountBlocks: { block: unused, isBlocked: unused, clear: unused, list: unused },
    idempotency: { claim: unused, complete: unused, release: unused, prune: unused },
    outbox: { enqueue: unused, lease: unused, markSent: unused, markFailed: unused, list: unused },
    notificationPreferences: { get: unused, put: unused },
    drafts: { put: unused, get: unused, list: unused, delete: unused },
    coordination: { acquireLease: unused, releaseLease: unused, getWatermark: unused, setWatermark: unused },
    auditTrail: { verify: unused, prune: unused },
    audit: {
      append: async (record) => {
        audits.push(record);
      },
      listForPatient: async (patient, options) =>
        audits
          .filter((record) => record.patient === patient)
          .reverse()
          .slice(0, options?.limit ?? 100),
    },
    close: async () => {},
  };
}

export function createHarness(options: HarnessOptions): Harness {
  const audits: AuditRecord[] = [];
  const store = memoryStore(audits);
  const session: Session = {
    id: 'session-1',
    createdAt: options.now,
    lastSeenAt: options.now,
    fhirBaseUrl: options.upstream.baseUrl,
    principal: options.principal,
    secret: 'a-per-session-secret-of-enough-length',
    ...options.session,
  };
  const app = new Hono<GatewayEnv>();
  let counter = 0;
  app.use('/fhir/*', async (c, next) => {
    counter += 1;
    c.set('requestId', `req-${counter}`);
    c.set('session', session);
    c.set('principal', options.principal);
    c.set('upstream', options.upstream);
    await next();
  });
  app.route(
    '/fhir',
    createFhirFacade({
      profile: options.profile,
      store,
      clock: { now: () => options.now },
      ...(options.limits === undefined ? {} : { limits: options.limits }),
    }),
  );
  return { app, audits, store, get: (path, init) => Promise.resolve(app.request(`http://portal.test${path}`, init)) };
}
