/** `npm run compose`: writes schema/supergraph.graphql, or prints the errors and exits 1. */
import { writeFileSync } from 'node:fs';
import { composeSupergraph } from './composition';
import { SUPERGRAPH_PATH } from './subgraphs';

const outcome = composeSupergraph();
if (!outcome.ok) {
  process.stderr.write(`Composition failed:\n${outcome.errors.map((e) => `  - ${e}`).join('\n')}\n`);
  process.exit(1);
}
writeFileSync(SUPERGRAPH_PATH, outcome.supergraphSdl);
for (const hint of outcome.hints) process.stdout.write(`hint: ${hint}\n`);
process.stdout.write(`Wrote ${SUPERGRAPH_PATH} (${outcome.supergraphSdl.length} bytes)\n`);
