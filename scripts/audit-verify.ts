/**
 * `npm run audit:verify`: checks the audit trail's hash chain (gateway/src/store/audit-chain.ts) in the configured
 * store (DATABASE_URL, else the PGlite folder under DATA_DIR — stop the portal first, PGlite allows one process).
 * Exit 0 and the head (seq and hash, worth writing down somewhere else) when intact; exit 1 naming the first broken
 * row; exit 2 when the store cannot be opened.
 */
import { ConfigError, parseStoreConfig } from '../gateway/src/config.ts';
import { openAdminStore } from '../gateway/src/store/index.ts';
import type { AuditTrail } from '../gateway/src/store/types.ts';

/** Verify and print the outcome; returns the exit code. */
export async function auditVerify(trail: AuditTrail, print: (line: string) => void): Promise<number> {
  const result = await trail.verify();
  if (result.ok) {
    print(
      result.head === undefined
        ? 'Audit trail intact: no records.'
        : `Audit trail intact: ${result.rows} records checked; head seq ${result.head.seq}, hash ${result.head.hash}.`,
    );
    return 0;
  }
  print(`Audit trail BROKEN at seq ${result.broken.seq} (record ${result.broken.id}): ${result.broken.problem}.`);
  print(`${result.rows} records before it checked out.`);
  return 1;
}

if (import.meta.main) {
  let code: number;
  try {
    const store = await openAdminStore(parseStoreConfig(process.env));
    try {
      code = await auditVerify(store.auditTrail, (line) => console.log(line));
    } finally {
      await store.close();
    }
  } catch (error) {
    console.error(error instanceof ConfigError ? error.message : `audit:verify could not read the store: ${error instanceof Error ? error.message : String(error)}`);
    code = 2;
  }
  process.exit(code);
}
