/**
 * The minor-confidentiality policy core: pure functions over FHIR facts, a hospital profile and an instant.
 * See docs/policy.md for how it decides and how a hospital writes its own profile and value-set entries.
 */
export type * from './types.ts';
export { ACCESS_LEVELS, PRINCIPAL_KINDS } from './types.ts';
export {
  BUILTIN_PROFILES,
  BUILTIN_PROFILE_IDS,
  parseProfile,
  type BuiltinProfileId,
  type HospitalProfile,
  type ProfileBand,
  type ProfileView,
} from './profile.ts';
export { decidePatientAccess, NOT_ACTIVE_MESSAGE_KEY } from './access.ts';
export { patientReferencesForPrincipal } from './principal.ts';
export {
  classifyResource,
  ClassificationMemo,
  referencesToResolve,
  MAX_PROPAGATION_DEPTH,
  type CategoryFinding,
  type Classification,
  type FindingSource,
  type MedicationReading,
} from './classify.ts';
export { decideResource, redactPatientForDecision, viewForDecision } from './resource.ts';
export { SENSITIVITY_CATEGORIES, SENSITIVITY_CATEGORY_IDS, type SensitivityCategory } from './categories.ts';
export { compileValueSet, DEFAULT_VALUE_SET, valueSetForProfile, type CompiledValueSet, type LocalTerminology } from './value-set.ts';
export { loadTerminology, SHIPPED_TERMINOLOGY, type Terminology, type TerminologyEntry, type TerminologySource } from './terminology.ts';
