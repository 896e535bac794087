import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild'; // installed with tsx and tsup; bundling a child skips tsx's start-up per run

/** A child process's entry bundled to one ESM file in a fresh temp directory (tests' files go there too). */
export interface ChildBundle {
  /** The temp directory; `remove()` deletes it. */
  readonly dir: string;
  /** The bundled entry, to run with `process.execPath`. */
  readonly entry: string;
  remove(): Promise<void>;
}

/** Bundles the TypeScript file `source` (with what it imports) for a test to spawn many times. */
export async function bundleChild(source: string, prefix: string): Promise<ChildBundle> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  const entry = join(dir, 'child.mjs');
  await build({
    entryPoints: [source],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile: entry,
    logLevel: 'silent',
    // CommonJS dependencies (yaml) bundled into ESM call require() for Node's built-ins.
    banner: {
      js: "import { createRequire as __sreKitRequire } from 'node:module'; const require = __sreKitRequire(import.meta.url);",
    },
  });
  return { dir, entry, remove: () => rm(dir, { recursive: true, force: true }) };
}
