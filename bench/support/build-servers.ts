// Bundles the bench servers the way the package is published (tsup, i.e. esbuild, without
// `keepNames`), so the bench measures the code users run. Running the sources through tsx instead
// would wrap every function sre-kit creates per request in esbuild's `__name()` helper (one
// `Object.defineProperty` each): a cost the published build does not have and the peers, plain
// JavaScript in node_modules, never pay. `BENCH_FROM_SOURCE=1` runs the sources through tsx anyway.
import { rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { build } from 'tsup';

/** The bench servers, by name: bench/support/<name>.ts. */
export type ServerName = 'express-server' | 'fastify-server';

/** How to start each server: the node arguments before the variant. */
export interface BuiltServers {
  args(server: ServerName): string[];
  /** Removes the bundles. */
  clean(): Promise<void>;
}

const SERVERS: readonly ServerName[] = ['express-server', 'fastify-server'];
const root = fileURLToPath(new URL('../../', import.meta.url));
const source = (server: ServerName): string => fileURLToPath(new URL(`./${server}.ts`, import.meta.url));

/** Bundles both servers into `.tmp/` (git-ignored; inside the repo so their imports resolve to node_modules). */
export async function buildServers(): Promise<BuiltServers> {
  if (process.env.BENCH_FROM_SOURCE === '1') {
    return { args: (server) => ['--import', 'tsx', source(server)], clean: () => Promise.resolve() };
  }
  const outDir = `${root}.tmp/bench-servers-${process.pid}`;
  await build({
    entry: Object.fromEntries(SERVERS.map((s) => [s, source(s)])),
    outDir,
    format: ['esm'],
    platform: 'node',
    target: 'node20',
    // Dependencies load from node_modules as in an app; only sre-kit's sources and the server are bundled.
    skipNodeModulesBundle: true,
    splitting: false,
    dts: false,
    sourcemap: false,
    config: false,
    tsconfig: `${root}tsconfig.build.json`,
    silent: true,
  });
  return {
    args: (server) => [`${outDir}/${server}.js`],
    clean: () => rm(outDir, { recursive: true, force: true }),
  };
}
