/**
 * `npx node scripts/bench-load.ts [--sessions=N] [--seconds=S] [--concurrency=C]` — issue 15's "many families at once": many signed-in
 * sessions against the whole gateway on PostgreSQL, first one replica, then two replicas on the same database with the
 * load split between them (a benchmark, not a test: it reports and exits 0 whatever the numbers).
 *
 * Setup, all on 127.0.0.1 and stopped at the end:
 *   - PostgreSQL: DATABASE_URL when set (a scratch database is NOT made: use a throwaway one), else a temporary
 *     cluster (initdb + pg_ctl as the `postgres` user when run as root) on a free port, removed afterwards.
 *   - The sandbox EHR (demo family) in this process, in open-server mode (no bearer tokens, see "Limits").
 *   - Each gateway replica as a child process of this script (`--serve-gateway`, the real startGateway with
 *     OPEN_SERVER_MODE, POLICY_PROFILE=ca-strict, the same SESSION_ENCRYPTION_KEYS and DATABASE_URL), so its RSS is its own.
 *   - --sessions=N (default 1,000) sessions minted directly into the store through the store API (sealed like any
 *     session), one per family member account of the sandbox in turn, each with its own id, secret and cookie.
 * Load: --concurrency=C (default 32) clients for --seconds=S (default 15) per phase, each request from a random
 * session, in a mix like a family's visit: 15 % /api/session, 65 % the summary's searches (Patient read, Condition,
 * AllergyIntolerance, MedicationRequest with its medicines, Immunization, vital-signs Observations), 20 % results
 * paging (a laboratory Observation page of 20, then its next page when there is one). Phase 2 sends request i to
 * replica i mod 2. Printed per phase: requests, req/s, p50/p99/max latency, non-2xx answers, each replica's RSS (peak).
 *
 * Limits (say so when quoting numbers): the sandbox answers in this same process, so it competes with the load
 * generator for the CPU (on 2 cores the gateway is not all that is measured); sessions carry no EHR token (open-server
 * mode), so the token refresh path is not exercised; policy facts are cached per session (FACTS_CACHE_SECONDS), so
 * after the first request of a session most requests make no facts reads.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { parseConfig } from '../gateway/src/config.ts';
import type { Principal } from '../gateway/src/policy/types.ts';
import { startGateway } from '../gateway/src/server.ts';
import { openPostgresStore } from '../gateway/src/store/postgres-store.ts';
import { parseSessionKeys } from '../gateway/src/store/seal.ts';
import { startSandbox } from '../sandbox/src/index.ts';

const MAX_SESSIONS = 5_000;
const MAX_SECONDS = 120;
const MAX_CONCURRENCY = 256;

// ---- the bench ------------------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      sessions: { type: 'string', default: '1000' },
      seconds: { type: 'string', default: '15' },
      concurrency: { type: 'string', default: '32' },
    },
    allowPositionals: false,
  });
  const sessions = bounded('sessions', values.sessions, 1, MAX_SESSIONS);
  const seconds = bounded('seconds', values.seconds, 1, MAX_SECONDS);
  const concurrency = bounded('concurrency', values.concurrency, 1, MAX_CONCURRENCY);

  const [l1, l5] = loadavg();
  console.log(`load average ${l1?.toFixed(2)} ${l5?.toFixed(2)} on ${availableParallelism()} cores — timings move with it; re-take them on a quiet machine`);
  const cleanups: (() => Promise<void> | void)[] = [];
  try {
    const database = await startDatabase();
    cleanups.push(database.stop);
    // A client is required by the sandbox; in open-server mode nobody signs in through it.
    const clients = [{ clientId: 'sprout-bench-load', clientSecret: randomBytes(24).toString('base64url'), redirectUris: ['http://127.0.0.1:9/callback'] }];
    const sandbox = await startSandbox({ port: 0, openServer: true, clients });
    cleanups.push(() => sandbox.close());
    const keys = `bench:${randomBytes(32).toString('base64')}`;
    const env = {
      FHIR_BASE_URL: sandbox.fhirBaseUrl,
      OPEN_SERVER_MODE: 'true',
      DATABASE_URL: database.url,
      SESSION_ENCRYPTION_KEYS: keys,
      POLICY_PROFILE: 'ca-strict',
      LOG_LEVEL: 'error',
      DATA_DIR: mkdtempSync(join(tmpdir(), 'sprout-bench-load-')),
    };
    cleanups.push(() => rmSync(env.DATA_DIR, { recursive: true, force: true }));

    const replicas: Replica[] = [];
    for (let i = 0; i < 2; i += 1) {
      const replica = await startReplica(env);
      cleanups.push(() => replica.stop());
      replicas.push(replica);
    }

    const minted = await mintSessions(database.url, keys, sandbox.fhirBaseUrl, sandbox.accounts, sessions);
    console.log(`${minted.length} sessions minted into PostgreSQL through the store API; ${concurrency} clients; ${seconds} s per phase`);
    const families = await learnFamilies(replicas[0]!.url, minted);

    const one = await runPhase('one replica', [replicas[0]!], families, seconds, concurrency);
    const two = await runPhase('two replicas, one PostgreSQL, load split', replicas, families, seconds, concurrency);
    console.log('');
    console.log(`  throughput, two replicas ÷ one: ${(two.perSecond / one.perSecond).toFixed(2)}× (target ≥ 1.6× on 4 cores; on ${availableParallelism()} cores, reported)`);
    console.log(`  targets (one replica): p99 ≤ 250 ms ${one.p99 <= 250 ? 'PASS' : 'MISS'}, ≥ 500 req/s ${one.perSecond >= 500 ? 'PASS' : 'MISS'}, RSS ≤ 300 MB ${one.rssMb[0]! <= 300 ? 'PASS' : 'MISS'}`);
  } finally {
    for (const cleanup of cleanups.reverse()) {
      try {
        await cleanup();
      } catch (error) {
        console.error(`cleanup failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }
}

function bounded(name: string, raw: string | undefined, min: number, max: number): number {
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) throw new Error(`--${name} must be a whole number from ${min} to ${max}.`);
  return value;
}

// ---- PostgreSQL -----------------------------------------------------------------------------------------------------

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => done());
  });
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((done) => server.close(() => done()));
  return port;
}

async function startDatabase(): Promise<{ url: string; stop: () => void }> {
  const given = process.env['DATABASE_URL'];
  if (given !== undefined && given !== '') return { url: given, stop: () => {} };
  const dir = mkdtempSync(join(tmpdir(), 'sprout-bench-pg-'));
  const asRoot = process.getuid?.() === 0;
  const run = (command: string, args: string[]): void => {
    const result = asRoot ? spawnSync('runuser', ['-u', 'postgres', '--', command, ...args], { encoding: 'utf8' }) : spawnSync(command, args, { encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`${command} failed: ${result.stderr || result.error?.message || result.status}`);
  };
  if (asRoot) {
    const user = readFileSync('/etc/passwd', 'utf8').split('\n').find((line) => line.startsWith('postgres:'))?.split(':');
    if (user === undefined) throw new Error('Running as root needs a `postgres` user for a temporary cluster (or set DATABASE_URL).');
    chownSync(dir, Number(user[2]), Number(user[3]));
    chmodSync(dir, 0o700);
  }
  const port = await freePort();
  run('initdb', ['-D', join(dir, 'data'), '-A', 'trust', '-U', 'postgres', '--no-sync']);
  run('pg_ctl', ['-D', join(dir, 'data'), '-l', join(dir, 'log'), '-w', '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=100`, 'start']);
  console.log(`temporary PostgreSQL on 127.0.0.1:${port} (fsync off: the store's queries, not the disk, are measured)`);
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    stop: () => {
      run('pg_ctl', ['-D', join(dir, 'data'), '-m', 'fast', '-w', 'stop']);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

// ---- gateway replicas -------------------------------------------------------------------------------------------------

interface Replica {
  readonly url: string;
  readonly child: ChildProcess;
  /** Peak resident set size (VmHWM) so far, in MB. */
  peakRssMb(): number;
  stop(): Promise<void>;
}

async function startReplica(env: Readonly<Record<string, string>>): Promise<Replica> {
  const port = await freePort();
  const child = spawn(process.execPath, [...process.execArgv, import.meta.filename, '--serve-gateway'], {
    env: { ...process.env, ...env, PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}` },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let buffered = '';
    const timer = setTimeout(() => reject(new Error('A gateway replica did not start within 60 s.')), 60_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const line = buffered.split('\n').find((candidate) => candidate.startsWith('{"url"'));
      if (line !== undefined) {
        clearTimeout(timer);
        resolve((JSON.parse(line) as { url: string }).url);
      }
    });
    child.once('exit', (code) => reject(new Error(`A gateway replica exited (${code}) before it started.`)));
  });
  return {
    url,
    child,
    peakRssMb() {
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
      const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 'NaN');
      return kb / 1024;
    },
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5_000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}

// ---- sessions -----------------------------------------------------------------------------------------------------------

interface MintedSession {
  readonly cookie: string;
  readonly principal: string;
}

async function mintSessions(
  databaseUrl: string,
  keys: string,
  fhirBaseUrl: string,
  accounts: readonly { resourceType: string; accountId: string; fhirUser: string }[],
  count: number,
): Promise<MintedSession[]> {
  const family = accounts.filter((account) => account.resourceType !== 'Practitioner');
  if (family.length === 0) throw new Error('The sandbox has no family accounts.');
  const store = await openPostgresStore({ connectionString: databaseUrl, sessionKeys: parseSessionKeys(keys) });
  try {
    const minted: MintedSession[] = [];
    const now = Date.now();
    for (let i = 0; i < count; i += 1) {
      const account = family[i % family.length]!;
      const principal: Principal = {
        fhirUser: account.fhirUser,
        reference: account.accountId,
        kind: account.resourceType as Principal['kind'],
        scopes: ['openid', 'fhirUser', 'patient/*.rs'],
      };
      const id = randomBytes(32).toString('base64url');
      await store.sessions.create({
        id,
        createdAt: now,
        lastSeenAt: now,
        fhirBaseUrl,
        principal,
        openServerMode: true,
        launchContext: { need_patient_banner: true },
        secret: randomBytes(32).toString('base64url'),
      });
      minted.push({ cookie: `sprout=${id}`, principal: account.accountId });
    }
    return minted;
  } finally {
    await store.close();
  }
}

interface Family {
  readonly session: MintedSession;
  readonly patients: readonly string[];
}

/** Each account's readable patients, from one /api/session per account (as the app learns them). */
async function learnFamilies(gatewayUrl: string, sessions: readonly MintedSession[]): Promise<Family[]> {
  const byPrincipal = new Map<string, string[]>();
  for (const session of sessions) {
    if (byPrincipal.has(session.principal)) continue;
    const response = await fetch(`${gatewayUrl}/api/session`, { headers: { cookie: session.cookie } });
    const view = (await response.json()) as { patients?: { id?: string; access?: { level?: string } }[] };
    byPrincipal.set(
      session.principal,
      (view.patients ?? []).filter((p) => p.id !== undefined && p.access?.level !== 'none').map((p) => p.id as string),
    );
  }
  const families = sessions.map((session) => ({ session, patients: byPrincipal.get(session.principal) ?? [] }));
  console.log(`  accounts: ${[...byPrincipal].map(([principal, patients]) => `${principal} (${patients.length} patients)`).join(', ')}`);
  return families;
}

// ---- load ----------------------------------------------------------------------------------------------------------------

const SUMMARY = [
  (p: string) => `/fhir/Patient/${p}`,
  (p: string) => `/fhir/Condition?patient=${p}`,
  (p: string) => `/fhir/AllergyIntolerance?patient=${p}`,
  (p: string) => `/fhir/MedicationRequest?patient=${p}&_include=MedicationRequest:medication`,
  (p: string) => `/fhir/Immunization?patient=${p}`,
  (p: string) => `/fhir/Observation?patient=${p}&category=vital-signs&_count=200`,
];

interface PhaseResult {
  readonly perSecond: number;
  readonly p99: number;
  readonly rssMb: readonly number[];
}

async function runPhase(name: string, replicas: readonly Replica[], families: readonly Family[], seconds: number, concurrency: number): Promise<PhaseResult> {
  const latencies: number[] = [];
  const statuses = new Map<number, number>();
  let sent = 0;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  const timed = async (url: string, cookie: string): Promise<unknown> => {
    const t0 = performance.now();
    let status = 0;
    let body: unknown;
    try {
      const response = await fetch(url, { headers: { cookie, accept: 'application/fhir+json' } });
      status = response.status;
      body = await response.json();
    } catch {
      status = 0;
    }
    latencies.push(performance.now() - t0);
    statuses.set(status, (statuses.get(status) ?? 0) + 1);
    return body;
  };
  const client = async (): Promise<void> => {
    while (performance.now() < deadline) {
      const family = families[Math.floor(Math.random() * families.length)]!;
      const base = replicas[sent % replicas.length]!.url;
      sent += 1;
      const patient = family.patients[Math.floor(Math.random() * family.patients.length)];
      const roll = Math.random();
      if (patient === undefined || roll < 0.15) {
        await timed(`${base}/api/session`, family.session.cookie);
      } else if (roll < 0.8) {
        await timed(`${base}${SUMMARY[Math.floor(Math.random() * SUMMARY.length)]!(patient)}`, family.session.cookie);
      } else {
        const page = (await timed(`${base}/fhir/Observation?patient=${patient}&category=laboratory&_count=20`, family.session.cookie)) as
          | { link?: { relation?: string; url?: string }[] }
          | undefined;
        const next = page?.link?.find((link) => link.relation === 'next')?.url;
        if (next !== undefined && performance.now() < deadline) {
          const path = new URL(next).pathname + new URL(next).search;
          await timed(`${base}${path}`, family.session.cookie);
        }
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, client));
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (q: number): number => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN;
  const perSecond = latencies.length / elapsed;
  const rssMb = replicas.map((replica) => replica.peakRssMb());
  const failures = [...statuses].filter(([status]) => status < 200 || status >= 300);
  console.log('');
  console.log(`  ${name}: ${latencies.length} requests in ${elapsed.toFixed(1)} s = ${perSecond.toFixed(0)} req/s`);
  console.log(`    latency p50 ${at(0.5).toFixed(0)} ms, p99 ${at(0.99).toFixed(0)} ms, max ${at(1).toFixed(0)} ms`);
  console.log(`    answers: ${[...statuses].sort(([a], [b]) => a - b).map(([status, n]) => `${status === 0 ? 'failed' : status} × ${n}`).join(', ')}${failures.length > 0 ? ' (non-2xx above)' : ''}`);
  console.log(`    gateway RSS (peak): ${rssMb.map((mb) => `${mb.toFixed(0)} MB`).join(', ')}`);
  return { perSecond, p99: at(0.99), rssMb };
}

// ---- entry: the bench, or (child mode) one gateway replica ---------------------------------------------------------

if (process.argv.includes('--serve-gateway')) {
  const gateway = await startGateway({ config: parseConfig(process.env) });
  process.stdout.write(`${JSON.stringify({ url: gateway.url })}\n`);
  const stop = (): void => void gateway.close().finally(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
} else {
  await main();
}
