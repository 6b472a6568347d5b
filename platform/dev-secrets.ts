/**
 * Development-only secrets for the embedded `npm start`: the HS256 key local client tokens are
 * signed with and the gateway->subgraph identity key. Minted at random on first use and kept in
 * `.local/dev-secrets.json` (git-ignored, mode 0600), so `npm run token` in another terminal mints
 * tokens the running gateway accepts. Production sets AUTH_* and INTERNAL_TOKEN_SECRET instead.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { z } from 'zod';

const DevSecrets = z.object({ authSecret: z.string().min(32), internalSecret: z.string().min(32) });
export type DevSecrets = z.infer<typeof DevSecrets>;

export const DEV_SECRETS_PATH = resolve(__dirname, '..', '.local', 'dev-secrets.json');

export function loadOrCreateDevSecrets(path = DEV_SECRETS_PATH): DevSecrets {
  try {
    const parsed = DevSecrets.safeParse(JSON.parse(readFileSync(path, 'utf8')));
    if (parsed.success) return parsed.data;
  } catch {
    // absent or unreadable: mint new ones below
  }
  const secrets: DevSecrets = { authSecret: randomBytes(32).toString('base64url'), internalSecret: randomBytes(32).toString('base64url') };
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
}
