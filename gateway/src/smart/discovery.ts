/**
 * SMART discovery: `{base}/.well-known/smart-configuration`. Endpoints are resolved against the base and must sit on an
 * origin allowed for that base; otherwise the launch is refused (a compromised or misconfigured discovery document
 * must not send codes, secrets or refresh tokens elsewhere).
 */
import { z } from 'zod';
import type { SmartEndpoints } from '../session/types.ts';
import { fetchJson, SmartError, type FetchLike } from './http.ts';

const SmartConfigurationSchema = z.object({
  issuer: z.string().min(1).optional(),
  jwks_uri: z.string().min(1).optional(),
  authorization_endpoint: z.string().min(1),
  token_endpoint: z.string().min(1),
  revocation_endpoint: z.string().min(1).optional(),
  capabilities: z.array(z.string()).optional(),
  code_challenge_methods_supported: z.array(z.string()).optional(),
  token_endpoint_auth_methods_supported: z.array(z.string()).optional(),
});

function resolveOnAllowedOrigin(field: string, value: string, base: string, allowedOrigins: ReadonlySet<string>): string {
  let url: URL;
  try {
    url = new URL(value, `${base}/`);
  } catch (cause) {
    throw new SmartError('bad-response', `smart-configuration ${field} is not a URL`, { cause });
  }
  if (url.username !== '' || url.password !== '') throw new SmartError('forbidden-origin', `smart-configuration ${field} carries credentials`);
  if (!allowedOrigins.has(url.origin)) {
    throw new SmartError('forbidden-origin', `smart-configuration ${field} is on ${url.origin}, which is not allowed for ${base}`);
  }
  return url.href;
}

export async function discoverSmartEndpoints(
  base: string,
  options: { readonly fetch: FetchLike; readonly allowedOrigins: ReadonlySet<string> },
): Promise<SmartEndpoints> {
  const response = await fetchJson(options.fetch, `${base}/.well-known/smart-configuration`);
  if (!response.ok) throw new SmartError('bad-response', `smart-configuration answered ${response.status}`);
  const parsed = SmartConfigurationSchema.safeParse(response.body);
  if (!parsed.success) throw new SmartError('bad-response', `smart-configuration is missing or has bad fields: ${parsed.error.issues.map((i) => i.path.join('.')).join(', ')}`);
  const doc = parsed.data;
  // PKCE S256 is used whatever the document says; a server that lists methods without S256 cannot work with us.
  if (doc.code_challenge_methods_supported !== undefined && !doc.code_challenge_methods_supported.includes('S256')) {
    throw new SmartError('bad-response', 'the authorization server does not support PKCE S256');
  }
  const resolve = (field: string, value: string) => resolveOnAllowedOrigin(field, value, base, options.allowedOrigins);
  return {
    authorizationEndpoint: resolve('authorization_endpoint', doc.authorization_endpoint),
    tokenEndpoint: resolve('token_endpoint', doc.token_endpoint),
    ...(doc.revocation_endpoint === undefined ? {} : { revocationEndpoint: resolve('revocation_endpoint', doc.revocation_endpoint) }),
    ...(doc.jwks_uri === undefined ? {} : { jwksUri: resolve('jwks_uri', doc.jwks_uri) }),
    ...(doc.token_endpoint_auth_methods_supported === undefined ? {} : { tokenEndpointAuthMethods: doc.token_endpoint_auth_methods_supported }),
    // The issuer is an identifier compared with the id_token's `iss`, exactly as published; it must still be allowed.
    ...(doc.issuer === undefined ? {} : { issuer: (resolve('issuer', doc.issuer), doc.issuer) }),
  };
}
