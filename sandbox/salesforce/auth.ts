/**
 * The OAuth 2.0 client-credentials flow (`POST /services/oauth2/token`) and bearer-token lookup.
 * Tokens are opaque, `<15-char org id>!<random>` like Salesforce's, and never expire: there is no
 * refresh token in this flow, so a client that loses its token logs in again.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { SalesforceTenantCredentials } from '../credentials';
import type { SandboxReply } from '../kit/emulator';
import type { OrgStore } from './store';

/** OAuth errors are flat objects, not the REST error array. */
const oauthError = (error: string, description: string): SandboxReply => ({
  status: 400,
  headers: { 'content-type': 'application/json;charset=UTF-8', 'cache-control': 'no-cache,must-revalidate,max-age=0,no-store,private' },
  body: JSON.stringify({ error, error_description: description }),
});

const sameSecret = (a: string, b: string): boolean => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/** Parameters of a token request: form body first, then the query string (Salesforce reads both). */
export function tokenParams(body: Buffer, url: URL): URLSearchParams {
  const params = new URLSearchParams(body.toString('utf8'));
  for (const [k, v] of url.searchParams) if (!params.has(k)) params.set(k, v);
  return params;
}

/** The token part of `Authorization: Bearer <token>` (Salesforce also takes the older `OAuth <token>`). */
export function bearerOf(authorization: string | undefined): string | undefined {
  const match = /^(?:Bearer|OAuth)\s+(\S+)\s*$/i.exec(authorization ?? '');
  return match?.[1];
}

export class TokenIssuer {
  readonly #tokens = new Map<string, string>();
  readonly #byClientId: Map<string, SalesforceTenantCredentials>;

  constructor(tenants: readonly SalesforceTenantCredentials[]) {
    this.#byClientId = new Map(tenants.map((t) => [t.clientId, t]));
  }

  /** Tenant whose client id this is, if any (for classification; the secret is not checked). */
  tenantOfClientId(clientId: string | null): string | undefined {
    return clientId === null ? undefined : this.#byClientId.get(clientId)?.tenant;
  }

  /** Tenant a bearer token was issued to, if it was issued here. */
  tenantOf(authorization: string | undefined): string | undefined {
    const token = bearerOf(authorization);
    return token === undefined ? undefined : this.#tokens.get(token);
  }

  /** Answers a token request; `baseUrl` becomes `instance_url` (the org's My Domain). */
  issue(params: URLSearchParams, baseUrl: string, orgOf: (tenant: string) => OrgStore | undefined): SandboxReply {
    const grantType = params.get('grant_type');
    if (grantType !== 'client_credentials') return oauthError('unsupported_grant_type', 'grant type not supported');
    const creds = this.#byClientId.get(params.get('client_id') ?? '');
    const org = creds ? orgOf(creds.tenant) : undefined;
    if (!creds || !org || !sameSecret(params.get('client_secret') ?? '', creds.clientSecret)) {
      return oauthError('invalid_client', 'invalid client credentials');
    }
    const token = `${org.orgId.slice(0, 15)}!AQ${randomBytes(48).toString('base64url')}`;
    this.#tokens.set(token, creds.tenant);
    const id = `${baseUrl}/id/${org.orgId}/${org.integrationUserId}`;
    const issuedAt = String(Date.now());
    return {
      status: 200,
      headers: { 'content-type': 'application/json;charset=UTF-8', 'cache-control': 'no-cache,must-revalidate,max-age=0,no-store,private' },
      body: JSON.stringify({
        access_token: token,
        signature: createHmac('sha256', creds.clientSecret)
          .update(id + issuedAt)
          .digest('base64'),
        token_format: 'opaque',
        instance_url: baseUrl,
        id,
        token_type: 'Bearer',
        issued_at: issuedAt,
      }),
    };
  }
}
