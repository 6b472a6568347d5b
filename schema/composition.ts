/**
 * Composes the supergraph from the subgraphs' schema files with @apollo/composition. Pure: returns
 * the SDL or the composition errors; `npm run compose` writes it, a test checks the committed one.
 */
import { readFileSync } from 'node:fs';
import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
import { SUBGRAPHS, defaultRoutingUrl } from './subgraphs';

export type CompositionOutcome = { ok: true; supergraphSdl: string; hints: string[] } | { ok: false; errors: string[] };

export function composeSupergraph(): CompositionOutcome {
  const services = SUBGRAPHS.map((s) => ({ name: s.name, url: defaultRoutingUrl(s), typeDefs: parse(readFileSync(s.schemaPath, 'utf8')) }));
  const result = composeServices(services);
  if (result.errors && result.errors.length > 0) return { ok: false, errors: result.errors.map((e) => e.message) };
  if (!result.supergraphSdl) return { ok: false, errors: ['composition produced no supergraph'] };
  return { ok: true, supergraphSdl: result.supergraphSdl, hints: (result.hints ?? []).map((h) => h.toString()) };
}
