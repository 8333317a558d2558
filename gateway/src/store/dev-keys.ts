/**
 * The development session key for `npm start`: SESSION_ENCRYPTION_KEYS when the environment sets it, else a key kept
 * in DATA_DIR/session-encryption-keys — created on first start, owner-only (0600), never committed (.data/ is
 * ignored) — so development sessions survive a restart. Production sets SESSION_ENCRYPTION_KEYS from its secret store.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateSessionKey } from './seal.ts';

export const DEV_KEY_FILE = 'session-encryption-keys';

export function devSessionKeys(dataDir: string, configured: string | undefined): { readonly keys: string; readonly createdFile?: string } {
  if (configured !== undefined && configured.trim() !== '') return { keys: configured };
  const file = join(dataDir, DEV_KEY_FILE);
  let createdFile: string | undefined;
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, `${generateSessionKey('dev1')}\n`, { mode: 0o600, flag: 'wx' });
    createdFile = file;
  }
  chmodSync(file, 0o600);
  const keys = readFileSync(file, 'utf8').trim();
  return createdFile === undefined ? { keys } : { keys, createdFile };
}
