/**
 * `npm run -s token -- --tenant acme --role agent [--ttl 3600] [--subject x]`: prints a local
 * (HS256) client token alone on its last line. The key is AUTH_HS256_SECRET if set, else the
 * development key `npm start` uses (.local/dev-secrets.json).
 */
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { formatIssues } from '../platform/config';
import { ROLES } from '../tenancy/identity';
import { loadOrCreateDevSecrets } from '../platform/dev-secrets';
import { mintLocalToken } from './local-tokens';

const Args = z.object({
  tenant: z.string().regex(/^[a-z][a-z0-9-]{1,39}$/, 'a tenant id'),
  role: z.enum(ROLES),
  ttl: z.coerce
    .number()
    .int()
    .positive()
    .max(7 * 24 * 3600)
    .default(3600),
  subject: z.string().min(1).optional(),
});

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { tenant: { type: 'string' }, role: { type: 'string', default: 'agent' }, ttl: { type: 'string' }, subject: { type: 'string' } },
  });
  const parsed = Args.safeParse(values);
  if (!parsed.success) {
    process.stderr.write(`usage: npm run -s token -- --tenant <id> --role <${ROLES.join('|')}> [--ttl seconds]\n${formatIssues(parsed.error, '--')}\n`);
    process.exit(2);
  }
  const secret = process.env['AUTH_HS256_SECRET'] ?? loadOrCreateDevSecrets().authSecret;
  const token = await mintLocalToken(
    {
      tenant: parsed.data.tenant,
      role: parsed.data.role,
      ttlSeconds: parsed.data.ttl,
      subject: parsed.data.subject,
      issuer: process.env['AUTH_ISSUER'] ?? 'support-gateway-local',
      audience: process.env['AUTH_AUDIENCE'] ?? 'support-gateway',
    },
    new TextEncoder().encode(secret),
  );
  process.stdout.write(`${token}\n`);
}

void main();
