/**
 * How the clinician area reads and writes the sandbox's FHIR data: in process, through the same FhirService the FHIR
 * API uses (so what a page writes is exactly what the portal then reads over HTTP), as the EHR itself.
 */
import type { Bundle, FhirResource } from 'fhir/r4';
import type { FhirService } from '../fhir/service.ts';

export class EhrFhirError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.name = 'EhrFhirError';
    this.status = status;
  }
}

export interface EhrFhir {
  read<T extends FhirResource>(reference: string): Promise<T | undefined>;
  /** A search below the base ("Communication?recipient=Practitioner/x&_sort=-sent"); every page, at most `max`. */
  search<T extends FhirResource>(query: string, max?: number): Promise<T[]>;
  create<T extends FhirResource>(resource: T, options?: { ifNoneExist?: string }): Promise<T>;
  /** Versioned when `ifMatch` is given (412 → EhrFhirError). */
  update<T extends FhirResource>(resource: T, options?: { ifMatch?: string }): Promise<T>;
  /** The raw bytes and content type of a Binary. */
  binary(id: string): Promise<{ contentType: string; data: Buffer } | undefined>;
}

export function createEhrFhir(fhir: FhirService): EhrFhir {
  async function call(method: string, pathAndQuery: string, body?: unknown, conditions?: { ifNoneExist?: string; ifMatch?: string }, accept = 'application/fhir+json') {
    const [path = '/', query = ''] = pathAndQuery.split('?', 2);
    return fhir.handle({ method, path: `/${path.replace(/^\//, '')}`, query: new URLSearchParams(query), body, accept, ...(conditions ? { conditions } : {}) });
  }
  function parse<T>(body: string | Buffer): T {
    return JSON.parse(typeof body === 'string' ? body : body.toString('utf8')) as T;
  }
  return {
    async read(reference) {
      const response = await call('GET', reference);
      if (response.status === 404 || response.status === 410) return undefined;
      if (response.status !== 200) throw new EhrFhirError(response.status, `read ${reference} failed`);
      return parse(response.body);
    },
    async search(query, max = 1000) {
      const out: FhirResource[] = [];
      const separator = query.includes('?') ? '&' : '?';
      for (let offset = 0; out.length < max; ) {
        const response = await call('GET', `${query}${separator}_count=100&_offset=${offset}`);
        if (response.status !== 200) throw new EhrFhirError(response.status, `search ${query} failed`);
        const bundle = parse<Bundle>(response.body);
        const matches = (bundle.entry ?? []).filter((e) => e.search?.mode !== 'include').map((e) => e.resource as FhirResource);
        out.push(...matches);
        if (matches.length < 100) break;
        offset += 100;
      }
      return out.slice(0, max) as never;
    },
    async create(resource, options) {
      const response = await call('POST', resource.resourceType, resource, options?.ifNoneExist ? { ifNoneExist: options.ifNoneExist } : undefined);
      if (response.status !== 201 && response.status !== 200) throw new EhrFhirError(response.status, `create ${resource.resourceType} failed`);
      return parse(response.body);
    },
    async update(resource, options) {
      if (!resource.id) throw new EhrFhirError(400, 'update needs an id');
      const response = await call('PUT', `${resource.resourceType}/${resource.id}`, resource, options?.ifMatch ? { ifMatch: options.ifMatch } : undefined);
      if (response.status !== 200 && response.status !== 201) throw new EhrFhirError(response.status, `update ${resource.resourceType}/${resource.id} failed`);
      return parse(response.body);
    },
    async binary(id) {
      const response = await call('GET', `Binary/${encodeURIComponent(id)}`, undefined, undefined, '*/*');
      if (response.status !== 200) return undefined;
      return { contentType: response.headers['content-type'] ?? 'application/octet-stream', data: Buffer.isBuffer(response.body) ? response.body : Buffer.from(response.body) };
    },
  };
}
