/**
 * Configuration parsing shared by every process: a zod schema applied to an input (the environment,
 * a registry file, CLI flags), and one way of saying what is wrong — every bad key on its own line,
 * the value never echoed (a secret may be the bad value).
 */
import type { z } from 'zod';

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** `  path.to.key: message` lines of a zod error (`(root)` for the whole input), with an optional key prefix (e.g. `--` for flags). */
export function formatIssues(error: z.ZodError, keyPrefix = ''): string {
  return error.issues.map((i) => `  ${keyPrefix}${i.path.join('.') || '(root)'}: ${i.message}`).join('\n');
}

/** Parses `input` or throws a ConfigError `Invalid <what>:` followed by every bad key. */
export function parseConfig<S extends z.ZodType>(schema: S, input: unknown, what = 'configuration'): z.infer<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  throw new ConfigError(`Invalid ${what}:\n${formatIssues(parsed.error)}`);
}
