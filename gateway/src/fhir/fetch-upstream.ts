/**
 * The fetch implementation of the FhirUpstream port.
 *
 * Contracts (each one a leak path or an availability bug in peer gateways):
 * - The bearer token is only ever attached to URLs under the base URL's origin AND path prefix. Any other absolute
 *   URL (a paging link, an attachment, a reference to another server) is refused with UpstreamError 'foreign-origin'
 *   before a request is made.
 * - Every request has a deadline (AbortSignal.timeout, combined with the caller's signal).
 * - GETs are retried a bounded number of times with backoff on network errors, timeouts and 502/503/504; POSTs never.
 *   A server's Retry-After (seconds or an HTTP date, as public sandboxes and their proxies send in 502/503/504
 *   bursts) replaces the backoff for that wait; every wait is capped at maxRetryDelayMs, so the number and length of
 *   retries stay bounded whatever the server says.
 * - Bodies are read as a stream and abandoned as soon as they pass maxBytes (a 50 MB bundle costs maxBytes of memory).
 * - A JSON result must be a FHIR resource (an object with a string resourceType); anything else is 'not-fhir'.
 * - 5xx is 'bad-status'; 401/403 is 'unauthorized'. 4xx otherwise come back as `{ ok: false }` for the caller to map
 *   (404/410 are ordinary answers); their bodies are kept only when they are an OperationOutcome, and callers must
 *   never pass them to the browser.
 */
import type { FhirResource } from 'fhir/r4';
import type { FhirUpstream, UpstreamJsonResult, UpstreamReadOptions } from './upstream.ts';
import { UpstreamError } from './upstream.ts';

export interface FetchUpstreamOptions {
  /** FHIR base URL (trailing slash optional). */
  readonly baseUrl: string;
  /** The session's current access token (refreshing it if needed); undefined → no Authorization header (open server). */
  readonly getAccessToken?: () => Promise<string | undefined>;
  readonly fetch?: typeof globalThis.fetch;
  /** Deadline per attempt, in milliseconds. */
  readonly timeoutMs: number;
  /** Largest accepted response body, in bytes. */
  readonly maxBytes: number;
  /** Extra attempts for a GET after the first (0 = no retry). */
  readonly retries: number;
  /** Backoff before retry n (1-based) is retryBackoffMs × 2^(n-1). Default 100. */
  readonly retryBackoffMs?: number;
  /** Longest wait before one retry, Retry-After included. Default 2000. */
  readonly maxRetryDelayMs?: number;
  /** Waits between attempts (tests record the waits instead of spending them). Default: a timer the caller's signal ends. */
  readonly sleep?: (ms: number, signal: AbortSignal | undefined) => Promise<void>;
}

const FHIR_JSON = 'application/fhir+json';
const RETRYABLE_STATUSES = new Set([502, 503, 504]);
const DEFAULT_MAX_RETRY_DELAY_MS = 2_000;

/** The wait a failed answer asked for in its Retry-After header, per error (kept beside it, not on it). */
const retryAfterOf = new WeakMap<UpstreamError, number>();

/** Retry-After as milliseconds from `now`: delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (value === null) return undefined;
  const trimmed = value.trim();
  if (/^\d{1,9}$/.test(trimmed)) return Number(trimmed) * 1000;
  if (!/^[A-Za-z]{3}, \d{2} [A-Za-z]{3} \d{4} \d{2}:\d{2}:\d{2} GMT$/.test(trimmed)) return undefined; // IMF-fixdate only
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

export function createFetchUpstream(options: FetchUpstreamOptions): FhirUpstream {
  const base = parseBase(options.baseUrl);
  if (!Number.isFinite(options.timeoutMs) || options.timeoutMs <= 0) throw new Error('timeoutMs must be a positive number.');
  if (!Number.isFinite(options.maxBytes) || options.maxBytes <= 0) throw new Error('maxBytes must be a positive number.');
  if (!Number.isInteger(options.retries) || options.retries < 0 || options.retries > 5) throw new Error('retries must be 0–5.');
  const doFetch = options.fetch ?? globalThis.fetch;
  const backoffMs = options.retryBackoffMs ?? 100;
  const maxDelayMs = options.maxRetryDelayMs ?? DEFAULT_MAX_RETRY_DELAY_MS;
  const wait = options.sleep ?? sleep;

  /** Resolves `path` against the base and refuses anything outside it. The one gate in front of the token. */
  function resolveOnBase(path: string): URL {
    let url: URL;
    try {
      url = new URL(path, base.href);
    } catch (cause) {
      throw new UpstreamError('foreign-origin', 'The upstream address is not a valid URL.', { cause });
    }
    const sameOrigin = url.origin === base.origin;
    const underPrefix = url.pathname === base.pathnameNoSlash || url.pathname.startsWith(base.pathname);
    if (!sameOrigin || !underPrefix || url.username !== '' || url.password !== '') {
      throw new UpstreamError('foreign-origin', 'Refused to contact an address outside the FHIR server.');
    }
    // "Patient/../../admin" is normalised by URL(); the prefix check above ran on the normalised path.
    url.hash = '';
    return url;
  }

  async function headersFor(accept: string, contentType?: string): Promise<Headers> {
    const headers = new Headers({ accept });
    if (contentType !== undefined) headers.set('content-type', contentType);
    const token = options.getAccessToken === undefined ? undefined : await options.getAccessToken();
    if (token !== undefined) headers.set('authorization', `Bearer ${token}`);
    return headers;
  }

  /** One attempt with its own deadline; the returned signal stays live while the body is read. */
  async function attempt(url: URL, init: RequestInit, callerSignal: AbortSignal | undefined): Promise<Response> {
    const deadline = AbortSignal.timeout(options.timeoutMs);
    const signal = callerSignal === undefined ? deadline : AbortSignal.any([deadline, callerSignal]);
    try {
      return await doFetch(url, { ...init, signal, redirect: 'manual' });
    } catch (cause) {
      throw classifyFetchError(cause, deadline);
    }
  }

  async function withRetries<T>(method: 'GET' | 'POST', run: () => Promise<T>, signal: AbortSignal | undefined): Promise<T> {
    const attempts = method === 'GET' ? options.retries + 1 : 1;
    for (let n = 1; ; n += 1) {
      try {
        return await run();
      } catch (error) {
        const retryable =
          error instanceof UpstreamError &&
          (error.failure === 'network' ||
            error.failure === 'timeout' ||
            (error.failure === 'bad-status' && error.status !== undefined && RETRYABLE_STATUSES.has(error.status)));
        if (!retryable || n >= attempts || signal?.aborted === true) throw error;
        const asked = retryAfterOf.get(error);
        await wait(Math.min(maxDelayMs, asked ?? backoffMs * 2 ** (n - 1)), signal);
      }
    }
  }

  async function requestJson(
    method: 'GET' | 'POST' | 'PUT',
    path: string,
    body: unknown,
    readOptions: UpstreamReadOptions | undefined,
    extraHeaders: Readonly<Record<string, string>> = {},
  ): Promise<UpstreamJsonResult> {
    const url = resolveOnBase(path);
    return withRetries(
      method === 'GET' ? 'GET' : 'POST',
      async () => {
        const headers = await headersFor(FHIR_JSON, method === 'GET' ? undefined : FHIR_JSON);
        for (const [name, value] of Object.entries(extraHeaders)) headers.set(name, value);
        const init: RequestInit = { method, headers };
        if (method !== 'GET') init.body = JSON.stringify(body);
        const response = await attempt(url, init, readOptions?.signal);
        return interpretJson(response, options.maxBytes, options.timeoutMs);
      },
      readOptions?.signal,
    );
  }

  return {
    baseUrl: base.hrefNoSlash,
    getJson: (path, readOptions) => requestJson('GET', path, undefined, readOptions),
    postJson: (path, body, readOptions) => requestJson('POST', path, body, readOptions),
    writeJson: (method, path, body, writeOptions) =>
      requestJson(method, path, body, writeOptions, {
        prefer: 'return=representation',
        ...(writeOptions?.ifMatch === undefined ? {} : { 'if-match': writeOptions.ifMatch }),
        ...(writeOptions?.ifNoneExist === undefined ? {} : { 'if-none-exist': writeOptions.ifNoneExist }),
      }),
    async getRaw(path, readOptions) {
      const url = resolveOnBase(path);
      return withRetries(
        'GET',
        async () => {
          const headers = await headersFor(readOptions?.accept ?? '*/*');
          const response = await attempt(url, { method: 'GET', headers }, readOptions?.signal);
          checkStatus(response);
          if (!response.ok) return response;
          const declared = Number(response.headers.get('content-length') ?? '0');
          if (declared > options.maxBytes) {
            await response.body?.cancel();
            throw new UpstreamError('oversize', 'The upstream document is larger than the gateway accepts.');
          }
          // The body is capped while it streams through: past maxBytes the stream errors and the client sees a cut.
          const capped = response.body === null ? null : response.body.pipeThrough(byteCap(options.maxBytes));
          return new Response(capped, { status: response.status, headers: response.headers });
        },
        readOptions?.signal,
      );
    },
  };
}

interface ParsedBase {
  readonly href: string;
  readonly hrefNoSlash: string;
  readonly origin: string;
  /** Path prefix with a trailing slash: "/fhir/R4/". */
  readonly pathname: string;
  readonly pathnameNoSlash: string;
}

function parseBase(baseUrl: string): ParsedBase {
  const url = new URL(baseUrl);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error('The FHIR base URL must be http(s).');
  if (url.search !== '' || url.hash !== '' || url.username !== '' || url.password !== '') {
    throw new Error('The FHIR base URL must not carry a query, fragment or credentials.');
  }
  const pathnameNoSlash = url.pathname.replace(/\/+$/, '');
  const pathname = `${pathnameNoSlash}/`;
  return { href: `${url.origin}${pathname}`, hrefNoSlash: `${url.origin}${pathnameNoSlash}`, origin: url.origin, pathname, pathnameNoSlash };
}

function checkStatus(response: Response): void {
  if (response.status >= 300 && response.status < 400) {
    // Redirects are not followed (they could lead the token elsewhere); treat as a broken upstream.
    void response.body?.cancel();
    throw new UpstreamError('bad-status', `The FHIR server answered with a redirect (${response.status}).`, { status: response.status });
  }
  if (response.status === 401 || response.status === 403) {
    void response.body?.cancel();
    throw new UpstreamError('unauthorized', 'The FHIR server refused the session’s credentials.', { status: response.status });
  }
  if (response.status >= 500) {
    void response.body?.cancel();
    const error = new UpstreamError('bad-status', `The FHIR server failed (${response.status}).`, { status: response.status });
    const retryAfter = parseRetryAfter(response.headers.get('retry-after'), Date.now());
    if (retryAfter !== undefined) retryAfterOf.set(error, retryAfter);
    throw error;
  }
}

async function interpretJson(response: Response, maxBytes: number, timeoutMs: number): Promise<UpstreamJsonResult> {
  checkStatus(response);
  const text = await readCapped(response, maxBytes, timeoutMs);
  let parsed: unknown;
  try {
    parsed = text === '' ? undefined : JSON.parse(text);
  } catch (cause) {
    // A 4xx with a non-JSON body is still a plain "no" (its text is dropped); a 2xx must be FHIR.
    if (!response.ok) return { ok: false, status: response.status, headers: response.headers };
    throw new UpstreamError('not-fhir', 'The FHIR server sent malformed JSON.', { cause, status: response.status });
  }
  const resource = isResource(parsed) ? parsed : undefined;
  if (response.ok) {
    if (resource === undefined) throw new UpstreamError('not-fhir', 'The FHIR server sent something that is not a FHIR resource.', { status: response.status });
    return { ok: true, status: response.status, resource, headers: response.headers };
  }
  return resource?.resourceType === 'OperationOutcome'
    ? { ok: false, status: response.status, outcome: resource, headers: response.headers }
    : { ok: false, status: response.status, headers: response.headers };
}

/** A JSON object with a plausible resourceType; its shape is checked by whoever reads it (the facade judges it). */
function isResource(value: unknown): value is FhirResource {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    typeof (value as { resourceType?: unknown }).resourceType === 'string' &&
    /^[A-Z][A-Za-z]{1,63}$/.test((value as { resourceType: string }).resourceType)
  );
}

/** Reads the body as UTF-8 text, giving up (and cancelling the stream) once it passes maxBytes. */
async function readCapped(response: Response, maxBytes: number, timeoutMs: number): Promise<string> {
  const declared = Number(response.headers.get('content-length') ?? '0');
  if (declared > maxBytes) {
    await response.body?.cancel();
    throw new UpstreamError('oversize', 'The FHIR server’s answer is larger than the gateway accepts.');
  }
  if (response.body === null) return '';
  const reader = response.body.getReader();
  const decoder = new TextDecoder('utf-8');
  const parts: string[] = [];
  let received = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      received += value.byteLength;
      if (received > maxBytes) {
        await reader.cancel();
        throw new UpstreamError('oversize', 'The FHIR server’s answer is larger than the gateway accepts.');
      }
      parts.push(decoder.decode(value, { stream: true }));
    }
    parts.push(decoder.decode());
  } catch (error) {
    if (error instanceof UpstreamError) throw error;
    // The per-attempt deadline aborts the body stream as well: a server that trickles bytes still ends in bounded time.
    throw new UpstreamError(isAbort(error) ? 'timeout' : 'network', `Reading the FHIR server’s answer failed (limit ${timeoutMs} ms).`, { cause: error });
  } finally {
    reader.releaseLock();
  }
  return parts.join('');
}

function byteCap(maxBytes: number): TransformStream<Uint8Array, Uint8Array> {
  let seen = 0;
  return new TransformStream({
    transform(chunk, controller) {
      seen += chunk.byteLength;
      if (seen > maxBytes) {
        controller.error(new UpstreamError('oversize', 'The upstream document is larger than the gateway accepts.'));
        return;
      }
      controller.enqueue(chunk);
    },
  });
}

function classifyFetchError(cause: unknown, deadline: AbortSignal): UpstreamError {
  if (cause instanceof UpstreamError) return cause;
  if (deadline.aborted) return new UpstreamError('timeout', 'The FHIR server did not answer in time.', { cause });
  if (isAbort(cause)) return new UpstreamError('timeout', 'The request was cancelled.', { cause });
  return new UpstreamError('network', 'The FHIR server could not be reached.', { cause });
}

function isAbort(error: unknown): boolean {
  return error instanceof Error && (error.name === 'AbortError' || error.name === 'TimeoutError');
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });
}
