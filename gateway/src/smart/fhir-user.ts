/**
 * fhirUser → Principal. The claim must be an absolute URL on this session's FHIR base naming one resource of a kind
 * the portal knows: `{base}/RelatedPerson/<id>`, `Person/…`, `Patient/…` or `Practitioner/…`. Anything else (another
 * origin or base, a relative reference, query, fragment, extra path segments) is refused: the policy core keys every
 * decision on this reference, so it must be the EHR's own word about a resource on the EHR's own server.
 */
import { PRINCIPAL_KINDS, type Principal, type PrincipalKind } from '../policy/types.ts';

const FHIR_ID = /^[A-Za-z0-9\-.]{1,64}$/;

function isPrincipalKind(value: string): value is PrincipalKind {
  return (PRINCIPAL_KINDS as readonly string[]).includes(value);
}

/** Returns the principal, or undefined when the claim is not acceptable for this base. */
export function principalFromFhirUser(fhirUser: string, fhirBaseUrl: string, grantedScopes: readonly string[]): Principal | undefined {
  let url: URL;
  try {
    url = new URL(fhirUser); // no base: a relative claim throws
  } catch {
    return undefined;
  }
  if (url.username !== '' || url.password !== '' || url.search !== '' || url.hash !== '') return undefined;
  if (fhirUser.includes('?') || fhirUser.includes('#')) return undefined;
  const base = new URL(`${fhirBaseUrl}/`);
  if (url.origin !== base.origin || !url.pathname.startsWith(base.pathname)) return undefined;
  const rest = url.pathname.slice(base.pathname.length).split('/');
  if (rest.length !== 2) return undefined;
  const [kind, id] = rest as [string, string];
  if (!isPrincipalKind(kind) || !FHIR_ID.test(id)) return undefined;
  // Compare the full URL once more, as issued, against the canonical form we derived (no dot-segments, no encoding tricks).
  if (fhirUser !== `${fhirBaseUrl}/${kind}/${id}`) return undefined;
  return { fhirUser, reference: `${kind}/${id}`, kind, scopes: grantedScopes };
}
