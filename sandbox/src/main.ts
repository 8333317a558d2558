/**
 * Runs the sandbox EHR on its own: `npx node sandbox/src/main.ts` (or with `--open-server`).
 * Environment: SANDBOX_PORT (default 4010), SANDBOX_SEED (folder of FHIR JSON; default fixtures/family),
 * SANDBOX_CLIENT_ID / SANDBOX_CLIENT_SECRET / SANDBOX_REDIRECT_URI / SANDBOX_LAUNCH_URL (the portal's registration;
 * defaults match a portal on http://127.0.0.1:8080).
 */
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

async function main(): Promise<void> {
  const seed = process.env.SANDBOX_SEED;
  const sandbox = await startSandbox({
    port: parsePort(env('SANDBOX_PORT', '4010')),
    ...(seed ? { seedDir: resolve(seed) } : {}),
    openServer: process.argv.includes('--open-server'),
    clients: [{
      clientId: env('SANDBOX_CLIENT_ID', 'sprout-portal'),
      clientSecret: env('SANDBOX_CLIENT_SECRET', 'sprout-dev-secret'),
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
