/**
 * `npm run seed:remote -- --base <url> [--seed <folder>] [--today YYYY-MM-DD]`: loads the demo family (fixtures/family,
 * date-shifted exactly like the sandbox's seed, login identifiers included) into any writable FHIR R4 server with
 * fhir-kit-client, then prints the references to act as in open-server mode.
 *
 * The server assigns the ids: resources are created in dependency order and every reference (and a DocumentReference's
 * `Binary/…` attachment URL) is rewritten to the id the server gave its target. Every created resource carries an
 * identifier in `urn:sprout:seed` naming its seed id, so a run can never duplicate what an earlier (or interrupted) run
 * wrote: each resource is first looked up by that identifier (GET, retried on 502/503/504 and network errors), then
 * created with `If-None-Exist` on it; a write whose answer was lost is looked up again before it is sent again.
 * Binary has no identifier: it is written with PUT to a deterministic id, which is idempotent.
 * Public sandboxes are tolerated: searches without `Bundle.total`, resources without `meta`, ids only in `Location`,
 * and malformed seed or search entries (skipped and counted; the log names their position and type, never content).
 */
import { fileURLToPath } from 'node:url';
import { Client, RESPONSE_KEY, type FhirResource as KitResource } from 'fhir-kit-client';
import type { FhirResource, Identifier } from 'fhir/r4';
import { DEFAULT_SEED_DIR } from '../sandbox/src/index.ts';
import { SANDBOX_LOGIN_SYSTEM } from '../sandbox/src/auth/accounts.ts';
import { flattenSeedItems, readSeedDirectory } from '../sandbox/src/seed/load-seed.ts';

export const SEED_IDENTIFIER_SYSTEM = 'urn:sprout:seed';
const PERSON_TYPES = new Set(['Patient', 'RelatedPerson', 'Person', 'Practitioner']);
const RESOURCE_TYPE = /^[A-Z][A-Za-z]{1,63}$/;
const FHIR_ID = /^[A-Za-z0-9\-.]{1,64}$/;
const LOCAL_REFERENCE = /^([A-Z][A-Za-z]{1,63})\/([A-Za-z0-9\-.]{1,64})$/;
const RETRYABLE_STATUS = new Set([502, 503, 504]);

export interface SeedRemoteOptions {
  readonly baseUrl: string;
  readonly seedDir?: string;
  readonly today?: Date;
  /** Attempts per request (GETs; and writes guarded by a fresh look-up). Default 4. */
  readonly attempts?: number;
  /** Pause before attempt n is n × this. Default 500 ms. */
  readonly retryDelayMs?: number;
  readonly log?: (line: string) => void;
}

export interface SeededPerson {
  /** `RelatedPerson/<server id>`: what to enter on the portal's open-server sign-in page. */
  readonly reference: string;
  readonly seedReference: string;
  readonly name: string;
  readonly login: string | undefined;
}

export interface SeedRemoteResult {
  /** Seed reference (`Patient/isabel-rivera`) → server reference (`Patient/8123`). */
  readonly ids: ReadonlyMap<string, string>;
  readonly created: number;
  readonly reused: number;
  readonly skipped: number;
  readonly failed: number;
  readonly people: readonly SeededPerson[];
}

type SeedResource = FhirResource & { id: string };
interface HttpFailure {
  readonly status: number | undefined;
}

function statusOf(error: unknown): number | undefined {
  const status = (error as { response?: { status?: unknown } } | undefined)?.response?.status;
  return typeof status === 'number' ? status : undefined;
}

function isRetryable(error: unknown): boolean {
  const status = statusOf(error);
  return status === undefined ? !(error instanceof SyntaxError) : RETRYABLE_STATUS.has(status);
}

/** Every local reference in a resource (`reference` fields and `Binary/…` attachment URLs). */
function localReferences(value: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(value)) for (const item of value) localReferences(item, out);
  else if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      if ((key === 'reference' || key === 'url') && typeof item === 'string' && LOCAL_REFERENCE.test(item)) out.add(item);
      else localReferences(item, out);
    }
  }
  return out;
}

function rewriteReferences<T>(value: T, ids: ReadonlyMap<string, string>): T {
  if (Array.isArray(value)) return value.map((item) => rewriteReferences(item, ids)) as T;
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    out[key] = (key === 'reference' || key === 'url') && typeof item === 'string' && ids.has(item) ? ids.get(item) : rewriteReferences(item, ids);
  }
  return out as T;
}

/** Seed order: every resource after the resources it references (stable otherwise). Throws on a reference cycle. */
export function dependencyOrder(resources: readonly SeedResource[]): SeedResource[] {
  const byKey = new Map(resources.map((r) => [`${r.resourceType}/${r.id}`, r]));
  const state = new Map<string, 'visiting' | 'done'>();
  const ordered: SeedResource[] = [];
  const visit = (key: string, path: string[]): void => {
    if (state.get(key) === 'done') return;
    if (state.get(key) === 'visiting') throw new Error(`the seed has a reference cycle: ${[...path, key].join(' → ')}`);
    state.set(key, 'visiting');
    const resource = byKey.get(key)!;
    for (const reference of localReferences(resource)) if (reference !== key && byKey.has(reference)) visit(reference, [...path, key]);
    state.set(key, 'done');
    ordered.push(resource);
  };
  for (const key of byKey.keys()) visit(key, []);
  return ordered;
}

/** The body to write: references rewritten, no id, `meta` reduced to its labels, the seed identifier added. */
function bodyFor(resource: SeedResource, ids: ReadonlyMap<string, string>): Record<string, unknown> {
  const { id, meta, ...rest } = rewriteReferences(resource, ids) as SeedResource & { identifier?: Identifier[] };
  const labels = { ...(meta?.security ? { security: meta.security } : {}), ...(meta?.tag ? { tag: meta.tag } : {}) };
  const body: Record<string, unknown> = { ...rest, ...(Object.keys(labels).length > 0 ? { meta: labels } : {}) };
  if (resource.resourceType !== 'Binary') {
    const identifiers = (rest as { identifier?: Identifier[] }).identifier ?? [];
    body['identifier'] = [...identifiers, { system: SEED_IDENTIFIER_SYSTEM, value: id }];
  }
  return body;
}

/** The server id of a write: from the body when it has one, else from the Location header. */
function writtenId(result: unknown, resourceType: string): string | undefined {
  const id = (result as { id?: unknown } | undefined)?.id;
  if (typeof id === 'string' && FHIR_ID.test(id)) return id;
  const location = (result as Record<symbol, Response | undefined> | undefined)?.[RESPONSE_KEY as unknown as symbol]?.headers.get('location') ?? '';
  const match = new RegExp(`(?:^|/)${resourceType}/([A-Za-z0-9\\-.]{1,64})(?:/_history/[^/]+)?/?$`).exec(location);
  return match?.[1];
}

export async function seedRemote(options: SeedRemoteOptions): Promise<SeedRemoteResult> {
  const log = options.log ?? ((line: string) => console.log(line));
  const attempts = Math.max(1, options.attempts ?? 4);
  const delayMs = options.retryDelayMs ?? 500;
  const client = new Client({ baseUrl: options.baseUrl.replace(/\/+$/, '') });
  const pause = (attempt: number) => new Promise((resolve) => setTimeout(resolve, attempt * delayMs));

  async function withRetries<T>(what: string, run: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await run();
      } catch (error) {
        if (attempt >= attempts || !isRetryable(error)) throw error;
        log(`  ${what}: ${statusOf(error) ?? 'network error'}, trying again (${attempt + 1}/${attempts})`);
        await pause(attempt);
      }
    }
  }

  let malformedSearchEntries = 0;
  /** The resource an earlier write made for this seed id, if any (never trusts Bundle.total). */
  async function findSeeded(resourceType: string, seedId: string): Promise<string | undefined> {
    const bundle = await withRetries(`search ${resourceType}`, () =>
      client.search({ resourceType, searchParams: { identifier: `${SEED_IDENTIFIER_SYSTEM}|${seedId}` } }),
    );
    for (const entry of ((bundle as { entry?: unknown }).entry as unknown[] | undefined) ?? []) {
      const resource = (entry as { resource?: { resourceType?: unknown; id?: unknown; identifier?: unknown } } | undefined)?.resource;
      if (resource?.resourceType !== resourceType || typeof resource.id !== 'string' || !Array.isArray(resource.identifier)) {
        malformedSearchEntries += 1;
        continue;
      }
      if ((resource.identifier as Identifier[]).some((i) => i?.system === SEED_IDENTIFIER_SYSTEM && i.value === seedId)) return resource.id;
    }
    return undefined;
  }

  async function writeBinary(resource: SeedResource, body: Record<string, unknown>): Promise<{ id: string; reused: boolean }> {
    const id = `sprout-${resource.id}`.slice(0, 64);
    // PUT to a fixed id is idempotent, so it may be retried like a GET; 201 = new, 200 = it was already there.
    const result = await withRetries(`write Binary`, () => client.update({ resourceType: 'Binary', id, body: { ...body, id } as unknown as KitResource }));
    const status = (result as unknown as Record<symbol, Response | undefined>)[RESPONSE_KEY as unknown as symbol]?.status;
    return { id: writtenId(result, 'Binary') ?? id, reused: status === 200 };
  }

  async function createOnce(resource: SeedResource, body: Record<string, unknown>): Promise<{ id: string; reused: boolean }> {
    const { resourceType } = resource;
    for (let attempt = 1; ; attempt += 1) {
      const existing = await findSeeded(resourceType, resource.id);
      if (existing !== undefined) return { id: existing, reused: true };
      try {
        const result = await client.create({
          resourceType,
          body: body as unknown as KitResource,
          options: { headers: { 'If-None-Exist': `identifier=${SEED_IDENTIFIER_SYSTEM}|${resource.id}`, Prefer: 'return=representation' } },
        });
        const id = writtenId(result, resourceType);
        if (id === undefined) throw Object.assign(new Error('the server answered without an id'), { response: { status: 502 } });
        return { id, reused: false };
      } catch (error) {
        if (attempt >= attempts || !isRetryable(error)) throw error;
        // The write may have happened even though its answer was lost: look it up again before writing again.
        log(`  create ${resourceType}: ${statusOf(error) ?? 'network error'}, checking and trying again (${attempt + 1}/${attempts})`);
        await pause(attempt);
      }
    }
  }

  const seed = await readSeedDirectory(options.seedDir ?? DEFAULT_SEED_DIR, { today: options.today ?? new Date() });
  const usable: SeedResource[] = [];
  const seen = new Set<string>();
  let skipped = 0;
  flattenSeedItems(seed.items).forEach((candidate, index) => {
    const resource = candidate as Partial<SeedResource> | null;
    const type = typeof resource?.resourceType === 'string' && RESOURCE_TYPE.test(resource.resourceType) ? resource.resourceType : undefined;
    const id = typeof resource?.id === 'string' && FHIR_ID.test(resource.id) ? resource.id : undefined;
    const problem = type === undefined ? 'no valid resourceType' : id === undefined ? 'no valid id' : seen.has(`${type}/${id}`) ? 'duplicate id' : undefined;
    if (problem !== undefined) {
      skipped += 1;
      log(`  skipped seed entry #${index + 1} (${type ?? 'unknown type'}): ${problem}`);
      return;
    }
    seen.add(`${type}/${id}`);
    usable.push(resource as SeedResource);
  });

  const ids = new Map<string, string>();
  let created = 0;
  let reused = 0;
  let failed = 0;
  for (const resource of dependencyOrder(usable)) {
    const key = `${resource.resourceType}/${resource.id}`;
    const body = bodyFor(resource, ids);
    try {
      const written = resource.resourceType === 'Binary' ? await writeBinary(resource, body) : await createOnce(resource, body);
      ids.set(key, `${resource.resourceType}/${written.id}`);
      if (written.reused) reused += 1;
      else created += 1;
    } catch (error) {
      failed += 1;
      const failure: HttpFailure = { status: statusOf(error) };
      log(`  could not write ${key}: ${failure.status === undefined ? (error instanceof Error ? error.message : 'error') : `HTTP ${failure.status}`}`);
    }
  }
  if (malformedSearchEntries > 0) log(`  ignored ${malformedSearchEntries} malformed search result entr${malformedSearchEntries === 1 ? 'y' : 'ies'}`);

  const people: SeededPerson[] = usable
    .filter((r) => PERSON_TYPES.has(r.resourceType) && ids.has(`${r.resourceType}/${r.id}`))
    .map((r) => {
      const identifiers = ((r as { identifier?: Identifier[] }).identifier ?? []);
      const login = identifiers.find((i) => i.system === SANDBOX_LOGIN_SYSTEM)?.value;
      const name = (r as { name?: Array<{ text?: string; given?: string[]; family?: string }> }).name?.[0];
      return {
        reference: ids.get(`${r.resourceType}/${r.id}`)!,
        seedReference: `${r.resourceType}/${r.id}`,
        name: name?.text ?? [...(name?.given ?? []), name?.family].filter(Boolean).join(' '),
        login,
      };
    })
    .sort((a, b) => Number(b.login !== undefined) - Number(a.login !== undefined) || a.seedReference.localeCompare(b.seedReference));
  return { ids, created, reused, skipped, failed, people };
}

function parseArgs(argv: readonly string[]): { base: string; seedDir: string | undefined; today: Date | undefined } {
  const value = (flag: string) => {
    const index = argv.indexOf(flag);
    return index >= 0 ? argv[index + 1] : undefined;
  };
  const base = value('--base');
  if (base === undefined || !/^https?:\/\/[^\s]+$/.test(base)) {
    throw new Error('usage: npm run seed:remote -- --base <FHIR base URL, e.g. https://hapi.fhir.org/baseR4> [--seed <folder>] [--today YYYY-MM-DD]');
  }
  const today = value('--today');
  if (today !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(today)) throw new Error('--today must be YYYY-MM-DD');
  return { base: base.replace(/\/+$/, ''), seedDir: value('--seed'), today: today === undefined ? undefined : new Date(`${today}T12:00:00Z`) };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  console.log(`Loading the demo family into ${args.base} …`);
  const result = await seedRemote({ baseUrl: args.base, ...(args.seedDir ? { seedDir: args.seedDir } : {}), ...(args.today ? { today: args.today } : {}) });
  const width = Math.max(0, ...result.people.map((p) => p.reference.length));
  const lines = [
    `Done: ${result.created} created, ${result.reused} already there, ${result.skipped} skipped, ${result.failed} failed.`,
    '',
    'Act as one of these (open-server mode: enter the reference on the portal\'s sign-in page):',
    ...result.people.map((p) => `  ${p.reference.padEnd(width)}  ${p.name}${p.login ? `  (sandbox login "${p.login}")` : ''}`),
    '',
    'Start the portal against this server (test mode, labelled in the UI):',
    `  npx vite build && OPEN_SERVER_MODE=true FHIR_BASE_URL=${args.base} npx node gateway/src/server.ts`,
  ];
  console.log(lines.join('\n'));
  if (result.failed > 0) process.exitCode = 1;
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((error: unknown) => {
    console.error(`seed:remote failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
