/**
 * The app's view of GET /api/session. The types are the gateway's contract (gateway/src/api/session-view.ts),
 * imported as types only: nothing from the gateway runs in the browser.
 */
export type { SessionPatientView, SessionView, SignedOutView } from '../../../gateway/src/api/session-view.ts';
export type { AccessFeatures, AccessLevel } from '../../../gateway/src/policy/types.ts';
export type { AvailableAction, ServedActionKind } from '../../../gateway/src/actions/available.ts';
export type { FamilyPreview, PreviewAccessState, PreviewChange, PreviewViewer } from '../../../gateway/src/api/family-preview.ts';
