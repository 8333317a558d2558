/**
 * EHR launch contexts. The launch simulator stores who is "signed in to the EHR" and which patient (and encounter)
 * is open; the opaque `launch` id it hands to the app names that record. Ids are 128-bit random and expire.
 * After authorization, the context chosen for a grant is kept by grant id so the token endpoint (and every refresh)
 * can add `patient`/`encounter` to the token response.
 */
import { randomBytes } from 'node:crypto';

export interface LaunchContext {
  /** The EHR user (`Practitioner/…`, `Person/…`, …); the sandbox signs the user in as them. */
  readonly accountId: string;
  /** Patient id (not a reference). */
  readonly patient: string;
  readonly encounter?: string;
  readonly needPatientBanner: boolean;
}

export interface GrantContext {
  readonly patient?: string;
  readonly encounter?: string;
  readonly needPatientBanner: boolean;
}

const LAUNCH_TTL_MS = 10 * 60 * 1000;

export class LaunchContextStore {
  #launches = new Map<string, { context: LaunchContext; expiresAt: number }>();
  #grants = new Map<string, GrantContext>();
  #now: () => number;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  create(context: LaunchContext): string {
    const id = randomBytes(16).toString('base64url');
    this.#launches.set(id, { context, expiresAt: this.#now() + LAUNCH_TTL_MS });
    return id;
  }

  find(launchId: string | undefined): LaunchContext | undefined {
    if (!launchId) return undefined;
    const stored = this.#launches.get(launchId);
    if (!stored) return undefined;
    if (stored.expiresAt <= this.#now()) {
      this.#launches.delete(launchId);
      return undefined;
    }
    return stored.context;
  }

  bindGrant(grantId: string, context: GrantContext): void {
    this.#grants.set(grantId, context);
  }

  forGrant(grantId: string | undefined): GrantContext | undefined {
    return grantId === undefined ? undefined : this.#grants.get(grantId);
  }
}
