/**
 * `npm start`: builds the app when dist/app is missing or older than its sources, starts the sandbox EHR on its own
 * port (SANDBOX_PORT, default ephemeral; SANDBOX_SEED loads your own FHIR folder) with the portal registered as a
 * confidential client, then the portal on PORT (default 8080) with the sandbox as its FHIR server, and prints where
 * to go and how to sign in. Ctrl-C stops both. Every portal setting can still be given as an environment variable.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError, parseConfig } from '../gateway/src/config.ts';
import { startGateway } from '../gateway/src/server.ts';
import { devSessionKeys } from '../gateway/src/store/dev-keys.ts';
import { startSandbox } from '../sandbox/src/index.ts';
import { startDevMailServer } from '../sandbox/src/smtp/dev-mail-server.ts';
import { startPaymentProcessor } from '../sandbox/src/payments/payment-processor.ts';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const CLIENT_ID = 'sprout-portal';

/** Newest modification time under a path (files only), 0 when it does not exist. */
function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const info = statSync(path);
  if (!info.isDirectory()) return info.mtimeMs;
  let newest = 0;
  for (const entry of readdirSync(path)) {
    if (entry === 'node_modules' || entry.startsWith('.')) continue;
    newest = Math.max(newest, newestMtime(join(path, entry)));
  }
  return newest;
}

function buildAppIfStale(): void {
  const builtIndex = join(repoRoot, 'dist/app/index.html');
  const built = existsSync(builtIndex) ? statSync(builtIndex).mtimeMs : 0;
  const sources = Math.max(newestMtime(join(repoRoot, 'app')), newestMtime(join(repoRoot, 'vite.config.ts')), newestMtime(join(repoRoot, 'fhir-mappings/src')));
  if (built >= sources && built > 0) return;
  console.log(built === 0 ? 'Building the app (first start)…' : 'App sources changed; rebuilding…');
  const vite = join(repoRoot, 'node_modules/vite/bin/vite.js');
  const result = spawnSync(process.execPath, [vite, 'build', '--logLevel', 'warn'], { cwd: repoRoot, stdio: 'inherit' });
  if (result.status !== 0) throw new Error('vite build failed (see above)');
}

function sandboxPort(): number {
  const raw = process.env['SANDBOX_PORT'];
  if (raw === undefined || raw === '') return 0;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new ConfigError(`SANDBOX_PORT must be an integer from 0 to 65535 (got "${raw}")`);
  return port;
}

/** SESSION_ENCRYPTION_KEYS for development (gateway/src/store/dev-keys.ts): the environment's, else a key kept in DATA_DIR. */
function sessionKeysForDev(dataDir: string): string {
  const { keys, createdFile } = devSessionKeys(dataDir, process.env['SESSION_ENCRYPTION_KEYS']);
  if (createdFile !== undefined) console.log(`Generated a development session encryption key in ${createdFile}.`);
  return keys;
}

async function main(): Promise<void> {
  buildAppIfStale();
  // First pass: the portal's public URL (from PORT / PUBLIC_URL) is needed for the sandbox's client registration.
  const preliminary = parseConfig({ ...process.env, FHIR_BASE_URL: 'http://127.0.0.1/pending', CLIENT_ID });
  const openServer = preliminary.openServerMode;
  const clientSecret = randomBytes(24).toString('base64url'); // a fresh registration per run; never printed
  const seed = process.env['SANDBOX_SEED'];
  const sandbox = await startSandbox({
    port: sandboxPort(),
    ...(seed === undefined || seed === '' ? {} : { seedDir: resolve(seed) }),
    openServer,
    clients: [{ clientId: CLIENT_ID, clientSecret, redirectUris: [`${preliminary.publicUrl}/callback`], launchUrl: `${preliminary.publicUrl}/launch` }],
  });
  // A real SMTP server on 127.0.0.1 for notification email (unless SMTP_URL names one), with a mailbox page.
  const mail = process.env['SMTP_URL'] === undefined || process.env['SMTP_URL'] === '' ? await startDevMailServer() : undefined;
  // The sandbox's hosted test payment page (bills, issue 13), unless a real processor is configured.
  const payments = process.env['PAYMENT_PROCESSOR_URL'] === undefined || process.env['PAYMENT_PROCESSOR_URL'] === '' ? await startPaymentProcessor() : undefined;
  let gateway;
  try {
    const dataDir = process.env['DATA_DIR'] ?? join(repoRoot, '.data');
    const config = parseConfig({
      ...process.env,
      FHIR_BASE_URL: sandbox.fhirBaseUrl,
      ALLOWED_ISS: sandbox.fhirBaseUrl,
      CLIENT_ID,
      CLIENT_SECRET: clientSecret,
      DATA_DIR: dataDir,
      SESSION_ENCRYPTION_KEYS: sessionKeysForDev(dataDir),
      ...(mail === undefined ? {} : { SMTP_URL: mail.smtpUrl }),
      ...(payments === undefined ? {} : { PAYMENT_PROCESSOR_URL: payments.url, PAYMENT_API_KEY: payments.apiKey, PAYMENT_WEBHOOK_SECRET: payments.webhookSecret }),
    });
    gateway = await startGateway({ config, staticRoot: join(repoRoot, 'dist/app') });
  } catch (error) {
    await sandbox.close();
    await mail?.close();
    await payments?.close();
    throw error;
  }

  const lines = [
    '',
    'Sprout is running.',
    `  Portal:            ${preliminary.publicUrl}${openServer ? '   (open-server TEST MODE: no sign-in at the EHR)' : ''}`,
    `  EHR launch:        ${sandbox.launchSimulatorUrl}`,
    `  Clinician area:    ${sandbox.ehrUrl}   (sign in as dr.shah)`,
    `  Sandbox FHIR base: ${sandbox.fhirBaseUrl}`,
    ...(mail === undefined ? [] : [`  Mailbox (dev SMTP): ${mail.mailboxUrl}   (SMTP ${mail.smtpUrl})`]),
    ...(payments === undefined ? [] : [`  Test payments:     ${payments.url}   (approve, decline or cancel; card ending 0002 declines)`]),
    '',
    openServer ? '  Act as one of (enter the reference on the portal\'s sign-in page):' : `  Demo sign-ins (password "${sandbox.password}"):`,
    ...sandbox.accounts.map((a) => `    ${(openServer ? a.accountId : a.username).padEnd(openServer ? 28 : 14)} ${a.displayName}${openServer ? '' : `  (${a.accountId})`}`),
    '',
    'Press Ctrl-C to stop.',
  ];
  console.log(lines.join('\n'));

  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    Promise.allSettled([gateway.close(), sandbox.close(), mail?.close(), payments?.close()]).then(() => process.exit(0), () => process.exit(1));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(`Sprout could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
