/**
 * Staff commands for account blocks (set when a person reports that someone else accessed their account):
 *   npm run account:blocks                      list every block
 *   npm run account:unblock -- <fhirUser>       clear one (recorded in the audit trail)
 * Uses the configured store (DATABASE_URL, else the PGlite folder under DATA_DIR — stop the portal first).
 * Exit 0 on success, 1 when there was nothing to clear or the arguments are wrong, 2 when the store cannot be opened.
 */
import { randomUUID } from 'node:crypto';
import { userInfo } from 'node:os';
import { ConfigError, parseStoreConfig } from '../gateway/src/config.ts';
import { openAdminStore } from '../gateway/src/store/index.ts';
import type { Store } from '../gateway/src/store/types.ts';

const USAGE = 'usage: account-admin.ts list | account-admin.ts unblock <fhirUser>';

/** Run one command against the store; returns the exit code. `now` is the instant recorded for an unblock. */
export async function accountAdmin(store: Store, args: readonly string[], print: (line: string) => void, now: Date = new Date(), operator = currentOperator()): Promise<number> {
  const [command, fhirUser, ...rest] = args;
  if (command === 'list' && fhirUser === undefined) {
    const blocks = await store.accountBlocks.list();
    if (blocks.length === 0) print('No accounts are blocked.');
    for (const block of blocks) print(`${block.blockedAt}  ${block.fhirUser}  (${block.reason})`);
    return 0;
  }
  if (command === 'unblock' && fhirUser !== undefined && fhirUser.trim() !== '' && rest.length === 0) {
    if (!(await store.accountBlocks.clear(fhirUser))) {
      print(`No block for ${fhirUser}; nothing changed. (npm run account:blocks lists them.)`);
      return 1;
    }
    await store.audit.append({
      id: randomUUID(),
      recorded: now.toISOString(),
      requestId: `account-admin-${randomUUID()}`,
      actor: `staff:${operator}`,
      action: 'account-unblock',
      query: `account:unblock ${fhirUser}`,
      outcome: 'allowed',
      returned: [],
      withheld: [],
      reasons: ['account-unblocked-by-staff'],
    });
    print(`Cleared the block on ${fhirUser}; they can sign in again. Recorded in the audit trail.`);
    return 0;
  }
  print(USAGE);
  return 1;
}

function currentOperator(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}

if (import.meta.main) {
  let code: number;
  try {
    const store = await openAdminStore(parseStoreConfig(process.env));
    try {
      code = await accountAdmin(store, process.argv.slice(2), (line) => console.log(line));
    } finally {
      await store.close();
    }
  } catch (error) {
    console.error(error instanceof ConfigError ? error.message : `account-admin could not use the store: ${error instanceof Error ? error.message : String(error)}`);
    code = 2;
  }
  process.exit(code);
}
