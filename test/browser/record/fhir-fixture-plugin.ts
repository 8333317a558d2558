/**
 * A Vite plugin answering /fhir/* from in-memory FHIR JSON, standing in for the gateway's facade in the record
 * page's browser tests (the lead's end-to-end tests run the real gateway and sandbox). It records every request,
 * answers unknown paths with a 404 OperationOutcome (as the gateway does for hidden and missing alike), and can be
 * told to fail the next N requests with 503.
 */
import type { Plugin } from 'vite';

export interface FhirFixtureServer {
  readonly plugin: Plugin;
  /** Request paths with query, in arrival order. */
  readonly requests: string[];
  /** Responses by exact path+query, or by path prefix ending in '?'. */
  readonly routes: Map<string, unknown>;
  failNext(count: number): void;
}

export function createFhirFixtureServer(): FhirFixtureServer {
  const requests: string[] = [];
  const routes = new Map<string, unknown>();
  let failures = 0;
  const plugin: Plugin = {
    name: 'sprout-fhir-fixtures',
    configureServer(server) {
      server.middlewares.use('/fhir', (request, response) => {
        const path = `/fhir${request.url ?? ''}`;
        requests.push(path);
        const send = (status: number, body: unknown): void => {
          response.statusCode = status;
          response.setHeader('Content-Type', 'application/fhir+json');
          response.end(JSON.stringify(body));
        };
        if (failures > 0) {
          failures -= 1;
          send(503, { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'transient', diagnostics: 'upstream down' }] });
          return;
        }
        const exact = routes.get(path);
        const byPrefix = [...routes.entries()].find(([key]) => key.endsWith('?') && path.startsWith(key))?.[1];
        const body = exact ?? byPrefix;
        if (body === undefined) {
          send(404, { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'not-found', diagnostics: 'Not found' }] });
          return;
        }
        send(200, body);
      });
    },
  };
  return { plugin, requests, routes, failNext: (count) => (failures = count) };
}
