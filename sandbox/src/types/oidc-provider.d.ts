/**
 * The slice of oidc-provider 9's API the sandbox uses (the package ships no type declarations, and
 * @types/oidc-provider lags the major version). Keep it to what sandbox/src/auth actually calls.
 */
declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http';

  export interface OidcContext {
    readonly route?: string;
    readonly params?: Record<string, unknown>;
    readonly client?: { readonly clientId: string };
  }

  export interface KoaContext {
    readonly path: string;
    readonly method: string;
    status: number;
    body: unknown;
    readonly oidc?: OidcContext;
  }

  export type KoaMiddleware = (ctx: KoaContext, next: () => Promise<void>) => Promise<void>;

  export interface AccountClaims {
    sub: string;
    [claim: string]: unknown;
  }

  export interface Account {
    accountId: string;
    claims(use: string, scope: string): Promise<AccountClaims> | AccountClaims;
  }

  export interface ClientMetadata {
    client_id: string;
    client_secret?: string;
    redirect_uris: string[];
    grant_types?: string[];
    response_types?: string[];
    token_endpoint_auth_method?: string;
    id_token_signed_response_alg?: string;
  }

  export interface Configuration {
    adapter?: new (model: string) => unknown;
    clients?: ClientMetadata[];
    jwks?: { keys: Array<Record<string, unknown>> };
    cookies?: { keys?: string[]; long?: Record<string, unknown>; short?: Record<string, unknown> };
    claims?: Record<string, string[] | null>;
    scopes?: string[];
    extraParams?: Record<string, ((ctx: KoaContext, value: unknown, client: unknown) => void | Promise<void>) | null>;
    conformIdTokenClaims?: boolean;
    features?: Record<string, { enabled: boolean; [option: string]: unknown }>;
    findAccount?: (ctx: KoaContext, sub: string) => Promise<Account | undefined>;
    interactions?: { url: (ctx: KoaContext, interaction: Interaction) => string | Promise<string> };
    pkce?: { required: () => boolean };
    rotateRefreshToken?: boolean | (() => boolean);
    loadExistingGrant?: (ctx: KoaContext & { oidc: { result?: { consent?: { grantId?: string } } } }) => Promise<Grant | undefined>;
    ttl?: Record<string, number>;
    renderError?: (ctx: KoaContext, out: Record<string, string>, error: Error) => void | Promise<void>;
    clientBasedCORS?: () => boolean;
    responseTypes?: string[];
    enabledJWA?: Record<string, string[]>;
    /** Outgoing requests (jwks_uri, …); the default refuses special-use addresses such as loopback. */
    fetch?: (url: URL | string, init: RequestInit & { dispatcher?: unknown }) => Promise<Response>;
  }

  export interface Interaction {
    readonly uid: string;
    readonly prompt: { name: string; reasons: string[]; details: Record<string, unknown> };
    readonly params: Record<string, string | undefined>;
    readonly session?: { accountId?: string };
    readonly grantId?: string;
    readonly lastSubmission?: Record<string, unknown>;
  }

  export interface InteractionResult {
    login?: { accountId: string; remember?: boolean };
    consent?: { grantId: string };
    error?: string;
    error_description?: string;
  }

  export class Grant {
    constructor(properties: { accountId: string; clientId: string });
    readonly jti: string;
    addOIDCScope(scope: string): void;
    save(): Promise<string>;
    static find(id: string): Promise<Grant | undefined>;
  }

  export interface AccessTokenRecord {
    readonly jti: string;
    readonly accountId: string;
    readonly clientId: string;
    readonly grantId?: string;
    readonly scope?: string;
    readonly exp?: number;
    readonly isExpired: boolean;
  }

  export class Provider {
    constructor(issuer: string, configuration: Configuration);
    callback(): (req: IncomingMessage, res: ServerResponse) => void;
    use(middleware: KoaMiddleware): void;
    proxy: boolean;
    interactionDetails(req: IncomingMessage, res: ServerResponse): Promise<Interaction>;
    interactionFinished(req: IncomingMessage, res: ServerResponse, result: InteractionResult, options?: { mergeWithLastSubmission?: boolean }): Promise<void>;
    readonly Grant: typeof Grant;
    readonly AccessToken: { find(token: string): Promise<AccessTokenRecord | undefined> };
    /** Tokens of the client_credentials grant (SMART Backend Services): no account. */
    readonly ClientCredentials: { find(token: string): Promise<{ readonly clientId: string; readonly scope?: string; readonly isExpired: boolean } | undefined> };
  }

  export const errors: {
    InvalidRequest: new (description: string) => Error;
    InvalidTarget: new (description: string) => Error;
  };

  export default Provider;
}
