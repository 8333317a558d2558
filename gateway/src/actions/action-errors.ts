/**
 * Errors of the write path, each with a stable code and a sentence in every language the portal speaks. They leave
 * as an OperationOutcome whose `details.coding` names the code (the app picks its own localized sentence by it) and
 * whose `details.text` is the sentence in the request's language (Accept-Language; English when unsure).
 * A feature defines its own errors the same way (new ActionError(status, code, { en, es })).
 */
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { OperationOutcome } from 'fhir/r4';

export const ACTION_ERROR_SYSTEM = 'urn:sprout:action-error';
export const LANGUAGES = ['en', 'es'] as const;
export type Language = (typeof LANGUAGES)[number];
export type Localized = Readonly<Record<Language, string>>;

export class ActionError extends Error {
  readonly status: ContentfulStatusCode;
  readonly code: string;
  readonly text: Localized;
  /** Extra fields for the client (e.g. which field was wrong); never health information. */
  readonly details: Readonly<Record<string, string>> | undefined;
  constructor(status: ContentfulStatusCode, code: string, text: Localized, options?: { cause?: unknown; details?: Readonly<Record<string, string>> }) {
    super(text.en, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ActionError';
    this.status = status;
    this.code = code;
    this.text = text;
    this.details = options?.details;
  }
}

/** The errors every action shares. */
export const COMMON_ERRORS = {
  idempotencyKeyMissing: (): ActionError =>
    new ActionError(400, 'idempotency-key-missing', {
      en: 'This request was refused: it had no valid Idempotency-Key header. Please reload the page and try again.',
      es: 'Se rechazó esta solicitud: no tenía un encabezado Idempotency-Key válido. Vuelva a cargar la página e inténtelo de nuevo.',
    }),
  idempotencyKeyReused: (): ActionError =>
    new ActionError(422, 'idempotency-key-reused', {
      en: 'This request reused the key of a different request. Nothing was changed. Please reload the page and try again.',
      es: 'Esta solicitud reutilizó la clave de otra solicitud. No se cambió nada. Vuelva a cargar la página e inténtelo de nuevo.',
    }),
  inProgress: (): ActionError =>
    new ActionError(409, 'action-in-progress', {
      en: 'We are still working on this request. Please wait a moment.',
      es: 'Todavía estamos procesando esta solicitud. Espere un momento, por favor.',
    }),
  notPermitted: (): ActionError =>
    new ActionError(403, 'not-permitted', {
      en: 'You cannot do this for this person in Sprout. If you think this is wrong, please call the hospital.',
      es: 'No puede hacer esto para esta persona en Sprout. Si cree que es un error, llame al hospital.',
    }),
  invalidInput: (field: string, text: Localized): ActionError => new ActionError(400, 'invalid-input', text, { details: { field } }),
  malformedBody: (): ActionError =>
    new ActionError(400, 'malformed-body', {
      en: 'This request could not be read. Please reload the page and try again.',
      es: 'No se pudo leer esta solicitud. Vuelva a cargar la página e inténtelo de nuevo.',
    }),
  tooLarge: (): ActionError =>
    new ActionError(413, 'too-large', {
      en: 'This request is too large.',
      es: 'Esta solicitud es demasiado grande.',
    }),
  upstreamUnavailable: (cause: unknown): ActionError =>
    new ActionError(
      502,
      'upstream-unavailable',
      {
        en: "The hospital's system isn't answering right now. Nothing was saved there yet; please try again in a few minutes.",
        es: 'El sistema del hospital no responde en este momento. Todavía no se guardó nada allí; inténtelo de nuevo en unos minutos.',
      },
      { cause },
    ),
  upstreamRefused: (status: number): ActionError =>
    new ActionError(502, 'upstream-refused', {
      en: `The hospital's system did not accept this request (${status}). Please call the hospital if it keeps happening.`,
      es: `El sistema del hospital no aceptó esta solicitud (${status}). Llame al hospital si sigue ocurriendo.`,
    }),
} as const;

/** The request's language: the first of Accept-Language's tags that the portal speaks (q-values honoured), else English. */
export function requestLanguage(acceptLanguage: string | undefined): Language {
  if (acceptLanguage === undefined) return 'en';
  const ranked = acceptLanguage
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
      return { primary: tag.trim().toLowerCase().split('-')[0] ?? '', q: q === undefined ? 1 : Number(q), index };
    })
    .filter((entry) => entry.q > 0 && Number.isFinite(entry.q))
    .sort((a, b) => b.q - a.q || a.index - b.index);
  for (const entry of ranked) if ((LANGUAGES as readonly string[]).includes(entry.primary)) return entry.primary as Language;
  return 'en';
}

export function actionErrorOutcome(error: ActionError, language: Language): OperationOutcome {
  const text = error.text[language];
  return {
    resourceType: 'OperationOutcome',
    issue: [
      {
        severity: 'error',
        code: error.status === 403 ? 'forbidden' : error.status === 409 ? 'conflict' : error.status >= 500 ? 'transient' : 'invalid',
        details: { coding: [{ system: ACTION_ERROR_SYSTEM, code: error.code }], text },
        diagnostics: text,
        ...(error.details?.['field'] === undefined ? {} : { expression: [error.details['field']] }),
      },
    ],
  };
}

export function actionErrorResponse(c: Context, error: ActionError): Response {
  c.header('Cache-Control', 'no-store');
  if (error.code === 'action-in-progress') c.header('Retry-After', '1');
  return c.json(actionErrorOutcome(error, requestLanguage(c.req.header('Accept-Language'))), error.status, {
    'Content-Type': 'application/fhir+json; charset=utf-8',
  });
}
