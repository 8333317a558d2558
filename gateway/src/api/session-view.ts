/**
 * The JSON shape of GET /api/session — what the app knows about who is signed in and whom they may act for.
 * The app imports this type only; it never sees FHIR tokens or raw policy internals.
 */
import type { AvailableAction, ServedActionKind } from '../actions/available.ts';
import type { AccessFeatures, AccessLevel } from '../policy/types.ts';

export interface SessionPatientView {
  /** Patient id (not the reference), for /fhir/Patient/<id> and app routes. */
  readonly id: string;
  readonly name: string;
  /** YYYY-MM-DD, or partial ("2014", "2014-05"), or undefined when the record has none. */
  readonly birthDate?: string;
  readonly gender?: string;
  readonly relationship: 'self' | 'guardian' | 'conservator' | 'staff' | 'none';
  /**
   * What the person may do for this patient and the key of its kind explanation. Never which rule applied: the
   * policy's machine reason and legal basis (a court order, a harm determination…) stay in the audit trail and the
   * explain tool (issue 8, class 8).
   */
  readonly access: {
    readonly level: AccessLevel;
    readonly messageKey: string;
    readonly features: AccessFeatures;
    readonly nextChange?: { readonly localDate: string; readonly level: AccessLevel; readonly messageKey: string };
  };
  /**
   * What the person can really do for this patient: the decision's features intersected with the actions this
   * gateway serves (gateway/src/actions/available.ts). The app promises only these (nothing when absent).
   */
  readonly availableActions?: readonly AvailableAction[];
}

export interface SessionView {
  readonly signedIn: true;
  /** `gender` is the person's administrative gender (male, female, other, unknown) when recorded: Spanish agrees with it. */
  readonly user: { readonly name: string; readonly fhirUser: string; readonly kind: string; readonly gender?: string };
  readonly patients: readonly SessionPatientView[];
  /** The launched or chosen patient, when the launch carried one. */
  readonly currentPatientId?: string;
  /** Show the patient banner unless the EHR said it already shows one. */
  readonly needPatientBanner: boolean;
  readonly openServerMode: boolean;
  /** The hospital profile in force, and its time zone, for dates shown to the family. */
  readonly profile: { readonly id: string; readonly timeZone: string; readonly himPhone?: string; readonly hospitalName: string };
  /** Epoch ms when the idle timeout will end the session unless there is activity; for the warning dialog. */
  readonly idleExpiresAt: number;
  readonly idleTimeoutSeconds: number;
  /** Send this in the X-CSRF-Token header on state-changing calls. */
  readonly csrfToken: string;
}

export interface SignedOutView {
  readonly signedIn: false;
  readonly loginUrl: string;
  /** The actions this deployment serves (for the landing page's description); absent from older gateways. */
  readonly servedActions?: readonly ServedActionKind[];
}
