/** Runs one parsed interaction (a whole request, or one batch entry) to its FacadeResult. */
import { capabilityStatement } from './capability.ts';
import { executeBinary } from './facade-binary.ts';
import type { FacadeResult, RequestContext } from './facade-context.ts';
import { executeRead, executeVread } from './facade-read.ts';
import { executePage, executePaged } from './facade-search.ts';
import { refused } from './outcome.ts';
import type { FacadeRequest } from './parse-request.ts';

export async function execute(request: Exclude<FacadeRequest, { kind: 'batch' }>, context: RequestContext): Promise<FacadeResult> {
  switch (request.kind) {
    case 'capabilities':
      return { status: 200, resource: capabilityStatement(context.now) };
    case 'read':
      return executeRead(request.type, request.id, request, context);
    case 'vread':
      return executeVread(request.type, request.id, request.versionId, request, context);
    case 'history':
      return executePaged({ ...request, kind: 'history' }, undefined, context);
    case 'search':
      return executePaged({ kind: 'search', query: request.query }, undefined, context);
    case 'page':
      return executePage(request.cursor, context);
    case 'binary':
      return executeBinary(request.id, context);
    default:
      throw refused('This interaction is not supported by this gateway.');
  }
}
