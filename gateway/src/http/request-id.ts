/** Gives every request an id (X-Request-Id on the response, `requestId` in the context, the audit trail and the log). */
import { randomUUID } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import type { GatewayEnv } from './context.ts';

export function requestId(): MiddlewareHandler<GatewayEnv> {
  return async function assignRequestId(c, next) {
    // Never trust an incoming id: it would let a caller forge entries that look related in the audit trail.
    const id = randomUUID();
    c.set('requestId', id);
    c.header('X-Request-Id', id);
    await next();
  };
}
