/** The Odoo subgraph's SDL (schema.graphql beside this file), read and parsed once at start-up. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import gql from 'graphql-tag';

export const SCHEMA_PATH = join(__dirname, 'schema.graphql');

export const typeDefs = gql(readFileSync(SCHEMA_PATH, 'utf8'));
