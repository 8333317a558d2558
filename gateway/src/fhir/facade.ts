/**
 * The policy-enforcing FHIR facade, mounted at /fhir on the portal's origin.
 *
 * Pipeline (fhirFacade, below, top to bottom): parse the request → refuse what is not allowed → the principal's
 * facts (who they may see, and how much) → upstream call → judge every resource, nested ones included, after
 * resolving what the classifier follows → trim (_elements/_summary, after deciding) → response + audit rows (one
 * per patient disclosed).
 *
 * Where each part lives:
 * - parse-request.ts: refusals (no Bundle.total; `_total`, `_summary=count`, `_has`, chains, `_filter`, operations,
 *   GraphQL), before any upstream call.
 * - facade-read.ts: read, vread and the current-version gate (a hidden current version hides every version).
 * - facade-search.ts: searches, histories, judge-ahead paging with sealed cursors (cursor.ts), includes, reference
 *   parameters naming records the principal cannot see.
 * - facade-batch.ts, facade-binary.ts: batch entries; Binary only through a visible carrier.
 * - facade-context.ts: shared context, presentation, upstream-answer and failure mapping.
 * - request-policy.ts: per-request facts and judging; audit.ts: the audit rows.
 *
 * Hidden, missing, deleted and malformed ids answer with the one notFound() (same status, body, headers; no ETag /
 * Last-Modified), and — facts first, then the read — cost the same upstream work up to the point the record's own
 * content is judged (docs/facade.md, "One 404").
 * Fail closed: any throw while judging or filtering answers 500/502/504 with a fixed message, never upstream bytes.
 *
 * Patient searches (`Patient`, `Patient?_id=…`): served only within the principal's permitted patients (a guardian
 * listing their children); `_id` values outside that set match nothing.
 */
import { Hono } from 'hono';
import { operationOutcome } from '../errors.ts';
import type { Clock } from '../http/clock.ts';
import type { GatewayEnv } from '../http/context.ts';
import type { HospitalProfile } from '../policy/index.ts';
import type { Store } from '../store/types.ts';
import { AuditTally, buildAuditRecords } from './audit.ts';
import { executeBatch } from './facade-batch.ts';
import type { FacadeLimits, FacadeResult, RequestContext } from './facade-context.ts';
import { DEFAULT_FACADE_LIMITS, toFacadeError } from './facade-context.ts';
import { execute } from './interactions.ts';
import { refused } from './outcome.ts';
import type { FacadeRequest } from './parse-request.ts';
import { parseFacadeRequest } from './parse-request.ts';
import { createRequestPolicy } from './request-policy.ts';
import { sessionFactsKey, type FactsCache } from '../access/facts-cache.ts';

export type { FacadeLimits } from './facade-context.ts';
export { DEFAULT_FACADE_LIMITS } from './facade-context.ts';

export interface FhirFacadeOptions {
  readonly profile: HospitalProfile;
  readonly store: Store;
  readonly clock: Clock;
  /** Deployment secret mixed into the cursor key (optional; the session secret alone already binds cursors). */
  readonly cursorKey?: string;
  readonly limits?: Partial<FacadeLimits>;
  /** Where the facade is mounted (default "/fhir"); used to read the path and to build links. */
  readonly basePath?: string;
  /** Policy facts kept per session for a bounded time (access/facts-cache.ts); without it each request reads them. */
  readonly factsCache?: FactsCache;
}

const JSON_HEADERS: Readonly<Record<string, string>> = {
  'content-type': 'application/fhir+json; charset=utf-8',
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
};

export function createFhirFacade(options: FhirFacadeOptions): Hono<GatewayEnv> {
  const limits: FacadeLimits = { ...DEFAULT_FACADE_LIMITS, ...options.limits };
  for (const [name, value] of Object.entries(limits)) {
    if (!Number.isInteger(value) || value <= 0) throw new Error(`Facade limit ${name} must be a positive integer.`);
  }
  if (limits.defaultPageSize > limits.maxPageSize || limits.maxPageSize > limits.upstreamPageSize) {
    throw new Error('Facade limits must satisfy defaultPageSize ≤ maxPageSize ≤ upstreamPageSize.');
  }
  const basePath = (options.basePath ?? '/fhir').replace(/\/+$/, '');
  const { profile, store, clock } = options;
  const segmentsOf = (pathname: string): string[] => pathSegments(pathname, basePath);

  const app = new Hono<GatewayEnv>();

  app.all('*', async function fhirFacade(c) {
    const now = clock.now();
    const principal = c.get('principal');
    const session = c.get('session');
    const upstream = c.get('upstream');
    const tally = new AuditTally();
    const url = new URL(c.req.url);
    let action = 'unknown';
    let askedPatient: string | undefined;
    let failed: 'denied' | 'error' | undefined;
    let result: FacadeResult;
    try {
      // 1–2. Parse, and refuse what the facade cannot vouch for (no upstream call has happened yet).
      const request = parseFacadeRequest(c.req.method, segmentsOf(url.pathname), url.searchParams, limits);
      action = actionOf(request);
      askedPatient = askedPatientOf(request);
      const launchPatient = session.launchContext?.['patient'];
      const context: RequestContext = {
        policy: createRequestPolicy({
          upstream,
          principal,
          profile,
          asOf: new Date(now),
          ...(typeof launchPatient === 'string' ? { launchPatientId: launchPatient } : {}),
          signal: c.req.raw.signal,
          ...(options.factsCache === undefined ? {} : { facts: options.factsCache.forSession(sessionFactsKey(session.id, principal.reference, session.fhirBaseUrl)) }),
        }),
        upstream,
        session,
        principal,
        tally,
        facadeBase: `${url.origin}${basePath}`,
        basePath,
        selfUrl: url.href,
        accept: c.req.header('accept') ?? '',
        now,
        profile,
        limits,
        cursorKey: options.cursorKey,
      };
      // 3–7. Facts, upstream call, judging and trimming happen inside execute().
      result = request.kind === 'batch' ? await executeBatch(c, context, segmentsOf) : await execute(request, context);
    } catch (error) {
      // Fail closed: whatever threw (a refusal, the classifier, the filter, the upstream), the answer is a fixed
      // OperationOutcome. The upstream's body is never passed on, and nothing gathered so far is sent.
      const mapped = toFacadeError(error);
      failed = mapped.status === 404 ? undefined : mapped.status < 500 ? 'denied' : 'error';
      if (mapped.status === 404) tally.reasons.add('not-found-or-hidden');
      if (mapped.status >= 500) tally.reasons.add(`failed-${mapped.code}`);
      result = { status: mapped.status, resource: operationOutcome(mapped.code, mapped.message) };
    }

    // 8. Audit (one row per patient disclosed), then respond. An unrecorded disclosure is not allowed: if an audit
    // write fails, nothing is returned.
    try {
      const rows = buildAuditRecords({
        recorded: now,
        requestId: c.get('requestId'),
        actor: principal.fhirUser,
        action,
        query: `${c.req.method} ${url.pathname}${url.search}`,
        failed,
        askedPatient,
        tally,
      });
      for (const row of rows) await store.audit.append(row);
    } catch {
      result = { status: 500, resource: operationOutcome('exception', 'The request could not be recorded, so nothing was returned.') };
    }
    return toResponse(result);
  });

  return app;
}

function toResponse(result: FacadeResult): Response {
  if ('resource' in result) {
    return new Response(JSON.stringify(result.resource), { status: result.status, headers: JSON_HEADERS });
  }
  // Document bytes on the portal's origin: never rendered as active content (no script, no sniffing).
  const inline = /^(application\/pdf|image\/(png|jpeg|gif)|text\/plain)$/.test(result.contentType);
  return new Response(new Blob([new Uint8Array(result.bytes)]), {
    status: result.status,
    headers: {
      'content-type': result.contentType.replace(/[^\w.+\-/=; ]/g, ''),
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      'content-security-policy': "sandbox; default-src 'none'",
      'content-disposition': inline ? 'inline' : 'attachment',
    },
  });
}

function pathSegments(pathname: string, basePath: string): string[] {
  const rest = pathname.startsWith(basePath) ? pathname.slice(basePath.length) : pathname;
  try {
    return rest
      .split('/')
      .filter((segment) => segment !== '')
      .map((segment) => decodeURIComponent(segment));
  } catch {
    throw refused('The address is not valid.');
  }
}

function actionOf(request: FacadeRequest): string {
  switch (request.kind) {
    case 'read':
    case 'vread':
    case 'history':
    case 'search':
    case 'batch':
    case 'binary':
      return request.kind;
    case 'page':
      return 'search';
    case 'capabilities':
      return 'capabilities';
    default:
      return 'unknown';
  }
}

function askedPatientOf(request: FacadeRequest): string | undefined {
  if ((request.kind === 'read' || request.kind === 'vread' || request.kind === 'history') && request.type === 'Patient') return `Patient/${request.id}`;
  if (request.kind === 'search' && request.query.patientIds.length === 1) return `Patient/${request.query.patientIds[0] ?? ''}`;
  return undefined;
}
