/**
 * The SMART client's own small HTTP helper (discovery, JWKS, token, revocation): a timeout, a response-size cap,
 * JSON only, no redirects followed (a redirect could carry the client secret or a code to another host).
 */
export type FetchLike = (input: Request | string | URL, init?: RequestInit) => Promise<Response>;

export const SMART_HTTP_TIMEOUT_MS = 10_000;
export const SMART_HTTP_MAX_BYTES = 512 * 1024;

/** A failure talking to the authorization server; `message` is safe to log (never includes tokens or bodies). */
export class SmartError extends Error {
  readonly kind: 'network' | 'timeout' | 'bad-response' | 'refused' | 'invalid-grant' | 'forbidden-origin' | 'id-token';
  constructor(kind: SmartError['kind'], message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'SmartError';
    this.kind = kind;
  }
}

async function readCapped(response: Response, maxBytes: number): Promise<string> {
  if (response.body === null) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      throw new SmartError('bad-response', `response larger than ${maxBytes} bytes`);
    }
    chunks.push(value);
  }
  return new TextDecoder().decode(Buffer.concat(chunks));
}

export interface JsonResponse {
  readonly status: number;
  readonly ok: boolean;
  readonly body: unknown;
}

/** Fetch and parse JSON. Throws SmartError for network errors, timeouts, oversize or non-JSON bodies. */
export async function fetchJson(fetchFn: FetchLike, url: string, init: RequestInit = {}): Promise<JsonResponse> {
  let response: Response;
  try {
    response = await fetchFn(url, {
      ...init,
      redirect: 'manual',
      signal: AbortSignal.timeout(SMART_HTTP_TIMEOUT_MS),
      headers: { Accept: 'application/json', ...(init.headers as Record<string, string> | undefined) },
    });
  } catch (cause) {
    const timedOut = cause instanceof Error && (cause.name === 'TimeoutError' || cause.name === 'AbortError');
    throw new SmartError(timedOut ? 'timeout' : 'network', `${init.method ?? 'GET'} ${new URL(url).origin}${new URL(url).pathname} failed`, { cause });
  }
  const text = await readCapped(response, SMART_HTTP_MAX_BYTES);
  if (text.trim() === '') return { status: response.status, ok: response.ok, body: undefined };
  try {
    return { status: response.status, ok: response.ok, body: JSON.parse(text) as unknown };
  } catch (cause) {
    throw new SmartError('bad-response', `${new URL(url).pathname} answered ${response.status} with a body that is not JSON`, { cause });
  }
}
