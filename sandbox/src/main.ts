/**
 * Runs the sandbox EHR on its own: `npx node sandbox/src/main.ts` (or with `--open-server`).
 * Environment: SANDBOX_PORT (default 4010), SANDBOX_SEED (folder of FHIR JSON; default fixtures/family),
 * SANDBOX_CLIENT_ID / SANDBOX_CLIENT_SECRET / SANDBOX_REDIRECT_URI / SANDBOX_LAUNCH_URL (the portal's registration;
 * defaults match a portal on http://127.0.0.1:8080). SANDBOX_CLIENT_AUTH=private_key_jwt registers the portal with its
 * public keys instead of the secret: fetched from SANDBOX_CLIENT_JWKS_URL (default: the redirect URI's origin +
 * /.well-known/jwks.json) or read from SANDBOX_CLIENT_JWKS_PATH (a public JWKS file).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { startSandbox } from './index.ts';

function env(name: string, fallback: string): string {
  const value = process.env[name];
  return value === undefined || value === '' ? fallback : value;
}

function parsePort(text: string): number {
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new Error(`SANDBOX_PORT must be an integer from 0 to 65535, got "${text}"`);
  }
  return port;
}

/** The portal's client authentication: the shared secret (default) or its public keys (private_key_jwt). */
function clientCredentials(redirectUri: string): { clientSecret: string } | { jwks: { keys: Record<string, unknown>[] } } | { jwksUri: string } {
  const method = env('SANDBOX_CLIENT_AUTH', 'client_secret_basic');
  if (method === 'client_secret_basic') return { clientSecret: env('SANDBOX_CLIENT_SECRET', 'sprout-dev-secret') };
  if (method !== 'private_key_jwt') throw new Error(`SANDBOX_CLIENT_AUTH must be client_secret_basic or private_key_jwt, got "${method}"`);
  const path = process.env.SANDBOX_CLIENT_JWKS_PATH;
  if (path) {
    const jwks = JSON.parse(readFileSync(path, 'utf8')) as { keys?: unknown };
    if (!Array.isArray(jwks.keys) || jwks.keys.length === 0) throw new Error(`SANDBOX_CLIENT_JWKS_PATH ${path} is not a JWKS with keys`);
    return { jwks: { keys: jwks.keys as Record<string, unknown>[] } };
  }
  return { jwksUri: env('SANDBOX_CLIENT_JWKS_URL', `${new URL(redirectUri).origin}/.well-known/jwks.json`) };
}

async function main(): Promise<void> {
  const seed = process.env.SANDBOX_SEED;
  const sandbox = await startSandbox({
    port: parsePort(env('SANDBOX_PORT', '4010')),
    ...(seed ? { seedDir: resolve(seed) } : {}),
    openServer: process.argv.includes('--open-server'),
    clients: [{
      clientId: env('SANDBOX_CLIENT_ID', 'sprout-portal'),
      ...clientCredentials(env('SANDBOX_REDIRECT_URI', 'http://127.0.0.1:8080/callback')),
      redirectUris: [env('SANDBOX_REDIRECT_URI', 'http://127.0.0.1:8080/callback')],
      launchUrl: env('SANDBOX_LAUNCH_URL', 'http://127.0.0.1:8080/launch'),
    }],
  });
  const lines = [
    'Sprout sandbox EHR is running.',
    `  FHIR base:          ${sandbox.fhirBaseUrl}`,
    `  SMART discovery:    ${sandbox.fhirBaseUrl}/.well-known/smart-configuration`,
    `  OpenID issuer:      ${sandbox.issuer}`,
    `  Launch simulator:   ${sandbox.launchSimulatorUrl}`,
    `  Sign-ins (password "${sandbox.password}"):`,
    ...sandbox.accounts.map((account) => `    ${account.username.padEnd(12)} ${account.accountId} — ${account.displayName}`),
  ];
  if (sandbox.accounts.length === 0) lines.push('    (none: add identifiers in system urn:sprout:sandbox:login, see docs/sandbox.md)');
  console.log(lines.join('\n'));
  const stop = (): void => {
    void sandbox.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(`Sandbox failed to start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
