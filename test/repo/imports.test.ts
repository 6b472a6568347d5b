/**
 * The house's arrows run one way (ARCHITECTURE: "The house"): the gateway and the subgraphs meet only
 * in the composed schema, a subgraph never imports another, production code never imports the
 * sandbox or the tests, and platform/ imports nothing of the repository. Checked on every relative
 * import of every .ts file (TypeScript's own pre-processor finds imports, re-exports, import() and require()).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import ts from 'typescript';

const root = resolve(__dirname, '..', '..');
const SUBGRAPH = /^subgraphs\/(?!kit$)[a-z]+$/;
const BASE = ['schema', 'tenancy', 'cache', 'platform', 'actions'];

/** The part of the house a file belongs to: its top folder, or `subgraphs/<name>` inside subgraphs/. */
function partOf(file: string): string {
  const segments = file.split('/');
  return segments[0] === 'subgraphs' && segments.length > 2 ? `subgraphs/${segments[1]}` : (segments[0] ?? '');
}

/** Whether part `from` may import part `to` (always true within one part). */
function allowed(from: string, to: string): boolean {
  if (from === to) return true;
  switch (from) {
    case 'platform':
      return false;
    case 'tenancy':
    case 'cache':
    case 'schema':
      return to === 'platform';
    case 'actions':
      return to === 'platform' || to === 'tenancy';
    case 'gateway':
    case 'subgraphs/kit':
      return BASE.includes(to);
    case 'subgraphs': // the launchers and the doctor: every subgraph, as the gateway never may
      return BASE.includes(to) || to === 'subgraphs/kit' || SUBGRAPH.test(to);
    case 'sandbox':
      return to !== 'test' && to !== 'bench';
    case 'bench':
      return to !== 'test';
    case 'test':
      return true;
    default:
      return SUBGRAPH.test(from) && (BASE.includes(to) || to === 'subgraphs/kit');
  }
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    if (['node_modules', 'dist', '.git', '.local'].includes(e.name)) return [];
    const path = join(dir, e.name);
    return e.isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

describe('the import graph', () => {
  const edges = sourceFiles(root).flatMap((path) => {
    const file = relative(root, path);
    return ts
      .preProcessFile(readFileSync(path, 'utf8'), true, true)
      .importedFiles.filter((i) => i.fileName.startsWith('.'))
      .map((i) => ({ file, target: relative(root, resolve(dirname(path), i.fileName)) }));
  });

  it('should see the imports of every part', () => {
    const parts = new Set(edges.map((e) => partOf(e.file)));
    for (const part of ['gateway', 'subgraphs', 'subgraphs/odoo', 'subgraphs/kit', 'cache', 'tenancy', 'platform', 'sandbox', 'test'])
      expect(parts).toContain(part);
  });

  it('should run every arrow one way', () => {
    const wrong = edges.filter((e) => !allowed(partOf(e.file), partOf(e.target))).map((e) => `${e.file} -> ${e.target}`);
    expect(wrong).toEqual([]);
  });

  it('should refuse the arrows the architecture forbids', () => {
    expect(allowed('gateway', 'subgraphs/odoo')).toBe(false);
    expect(allowed('subgraphs/odoo', 'gateway')).toBe(false);
    expect(allowed('subgraphs/odoo', 'subgraphs/zendesk')).toBe(false);
    expect(allowed('subgraphs', 'sandbox')).toBe(false);
    expect(allowed('cache', 'sandbox')).toBe(false);
    expect(allowed('platform', 'tenancy')).toBe(false);
    expect(allowed('gateway', 'test')).toBe(false);
  });
});
