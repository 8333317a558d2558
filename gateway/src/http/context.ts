/** Hono context variables set by the session middleware and read by the routes (facade, /api). */
import type { FhirUpstream } from '../fhir/upstream.ts';
import type { Principal } from '../policy/types.ts';
import type { Session } from '../session/types.ts';

export interface GatewayVariables {
  /** A unique id for this request, echoed in X-Request-Id and the audit trail. */
  requestId: string;
  /** The signed-in session (the middleware answers 401 before a route runs without one). */
  session: Session;
  principal: Principal;
  /** The EHR's FHIR API, bound to this session's base URL and token (refreshing it when needed). */
  upstream: FhirUpstream;
}

export interface GatewayEnv {
  Variables: GatewayVariables;
}
