/**
 * Which actions this deployment actually serves, and so what a person may be promised. Every action module registers
 * its kind on the app's `ServedActions` when it is mounted (gateway/src/app.ts); the session view then lists, per
 * patient, the policy decision's features intersected with what is served — never a static list. A feature the policy
 * allows but no route serves is not promised; a served route the policy does not allow for this patient is not either.
 */
import type { AccessFeatures } from '../policy/types.ts';

/** The kinds of action a module can serve (one per policy feature that gates an action). */
export const SERVED_ACTION_KINDS = ['messages', 'appointment-requests', 'renewals', 'bills'] as const;
export type ServedActionKind = (typeof SERVED_ACTION_KINDS)[number];

/**
 * What a person can do for one patient, in the order the app lists it. "bills" means view and pay bills; "balance"
 * means only the balance due (the policy's `bills: 'balance-only'`).
 */
export const AVAILABLE_ACTIONS = ['messages', 'appointment-requests', 'renewals', 'bills', 'balance'] as const;
export type AvailableAction = (typeof AVAILABLE_ACTIONS)[number];

export interface ServedActions {
  /** Called once by an action module as it is mounted. Registering twice is harmless. */
  register(kind: ServedActionKind): void;
  /** The kinds served, in SERVED_ACTION_KINDS order. */
  served(): readonly ServedActionKind[];
}

export function createServedActions(initial: readonly ServedActionKind[] = []): ServedActions {
  const kinds = new Set<ServedActionKind>();
  const served: ServedActions = {
    register(kind) {
      if (!(SERVED_ACTION_KINDS as readonly string[]).includes(kind)) throw new Error(`Unknown action kind: ${String(kind)}`);
      kinds.add(kind);
    },
    served: () => SERVED_ACTION_KINDS.filter((kind) => kinds.has(kind)),
  };
  for (const kind of initial) served.register(kind);
  return served;
}

/** The policy's features intersected with what is served: what this person can really do for this patient. */
export function availableActionsFor(features: AccessFeatures, served: readonly ServedActionKind[]): AvailableAction[] {
  const has = (kind: ServedActionKind) => served.includes(kind);
  const actions: AvailableAction[] = [];
  if (features.messages && has('messages')) actions.push('messages');
  if (features.appointmentRequests && has('appointment-requests')) actions.push('appointment-requests');
  if (features.renewals && has('renewals')) actions.push('renewals');
  if (features.bills === 'full' && has('bills')) actions.push('bills');
  if (features.bills === 'balance-only' && has('bills')) actions.push('balance');
  return actions;
}
