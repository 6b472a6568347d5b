/**
 * Which account a request speaks for: Basic `<email>/token:<api token>` (node-zendesk's default),
 * or `Bearer <token>` (OAuth, node-zendesk's `oauth: true`) mapped to the same account.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { ZendeskTenantCredentials } from '../credentials';

export function authenticate(headers: IncomingHttpHeaders, tenants: readonly ZendeskTenantCredentials[]): ZendeskTenantCredentials | undefined {
  const header = headers.authorization;
  if (typeof header !== 'string') return undefined;
  const [scheme, value] = header.trim().split(/\s+/, 2);
  if (!scheme || !value) return undefined;
  if (scheme.toLowerCase() === 'bearer') return tenants.find((t) => t.token === value);
  if (scheme.toLowerCase() !== 'basic') return undefined;
  const decoded = Buffer.from(value, 'base64').toString('utf8');
  const m = /^(.+)\/token:(.+)$/.exec(decoded);
  if (!m) return undefined; // password auth: the sandbox knows no passwords
  const [, email, token] = m;
  return tenants.find((t) => t.email.toLowerCase() === email!.toLowerCase() && t.token === token);
}
