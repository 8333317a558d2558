/**
 * The gateway's settings. This module is the only reader of process.env: `loadConfig()` parses it once with zod,
 * freezes the result, and fails at start-up with a message naming the variable when a value is bad.
 * Tests call `parseConfig(env)` with a plain object.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import {
  checkDistinctKids, CLIENT_AUTH_METHODS, ClientKeyError, parsePemPrivateKeys, parsePrivateJwks, type ClientAuthMethodSetting, type ClientSigningKey,
} from './smart/client-auth.ts';
import { parseSessionKeys, SessionKeyError, type SessionKey } from './store/seal.ts';

export const DEFAULT_SCOPES = 'openid fhirUser launch/patient offline_access user/*.rs patient/*.rs';
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface Config {
  /** Portal port (the gateway serves the app and the API on it). */
  readonly port: number;
  /** The portal's public origin (no trailing slash), e.g. https://portal.example.org. Redirect URI = publicUrl + /callback. */
  readonly publicUrl: string;
  /** True when publicUrl is https: the session cookie is `__Host-sprout; Secure`. */
  readonly secureCookies: boolean;
  /** Standalone launch FHIR base (no trailing slash). */
  readonly fhirBaseUrl: string;
  /** FHIR bases an EHR launch may name as `iss` (exact match, normalised, no trailing slash). */
  readonly allowedIss: readonly string[];
  /** Extra origins an allowed iss may put its OAuth endpoints on (default: only the iss's own origin). */
  readonly allowedAuthOrigins: readonly string[];
  /** The gateway's OAuth client id ('' only in open-server mode, where there is no OAuth). */
  readonly clientId: string;
  /** Absent → public client (development only). */
  readonly clientSecret: string | undefined;
  /** CLIENT_AUTH_METHOD: "auto" (per server, from its discovery), "private_key_jwt" or "client_secret_basic". */
  readonly clientAuthMethod: ClientAuthMethodSetting;
  /** CLIENT_PRIVATE_KEYS (PEM) or CLIENT_JWKS_PATH (private JWKS file): RS384/ES384 keys for private_key_jwt; the first signs. */
  readonly clientSigningKeys: readonly ClientSigningKey[];
  readonly scopes: readonly string[];
  /** "ca-strict", "ca-adolescent-split", or a path to a profile JSON file. */
  readonly policyProfile: string;
  /** PostgreSQL connection string; absent → embedded PGlite under dataDir. */
  readonly databaseUrl: string | undefined;
  readonly dataDir: string;
  readonly sessionIdleMinutes: number;
  readonly sessionMaxHours: number;
  /** SESSION_ENCRYPTION_KEYS: seals sessions at rest; the first key seals, all open. openStore requires it unless publicUrl is loopback. */
  readonly sessionEncryptionKeys: readonly SessionKey[] | undefined;
  /** AUDIT_RETENTION_DAYS: audit records older than this are pruned (the pruning itself is recorded); absent → kept. */
  readonly auditRetentionDays: number | undefined;
  readonly openServerMode: boolean;
  readonly logLevel: LogLevel;
  /** SIGNIN_RATE_LIMIT: sign-in requests (/login, /launch, /callback) one client address may make per window. */
  readonly signInRateLimit: number;
  /** SIGNIN_RATE_WINDOW_SECONDS: the rate limit's window. */
  readonly signInRateWindowSeconds: number;
  /**
   * FACTS_CACHE_SECONDS: how long a session's policy facts (principal, Patient, RelatedPersons, Consents) are reused
   * before they are read from the EHR again — the longest a revoked grant or new Consent can take to apply (0 = off).
   */
  readonly factsCacheSeconds: number;
  /** FACTS_CACHE_SESSIONS: sessions whose facts one replica keeps in memory at most (least recently used dropped). */
  readonly factsCacheSessions: number;
  /** TRUST_PROXY: the client address is the last X-Forwarded-For entry (set only behind a reverse proxy that appends it). */
  readonly trustProxy: boolean;
  /**
   * EMBED_ORIGINS: origins allowed to show the portal in a frame (EHR patient portals), exact https origins or loopback
   * http; empty → no framing (the default). Non-empty → `frame-ancestors` lists exactly these and the session cookie
   * is `SameSite=None; Secure; Partitioned` (docs/security.md, "Embedded in an EHR portal").
   */
  readonly embedOrigins: readonly string[];
  /** SMTP_URL: where notification email goes (smtp:// or smtps://, credentials allowed); absent → email stays queued in the outbox. */
  readonly smtpUrl: string | undefined;
  /** MAIL_FROM: the From of notification email (default "Sprout <no-reply@<public host>>"). */
  readonly mailFrom: string;
  /**
   * PAYMENT_PROCESSOR_URL + PAYMENT_API_KEY + PAYMENT_WEBHOOK_SECRET: the hosted payment page's API (docs/actions.md,
   * "Bills"); all three or none. Absent → balances and statements only, no online payment.
   */
  readonly payments: { readonly processorUrl: string; readonly apiKey: string; readonly webhookSecret: string } | undefined;
  /** DIRECT_SMTP_URL: the hospital's Direct HISP for records sent to other physicians (default: SMTP_URL). */
  readonly directSmtpUrl: string | undefined;
  /** DIRECT_FROM: the hospital's Direct address records are sent from (default "records@direct.<public host>"). */
  readonly directFrom: string;
  /** DIRECT_TRUST_DOMAINS: domains the HISP can send to; empty → only domains whose first label is "direct". */
  readonly directTrustDomains: readonly string[];
}

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** True for http(s) URLs on a loopback host. */
export function isLoopbackUrl(url: URL): boolean {
  return LOOPBACK_HOSTS.has(url.hostname);
}

/**
 * Normalise a FHIR base URL: http(s) only, no credentials, query or fragment; trailing slashes removed.
 * Returns undefined for anything else. Used for configured bases and for comparing a launch's `iss`.
 */
export function normalizeBaseUrl(raw: string): string | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
  if (url.username !== '' || url.password !== '' || url.search !== '' || url.hash !== '') return undefined;
  if (raw.includes('?') || raw.includes('#')) return undefined;
  const path = url.pathname.replace(/\/+$/, '');
  return `${url.origin}${path}`;
}

const baseUrl = z.string().trim().min(1).transform((value, ctx) => {
  const normalized = normalizeBaseUrl(value);
  if (normalized === undefined) {
    ctx.addIssue({ code: 'custom', message: `must be an http(s) URL without credentials, query or fragment (got "${value}")` });
    return z.NEVER;
  }
  return normalized;
});

const originUrl = z.string().trim().min(1).transform((value, ctx) => {
  const normalized = normalizeBaseUrl(value);
  if (normalized === undefined || new URL(normalized).pathname !== '/') {
    ctx.addIssue({ code: 'custom', message: `must be an http(s) origin such as https://portal.example.org (got "${value}")` });
    return z.NEVER;
  }
  return new URL(normalized).origin;
});

const booleanFlag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'must be true or false' })
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const positiveNumber = (max: number) =>
  z.coerce.number({ message: 'must be a number' }).positive('must be greater than 0').max(max, `must be at most ${max}`);

const EnvSchema = z.object({
  PORT: z.coerce.number({ message: 'must be a number' }).int('must be a whole number').min(0).max(65535).default(8080),
  PUBLIC_URL: originUrl.optional(),
  FHIR_BASE_URL: baseUrl,
  ALLOWED_ISS: z.string().optional(),
  ALLOWED_AUTH_ORIGINS: z.string().optional(),
  CLIENT_ID: z.string().trim().min(1, 'must not be empty').optional(),
  CLIENT_SECRET: z.string().min(1, 'must not be empty when set').optional(),
  CLIENT_AUTH_METHOD: z.enum(CLIENT_AUTH_METHODS, { message: `must be one of ${CLIENT_AUTH_METHODS.join(', ')}` }).default('auto'),
  CLIENT_PRIVATE_KEYS: z.string().optional(),
  CLIENT_JWKS_PATH: z.string().trim().optional(),
  SCOPES: z.string().trim().min(1).default(DEFAULT_SCOPES),
  POLICY_PROFILE: z.string().trim().min(1).default('ca-strict'),
  DATABASE_URL: z
    .string()
    .trim()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  DATA_DIR: z.string().trim().min(1).default('.data'),
  SESSION_IDLE_MINUTES: positiveNumber(24 * 60).default(20),
  SESSION_MAX_HOURS: positiveNumber(24 * 7).default(12),
  SESSION_ENCRYPTION_KEYS: z.string().optional(),
  AUDIT_RETENTION_DAYS: z.coerce.number({ message: 'must be a number' }).int('must be a whole number of days').min(1, 'must be at least 1').max(36_500).optional(),
  OPEN_SERVER_MODE: booleanFlag.default(false),
  LOG_LEVEL: z.enum(LOG_LEVELS, { message: `must be one of ${LOG_LEVELS.join(', ')}` }).default('info'),
  SIGNIN_RATE_LIMIT: z.coerce.number({ message: 'must be a number' }).int('must be a whole number').min(1, 'must be at least 1').max(100_000).default(30),
  SIGNIN_RATE_WINDOW_SECONDS: z.coerce.number({ message: 'must be a number' }).int('must be a whole number').min(1, 'must be at least 1').max(86_400).default(60),
  FACTS_CACHE_SECONDS: z.coerce.number({ message: 'must be a number' }).int('must be a whole number').min(0, 'must be 0 or more').max(60, 'must be at most 60').default(30),
  FACTS_CACHE_SESSIONS: z.coerce.number({ message: 'must be a number' }).int('must be a whole number').min(1, 'must be at least 1').max(1_000_000).default(10_000),
  TRUST_PROXY: booleanFlag.default(false),
  EMBED_ORIGINS: z.string().optional(),
  SMTP_URL: z.string().trim().regex(/^smtps?:\/\/[^\s]+$/, 'must be an smtp:// or smtps:// URL').optional(),
  MAIL_FROM: z.string().trim().min(3).max(200).regex(/^[^\r\n]+$/, 'must be one line').optional(),
  PAYMENT_PROCESSOR_URL: originUrl.optional(),
  PAYMENT_API_KEY: z.string().trim().min(8, 'must be at least 8 characters').max(512).optional(),
  PAYMENT_WEBHOOK_SECRET: z.string().trim().min(16, 'must be at least 16 characters').max(512).optional(),
  DIRECT_SMTP_URL: z.string().trim().regex(/^smtps?:\/\/[^\s]+$/, 'must be an smtp:// or smtps:// URL').optional(),
  DIRECT_FROM: z.string().trim().min(3).max(200).regex(/^[^\r\n]+$/, 'must be one line').optional(),
  DIRECT_TRUST_DOMAINS: z.string().optional(),
});

function splitList(raw: string | undefined): string[] {
  return (raw ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** Treat empty strings as unset, as shells and .env files commonly produce them. */
function withoutEmpty(env: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) if (value !== undefined && value.trim() !== '') out[key] = value;
  return out;
}

/** Parse settings from an environment-like object. Throws ConfigError naming every bad variable. */
export function parseConfig(env: Record<string, string | undefined>): Config {
  const parsed = EnvSchema.safeParse(withoutEmpty(env));
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => {
      const name = issue.path.join('.') || 'environment';
      const message = issue.code === 'invalid_type' && issue.input === undefined ? 'is required' : issue.message;
      return `${name} ${message}`;
    });
    throw new ConfigError(`Invalid configuration:\n  ${lines.join('\n  ')}`);
  }
  const e = parsed.data;
  const problems: string[] = [];

  const publicUrl = e.PUBLIC_URL ?? `http://127.0.0.1:${e.PORT}`;
  const publicParsed = new URL(publicUrl);
  const secureCookies = publicParsed.protocol === 'https:';
  if (!secureCookies && !isLoopbackUrl(publicParsed)) {
    problems.push(`PUBLIC_URL must be https unless it is a loopback address (got "${publicUrl}")`);
  }

  const allowedIss: string[] = [];
  for (const item of splitList(e.ALLOWED_ISS)) {
    const normalized = normalizeBaseUrl(item);
    if (normalized === undefined) problems.push(`ALLOWED_ISS entry "${item}" is not an http(s) URL without credentials, query or fragment`);
    else allowedIss.push(normalized);
  }
  if (allowedIss.length === 0) allowedIss.push(e.FHIR_BASE_URL);

  const allowedAuthOrigins: string[] = [];
  for (const item of splitList(e.ALLOWED_AUTH_ORIGINS)) {
    const normalized = normalizeBaseUrl(item);
    if (normalized === undefined || new URL(normalized).pathname !== '/') problems.push(`ALLOWED_AUTH_ORIGINS entry "${item}" is not an http(s) origin`);
    else allowedAuthOrigins.push(new URL(normalized).origin);
  }

  const embedOrigins = parseEmbedOrigins(e.EMBED_ORIGINS, problems);

  const scopes = e.SCOPES.split(/\s+/).filter((s) => s !== '');
  if (!e.OPEN_SERVER_MODE && !scopes.includes('openid')) problems.push('SCOPES must include "openid" (the id_token says who signed in)');
  if (!e.OPEN_SERVER_MODE && e.CLIENT_ID === undefined) problems.push('CLIENT_ID is required (the gateway\'s client id at the EHR)');
  if (!e.OPEN_SERVER_MODE && !scopes.includes('fhirUser')) problems.push('SCOPES must include "fhirUser"');

  let sessionEncryptionKeys: readonly SessionKey[] | undefined;
  if (e.SESSION_ENCRYPTION_KEYS !== undefined) {
    try {
      sessionEncryptionKeys = parseSessionKeys(e.SESSION_ENCRYPTION_KEYS);
    } catch (error) {
      if (!(error instanceof SessionKeyError)) throw error;
      problems.push(`SESSION_ENCRYPTION_KEYS ${error.message} (generate one with: node -e "console.log('k1:'+require('crypto').randomBytes(32).toString('base64'))")`);
    }
  }

  const clientSigningKeys = readClientSigningKeys(e.CLIENT_PRIVATE_KEYS, e.CLIENT_JWKS_PATH, problems);
  if (e.CLIENT_AUTH_METHOD === 'private_key_jwt' && clientSigningKeys.length === 0 && e.CLIENT_PRIVATE_KEYS === undefined && e.CLIENT_JWKS_PATH === undefined) {
    problems.push('CLIENT_AUTH_METHOD=private_key_jwt needs CLIENT_PRIVATE_KEYS (PEM) or CLIENT_JWKS_PATH (a private JWKS file)');
  }
  if (e.CLIENT_AUTH_METHOD === 'client_secret_basic' && e.CLIENT_SECRET === undefined) problems.push('CLIENT_AUTH_METHOD=client_secret_basic needs CLIENT_SECRET');

  const paymentSettings = [e.PAYMENT_PROCESSOR_URL, e.PAYMENT_API_KEY, e.PAYMENT_WEBHOOK_SECRET].filter((v) => v !== undefined).length;
  if (paymentSettings !== 0 && paymentSettings !== 3) problems.push('PAYMENT_PROCESSOR_URL, PAYMENT_API_KEY and PAYMENT_WEBHOOK_SECRET go together: set all three or none');
  if (problems.length > 0) throw new ConfigError(`Invalid configuration:\n  ${problems.join('\n  ')}`);

  return Object.freeze({
    port: e.PORT,
    publicUrl,
    secureCookies,
    fhirBaseUrl: e.FHIR_BASE_URL,
    allowedIss: Object.freeze([...new Set(allowedIss)]),
    allowedAuthOrigins: Object.freeze(allowedAuthOrigins),
    clientId: e.CLIENT_ID ?? '',
    clientSecret: e.CLIENT_SECRET,
    clientAuthMethod: e.CLIENT_AUTH_METHOD,
    clientSigningKeys: Object.freeze(clientSigningKeys),
    scopes: Object.freeze(scopes),
    policyProfile: e.POLICY_PROFILE,
    databaseUrl: e.DATABASE_URL,
    dataDir: e.DATA_DIR,
    sessionIdleMinutes: e.SESSION_IDLE_MINUTES,
    sessionMaxHours: e.SESSION_MAX_HOURS,
    sessionEncryptionKeys,
    auditRetentionDays: e.AUDIT_RETENTION_DAYS,
    openServerMode: e.OPEN_SERVER_MODE,
    logLevel: e.LOG_LEVEL,
    signInRateLimit: e.SIGNIN_RATE_LIMIT,
    signInRateWindowSeconds: e.SIGNIN_RATE_WINDOW_SECONDS,
    factsCacheSeconds: e.FACTS_CACHE_SECONDS,
    factsCacheSessions: e.FACTS_CACHE_SESSIONS,
    trustProxy: e.TRUST_PROXY,
    embedOrigins: Object.freeze(embedOrigins),
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM ?? `Sprout <no-reply@${publicParsed.hostname}>`,
    payments: e.PAYMENT_PROCESSOR_URL !== undefined && e.PAYMENT_API_KEY !== undefined && e.PAYMENT_WEBHOOK_SECRET !== undefined
      ? { processorUrl: e.PAYMENT_PROCESSOR_URL.replace(/\/+$/, ''), apiKey: e.PAYMENT_API_KEY, webhookSecret: e.PAYMENT_WEBHOOK_SECRET }
      : undefined,
    directSmtpUrl: e.DIRECT_SMTP_URL ?? e.SMTP_URL,
    directFrom: e.DIRECT_FROM ?? `Sprout records <records@direct.${publicParsed.hostname}>`,
    directTrustDomains: Object.freeze(splitList(e.DIRECT_TRUST_DOMAINS).map((d) => d.toLowerCase())),
  });
}

/**
 * EMBED_ORIGINS: comma-separated exact origins (`https://portal.hospital.example`, or `http://127.0.0.1:8080` and other
 * loopback http for development). No wildcards, paths, queries or credentials: each becomes a `frame-ancestors` source.
 */
function parseEmbedOrigins(raw: string | undefined, problems: string[]): string[] {
  const origins: string[] = [];
  for (const item of splitList(raw)) {
    let url: URL | undefined;
    try {
      url = new URL(item);
    } catch {
      url = undefined;
    }
    const exact = url !== undefined && (item === url.origin || item === `${url.origin}/`);
    const allowedScheme = url !== undefined && (url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackUrl(url)));
    if (url === undefined || !exact || !allowedScheme || item.includes('*')) {
      problems.push(`EMBED_ORIGINS entry "${item}" must be an exact https origin such as https://portal.hospital.example (http only on a loopback address), with no path or wildcard`);
    } else if (!origins.includes(url.origin)) {
      origins.push(url.origin);
    }
  }
  return origins;
}

/** private_key_jwt keys from CLIENT_PRIVATE_KEYS or CLIENT_JWKS_PATH (one of them); problems are pushed, never thrown. */
function readClientSigningKeys(pem: string | undefined, jwksPath: string | undefined, problems: string[]): ClientSigningKey[] {
  if (pem !== undefined && jwksPath !== undefined) {
    problems.push('CLIENT_PRIVATE_KEYS and CLIENT_JWKS_PATH are both set; set only one');
    return [];
  }
  const [name, read] =
    pem !== undefined
      ? (['CLIENT_PRIVATE_KEYS', () => parsePemPrivateKeys(pem)] as const)
      : jwksPath !== undefined
        ? ([`CLIENT_JWKS_PATH "${jwksPath}"`, () => parsePrivateJwks(readJsonFile(jwksPath))] as const)
        : (['', () => []] as const);
  try {
    const keys = read();
    checkDistinctKids(keys);
    return keys;
  } catch (error) {
    if (!(error instanceof ClientKeyError)) throw error;
    problems.push(`${name} ${error.message}`);
    return [];
  }
}

function readJsonFile(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    throw new ClientKeyError(`cannot be read (${cause instanceof Error && 'code' in cause ? String(cause.code) : 'error'})`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ClientKeyError('is not JSON');
  }
}

/** The settings the admin commands (audit:verify, account:blocks, account:unblock) need: the store's, nothing else. */
export type StoreConfig = Pick<Config, 'databaseUrl' | 'dataDir' | 'sessionEncryptionKeys' | 'auditRetentionDays'>;

/** Parse only the store's variables (DATABASE_URL, DATA_DIR, SESSION_ENCRYPTION_KEYS, AUDIT_RETENTION_DAYS). */
export function parseStoreConfig(env: Record<string, string | undefined>): StoreConfig {
  const parsed = EnvSchema.pick({ DATABASE_URL: true, DATA_DIR: true, SESSION_ENCRYPTION_KEYS: true, AUDIT_RETENTION_DAYS: true }).safeParse(withoutEmpty(env));
  if (!parsed.success) {
    throw new ConfigError(`Invalid configuration:\n  ${parsed.error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`).join('\n  ')}`);
  }
  let sessionEncryptionKeys: readonly SessionKey[] | undefined;
  try {
    sessionEncryptionKeys = parsed.data.SESSION_ENCRYPTION_KEYS === undefined ? undefined : parseSessionKeys(parsed.data.SESSION_ENCRYPTION_KEYS);
  } catch (error) {
    if (!(error instanceof SessionKeyError)) throw error;
    throw new ConfigError(`Invalid configuration:\n  SESSION_ENCRYPTION_KEYS ${error.message}`);
  }
  return Object.freeze({
    databaseUrl: parsed.data.DATABASE_URL,
    dataDir: parsed.data.DATA_DIR,
    sessionEncryptionKeys,
    auditRetentionDays: parsed.data.AUDIT_RETENTION_DAYS,
  });
}

let loaded: Config | undefined;

/** The process's configuration, parsed from process.env on first use. */
export function loadConfig(): Config {
  loaded ??= parseConfig(process.env);
  return loaded;
}
