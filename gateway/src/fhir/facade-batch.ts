/**
 * Batch bundles of reads. Each entry runs through the same pipeline as a request of its own and fails on its own with
 * the same fixed answers (a hidden entry and a missing one are the same 404 entry). Transactions (writes) are refused.
 */
import type { Bundle, BundleEntry } from 'fhir/r4';
import type { Context } from 'hono';
import { operationOutcome } from '../errors.ts';
import type { GatewayEnv } from '../http/context.ts';
import type { FacadeResult, RequestContext } from './facade-context.ts';
import { toFacadeError } from './facade-context.ts';
import { execute } from './interactions.ts';
import { FacadeError, refused } from './outcome.ts';
import { parseFacadeRequest } from './parse-request.ts';

export async function executeBatch(c: Context<GatewayEnv>, context: RequestContext, pathSegments: (pathname: string) => string[]): Promise<FacadeResult> {
  const body = await readRequestJson(c, context.limits.maxRequestBytes);
  if (typeof body !== 'object' || body === null || (body as { resourceType?: unknown }).resourceType !== 'Bundle') {
    throw new FacadeError(400, 'invalid', 'A batch must be a FHIR Bundle.');
  }
  const bundle = body as Bundle;
  if (!Array.isArray(bundle.entry ?? [])) throw new FacadeError(400, 'invalid', 'A batch must be a FHIR Bundle.');
  if (bundle.type !== 'batch') throw new FacadeError(405, 'not-supported', 'Only batch bundles of reads are accepted; transactions are writes.');
  const requests = bundle.entry ?? [];
  if (requests.length > context.limits.maxBatchEntries) throw refused(`A batch may hold at most ${context.limits.maxBatchEntries} entries.`);
  const answers: BundleEntry[] = [];
  // Sequential on purpose: entries share this request's caches, and one batch must not fan out unboundedly.
  for (const entry of requests) {
    answers.push(await executeBatchEntry(entry, context, pathSegments));
  }
  const response: Bundle = { resourceType: 'Bundle', type: 'batch-response', entry: answers };
  return { status: 200, resource: response };
}

async function executeBatchEntry(entry: BundleEntry, context: RequestContext, pathSegments: (pathname: string) => string[]): Promise<BundleEntry> {
  try {
    const method = entry.request?.method;
    const target = entry.request?.url;
    if (method !== 'GET' || typeof target !== 'string') {
      throw new FacadeError(405, 'not-supported', 'Batch entries must be reads (GET).');
    }
    const url = new URL(target, `${context.facadeBase}/`);
    if (url.origin !== new URL(context.facadeBase).origin) throw refused('Batch entries must be relative URLs.');
    const path = url.pathname.startsWith(`${context.basePath}/`) ? url.pathname : `${context.basePath}/${url.pathname.replace(/^\/+/, '')}`;
    const request = parseFacadeRequest('GET', pathSegments(path), url.searchParams, context.limits);
    if (request.kind === 'batch' || request.kind === 'binary') throw refused('This interaction is not available inside a batch.');
    const result = await execute(request, { ...context, selfUrl: url.href });
    if (!('resource' in result)) throw refused('This interaction is not available inside a batch.');
    return { resource: result.resource, response: { status: String(result.status) } };
  } catch (error) {
    // Same fail-closed mapping as a whole request, per entry: fixed messages, never upstream bytes.
    const mapped = toFacadeError(error);
    return { response: { status: String(mapped.status), outcome: operationOutcome(mapped.code, mapped.message) } };
  }
}

async function readRequestJson(c: Context<GatewayEnv>, maxBytes: number): Promise<unknown> {
  const declared = Number(c.req.header('content-length') ?? '0');
  if (declared > maxBytes) throw new FacadeError(413, 'too-costly', 'The request is too large.');
  const body = c.req.raw.body;
  if (body === null) throw new FacadeError(400, 'invalid', 'A batch must be a FHIR Bundle.');
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw new FacadeError(413, 'too-costly', 'The request is too large.');
    }
    chunks.push(value);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new FacadeError(400, 'invalid', 'The request body is not valid JSON.');
  }
}
