/**
 * Credentials are never written in the registry: it holds references, resolved here at start-up.
 * `{"env": "NAME"}` reads an environment variable; `{"file": "/run/secrets/x"}` reads a mounted
 * file (trailing newline trimmed), as Docker and Kubernetes secrets are mounted.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';

export const SecretRef = z.union([
  z.object({ env: z.string().regex(/^[A-Z_][A-Z0-9_]*$/, 'an environment variable name') }).strict(),
  z.object({ file: z.string().min(1) }).strict(),
]);
export type SecretRef = z.infer<typeof SecretRef>;

/** Where secret references are resolved; defaults to the process environment and the file system. */
export interface SecretSource {
  env: Readonly<Record<string, string | undefined>>;
  readFile?: (path: string) => string;
}

/** Thrown when a reference cannot be resolved; names the reference, never a value. */
export class SecretResolutionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecretResolutionError';
  }
}

export function describeRef(ref: SecretRef): string {
  return 'env' in ref ? `env:${ref.env}` : `file:${ref.file}`;
}

export function resolveSecret(ref: SecretRef, source: SecretSource = { env: process.env }): string {
  if ('env' in ref) {
    const value = source.env[ref.env];
    if (value === undefined || value === '') throw new SecretResolutionError(`secret ${describeRef(ref)} is not set`);
    return value;
  }
  try {
    const value = (source.readFile ?? ((p) => readFileSync(p, 'utf8')))(ref.file).replace(/\r?\n$/, '');
    if (value === '') throw new SecretResolutionError(`secret ${describeRef(ref)} is empty`);
    return value;
  } catch (err) {
    if (err instanceof SecretResolutionError) throw err;
    throw new SecretResolutionError(`secret ${describeRef(ref)} cannot be read`);
  }
}
