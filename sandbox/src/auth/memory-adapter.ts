/**
 * oidc-provider storage for the sandbox: in-process maps with expiry. Codes, sessions, grants and tokens vanish on
 * restart, which is what a development EHR wants (every start also makes new signing keys).
 */
interface StoredPayload {
  readonly [key: string]: unknown;
  readonly grantId?: string;
  readonly userCode?: string;
  readonly uid?: string;
  consumed?: number;
}

interface Entry {
  payload: StoredPayload;
  expiresAt: number | undefined;
}

export interface OidcAdapter {
  upsert(id: string, payload: StoredPayload, expiresIn: number | undefined): Promise<void>;
  find(id: string): Promise<StoredPayload | undefined>;
  findByUserCode(userCode: string): Promise<StoredPayload | undefined>;
  findByUid(uid: string): Promise<StoredPayload | undefined>;
  consume(id: string): Promise<void>;
  destroy(id: string): Promise<void>;
  revokeByGrantId(grantId: string): Promise<void>;
}

/** One storage space per authorization server, so two sandboxes in one process never share state. */
export function createMemoryAdapter(): new (model: string) => OidcAdapter {
  const stores = new Map<string, Map<string, Entry>>();
  return class SandboxMemoryAdapter implements OidcAdapter {
    #entries: Map<string, Entry>;

    constructor(model: string) {
      let entries = stores.get(model);
      if (!entries) {
        entries = new Map();
        stores.set(model, entries);
      }
      this.#entries = entries;
    }

    async upsert(id: string, payload: StoredPayload, expiresIn: number | undefined): Promise<void> {
      this.#entries.set(id, { payload: { ...payload }, expiresAt: expiresIn ? Date.now() + expiresIn * 1000 : undefined });
    }

    async find(id: string): Promise<StoredPayload | undefined> {
      const entry = this.#entries.get(id);
      if (!entry) return undefined;
      if (entry.expiresAt !== undefined && entry.expiresAt <= Date.now()) {
        this.#entries.delete(id);
        return undefined;
      }
      return entry.payload;
    }

    async findByUserCode(userCode: string): Promise<StoredPayload | undefined> {
      for (const [id, entry] of this.#entries) if (entry.payload.userCode === userCode) return this.find(id);
      return undefined;
    }

    async findByUid(uid: string): Promise<StoredPayload | undefined> {
      for (const [id, entry] of this.#entries) if (entry.payload.uid === uid) return this.find(id);
      return undefined;
    }

    async consume(id: string): Promise<void> {
      const entry = this.#entries.get(id);
      if (entry) entry.payload.consumed = Math.floor(Date.now() / 1000);
    }

    async destroy(id: string): Promise<void> {
      this.#entries.delete(id);
    }

    async revokeByGrantId(grantId: string): Promise<void> {
      for (const [id, entry] of this.#entries) if (entry.payload.grantId === grantId) this.#entries.delete(id);
    }
  };
}
