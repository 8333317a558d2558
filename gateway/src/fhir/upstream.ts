/**
 * The one outbound FHIR port. Everything the gateway reads from the EHR goes through a FhirUpstream,
 * bound to one FHIR base URL and one session's credentials. The token never leaves this object:
 * requests to any origin other than the base's are refused before a byte is sent.
 */
import type { FhirResource } from 'fhir/r4';

export interface UpstreamReadOptions {
  readonly signal?: AbortSignal;
}

export interface UpstreamWriteOptions extends UpstreamReadOptions {
  /** Versioned update: `W/"3"`; the server answers 412 when the resource changed since. */
  readonly ifMatch?: string;
  /** Conditional create: a search ("identifier=urn:…|key"); the server creates nothing when it matches. */
  readonly ifNoneExist?: string;
}

export type UpstreamJsonResult =
  | { readonly ok: true; readonly status: number; readonly resource: FhirResource; readonly headers: Headers }
  | { readonly ok: false; readonly status: number; readonly outcome?: FhirResource; readonly headers: Headers };

export interface FhirUpstream {
  /** The FHIR base URL, without a trailing slash. */
  readonly baseUrl: string;
  /**
   * GET a FHIR JSON resource. `path` is relative to the base ("Patient/1", "Observation?patient=1") or an absolute
   * URL on the base's origin. Throws UpstreamError for timeouts, network errors, oversize or non-FHIR bodies.
   */
  getJson(path: string, options?: UpstreamReadOptions): Promise<UpstreamJsonResult>;
  /** POST a FHIR JSON body (batch bundles, product actions). Never retried. */
  postJson(path: string, body: unknown, options?: UpstreamReadOptions): Promise<UpstreamJsonResult>;
  /**
   * Write one resource for a product action (gateway/src/actions): POST `Type` (create) or PUT `Type/id` (update),
   * with optional conditional headers. Asks for the stored resource back. Never retried (the action's idempotency key
   * and `ifNoneExist` make a retry safe, not the transport). 409/412 come back as `{ ok: false }`.
   */
  writeJson(method: 'POST' | 'PUT', path: string, body: unknown, options?: UpstreamWriteOptions): Promise<UpstreamJsonResult>;
  /** GET raw bytes (Binary, attachments) as a streamed Response, same origin rule and limits. */
  getRaw(path: string, options?: UpstreamReadOptions & { readonly accept?: string }): Promise<Response>;
}

export const UPSTREAM_FAILURES = ['timeout', 'network', 'bad-status', 'not-fhir', 'oversize', 'foreign-origin', 'unauthorized'] as const;
export type UpstreamFailure = (typeof UPSTREAM_FAILURES)[number];

/** Thrown by a FhirUpstream; the facade maps it to a 502/504 OperationOutcome. */
export class UpstreamError extends Error {
  readonly failure: UpstreamFailure;
  readonly status: number | undefined;
  constructor(failure: UpstreamFailure, message: string, options?: { status?: number; cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'UpstreamError';
    this.failure = failure;
    this.status = options?.status;
  }
}
