/**
 * Environment reading for the bench/peers scripts, without zod on purpose: bench/peers/node_modules
 * (the peers' own install) holds its own zod, graphql and jose, and Node resolves a bare import
 * from a file in bench/peers to those first. So the scripts here import no package the peers also
 * carry; the repository's modules they import resolve their packages from the root as usual.
 */

/** An integer from the environment, `fallback` when unset; throws naming the variable when out of range. */
export function intFromEnv(name: string, fallback: number, min: number, max: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) throw new Error(`${name} must be an integer from ${min} to ${max}, not ${JSON.stringify(raw)}`);
  return value;
}

/** A string from the environment; throws naming the variable when unset or shorter than `minLength`. */
export function stringFromEnv(name: string, minLength = 1): string {
  const raw = process.env[name];
  if (raw === undefined || raw.length < minLength) throw new Error(`${name} is required (at least ${minLength} characters)`);
  return raw;
}
