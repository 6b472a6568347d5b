/**
 * The Salesforce subgraph's SDL (schema.graphql), parsed once at start-up. The file is read from
 * beside this module, or from the source tree when running from a build output that did not copy it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse, type DocumentNode } from 'graphql';

const candidates = [resolve(__dirname, 'schema.graphql'), resolve(__dirname, '../../../subgraphs/salesforce/schema.graphql')];

/** The raw SDL. */
export const salesforceSdl: string = readFileSync(candidates.find((p) => existsSync(p)) ?? candidates[0]!, 'utf8');

/** The parsed SDL, for `buildSubgraphSchema`. */
export const salesforceTypeDefs: DocumentNode = parse(salesforceSdl);
