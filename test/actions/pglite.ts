/**
 * PGlite under jest. PGlite's Emscripten start-up runs `import("node:module")`, and jest's VM
 * sandbox refuses dynamic imports unless node runs with --experimental-vm-modules ("A dynamic import
 * callback was invoked without --experimental-vm-modules"). Loaded through Node's own require (from
 * the real `module` built-in, which jest does not replace for getBuiltinModule), PGlite runs outside
 * the sandbox and starts normally. Production code (tsx, node) needs none of this: tests create the
 * PGlite here and hand it to createPgliteActionStore({ db }).
 */
import type { PGlite, PGliteOptions } from '@electric-sql/pglite';

type PgliteModule = { PGlite: typeof PGlite };

export function nativePglite(options: PGliteOptions = {}): Promise<PGlite> {
  const nodeModule = process.getBuiltinModule('node:module');
  const { PGlite: NativePGlite } = nodeModule.createRequire(__filename)('@electric-sql/pglite') as PgliteModule;
  return NativePGlite.create(options);
}
