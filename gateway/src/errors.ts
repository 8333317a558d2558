/**
 * Errors leave the gateway as FHIR OperationOutcome JSON through one `app.onError` (createErrorHandler).
 * `HttpError` carries a status and a message that is safe to show; anything else becomes a generic 500 whose details
 * stay in the log (logged once, here, with the request id). `cause` is kept on every error for the log.
 */
import type { Context, ErrorHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { OperationOutcome } from 'fhir/r4';
import { UpstreamError } from './fhir/upstream.ts';
import type { Logger } from './http/logger.ts';

/** FHIR issue-type codes the gateway uses (http://hl7.org/fhir/issue-type). */
export type IssueCode =
  | 'invalid'
  | 'security'
  | 'login'
  | 'forbidden'
  | 'not-found'
  | 'not-supported'
  | 'exception'
  | 'timeout'
  | 'processing'
  | 'too-costly'
  | 'expired';

export class HttpError extends Error {
  readonly status: ContentfulStatusCode;
  readonly issueCode: IssueCode;
  constructor(status: ContentfulStatusCode, issueCode: IssueCode, publicMessage: string, options?: { cause?: unknown }) {
    super(publicMessage, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'HttpError';
    this.status = status;
    this.issueCode = issueCode;
  }
}

/** The one OperationOutcome shape every gateway error leaves in: the message as diagnostics and as details.text. */
export function operationOutcome(issueCode: IssueCode, message: string, severity: 'error' | 'fatal' = 'error'): OperationOutcome {
  return { resourceType: 'OperationOutcome', issue: [{ severity, code: issueCode, diagnostics: message, details: { text: message } }] };
}

interface Mapped {
  readonly status: ContentfulStatusCode;
  readonly issueCode: IssueCode;
  readonly message: string;
}

function mapError(err: unknown): Mapped {
  if (err instanceof HttpError) return { status: err.status, issueCode: err.issueCode, message: err.message };
  if (err instanceof UpstreamError) {
    switch (err.failure) {
      case 'timeout':
        return { status: 504, issueCode: 'timeout', message: 'The health record system did not answer in time.' };
      case 'unauthorized':
        return { status: 401, issueCode: 'login', message: 'Your sign-in has ended. Please sign in again.' };
      case 'foreign-origin':
        return { status: 502, issueCode: 'security', message: 'The health record system answered with a link the portal will not follow.' };
      case 'network':
      case 'bad-status':
      case 'not-fhir':
      case 'oversize':
        return { status: 502, issueCode: 'exception', message: 'The health record system could not be reached or answered badly.' };
    }
  }
  if (err instanceof HTTPException) {
    return { status: err.status, issueCode: err.status === 401 ? 'login' : err.status === 403 ? 'forbidden' : 'invalid', message: err.message || 'Request refused.' };
  }
  return { status: 500, issueCode: 'exception', message: 'Something went wrong in the portal.' };
}

/** The error chain as safe log fields: names and messages only (our messages never contain tokens). */
function describeChain(err: unknown): string {
  const parts: string[] = [];
  let current: unknown = err;
  for (let depth = 0; current !== undefined && current !== null && depth < 5; depth++) {
    if (current instanceof Error) {
      parts.push(`${current.name}: ${current.message}`);
      current = current.cause;
    } else {
      parts.push(String(current).slice(0, 200));
      break;
    }
  }
  return parts.join(' <- ');
}

/** The one error handler: OperationOutcome JSON, logged once with the request id, no-store. */
export function createErrorHandler(logger: Logger): ErrorHandler {
  return function handleError(err: Error, c: Context): Response {
    const mapped = mapError(err);
    const requestId: unknown = c.get('requestId');
    const fields = {
      requestId: typeof requestId === 'string' ? requestId : undefined,
      status: mapped.status,
      method: c.req.method,
      path: c.req.path,
      error: describeChain(err),
    };
    if (mapped.status >= 500) logger.error('request failed', fields);
    else logger.info('request refused', fields);
    c.header('Cache-Control', 'no-store');
    return c.json(operationOutcome(mapped.issueCode, mapped.message), mapped.status, { 'Content-Type': 'application/fhir+json; charset=utf-8' });
  };
}
