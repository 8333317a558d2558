/**
 * The app's view of GET /api/session. The types are the gateway's contract (gateway/src/api/session-view.ts),
 * imported as types only: nothing from the gateway runs in the browser.
 */
export type { SessionPatientView, SessionView, SignedOutView } from '../../../gateway/src/api/session-view.ts';
export type { AccessFeatures, AccessLevel } from '../../../gateway/src/policy/types.ts';
