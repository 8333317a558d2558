/**
 * Every error the facade sends is a FHIR OperationOutcome with a human message. Messages are fixed strings chosen
 * here: they never contain a resource id, a reference, an upstream body or an upstream status text, so an error
 * cannot confirm that a hidden resource exists.
 */
import type { IssueCode } from '../errors.ts';

export class FacadeError extends Error {
  readonly status: number;
  readonly code: IssueCode;
  constructor(status: number, code: IssueCode, message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'FacadeError';
    this.status = status;
    this.code = code;
  }
}

/**
 * The one answer for "hidden" and for "absent". Both go through this constant, with the same status, body and
 * headers, so the two cannot be told apart.
 */
export const NOT_FOUND_MESSAGE = 'This record was not found, or you do not have access to it.';

export function notFound(): FacadeError {
  return new FacadeError(404, 'not-found', NOT_FOUND_MESSAGE);
}

export function refused(message: string): FacadeError {
  return new FacadeError(400, 'not-supported', message);
}
