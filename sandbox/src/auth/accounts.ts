/**
 * Sandbox sign-ins come from the data: a Person, RelatedPerson, Patient or Practitioner with an identifier in system
 * `urn:sprout:sandbox:login` is an account whose username is that identifier's value. Everyone shares one password.
 * The account id (the OIDC `sub`) is the resource's relative reference, `fhirUser` its absolute URL.
 */
import type { FhirResource, HumanName, Person, Practitioner, RelatedPerson, Patient } from 'fhir/r4';

export const SANDBOX_LOGIN_SYSTEM = 'urn:sprout:sandbox:login';
export const SANDBOX_PASSWORD = 'sprout-sandbox';

export const ACCOUNT_RESOURCE_TYPES = ['Person', 'RelatedPerson', 'Patient', 'Practitioner'] as const;
export type AccountResourceType = (typeof ACCOUNT_RESOURCE_TYPES)[number];
type AccountResource = Person | RelatedPerson | Patient | Practitioner;

export interface SandboxAccount {
  readonly username: string;
  /** `Person/…`, `RelatedPerson/…`, `Patient/…` or `Practitioner/…` — also the OIDC subject. */
  readonly accountId: string;
  readonly resourceType: AccountResourceType;
  readonly resourceId: string;
  /** Absolute URL of the user's resource, as issued in the `fhirUser` claim. */
  readonly fhirUser: string;
  readonly displayName: string;
  /** For RelatedPerson logins: the patient they act for (`Patient/…`). */
  readonly actsForPatient?: string;
}

export function formatName(names: readonly HumanName[] | undefined): string {
  const name = names?.find((n) => n.use === 'official') ?? names?.[0];
  if (!name) return '(unnamed)';
  if (name.text) return name.text;
  return [...(name.given ?? []), name.family].filter(Boolean).join(' ') || '(unnamed)';
}

function isAccountResource(resource: FhirResource): resource is AccountResource {
  return (ACCOUNT_RESOURCE_TYPES as readonly string[]).includes(resource.resourceType);
}

/** Accounts from the given resources; a username claimed twice is an error (the data is ambiguous). */
export function deriveAccounts(resources: readonly FhirResource[], fhirBaseUrl: string): SandboxAccount[] {
  const accounts: SandboxAccount[] = [];
  const seen = new Map<string, string>();
  for (const resource of resources) {
    if (!isAccountResource(resource) || !resource.id) continue;
    for (const identifier of resource.identifier ?? []) {
      if (identifier.system !== SANDBOX_LOGIN_SYSTEM || !identifier.value) continue;
      const username = identifier.value.trim().toLowerCase();
      const accountId = `${resource.resourceType}/${resource.id}`;
      const previous = seen.get(username);
      if (previous !== undefined && previous !== accountId) {
        throw new Error(`Sandbox login "${username}" is claimed by both ${previous} and ${accountId}`);
      }
      if (previous !== undefined) continue;
      seen.set(username, accountId);
      accounts.push({
        username,
        accountId,
        resourceType: resource.resourceType,
        resourceId: resource.id,
        fhirUser: `${fhirBaseUrl}/${accountId}`,
        displayName: formatName(resource.name),
        ...(resource.resourceType === 'RelatedPerson' && resource.patient.reference
          ? { actsForPatient: resource.patient.reference } : {}),
      });
    }
  }
  return accounts.sort((a, b) => a.username.localeCompare(b.username));
}
