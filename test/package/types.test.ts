import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, inject, it } from 'vitest';

// The published declarations must type-check in a fresh strict `nodenext` project with the default
// lib of target ES2022 (no esnext.disposable), both with no @types/node at all and with @types/node
// 20, 22 and 24. `skipLibCheck` is off, so every line of our .d.ts files is checked.
//
// The adapters need their framework's types, and those bring Node's with them (@types/express depends
// on @types/node; fastify's own declarations import node:http), so sre-kit/express and sre-kit/fastify
// are checked in the @types/node variants only.

const run = promisify(execFile);
const root = join(import.meta.dirname, '..', '..');
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  exports: Record<string, unknown>;
};
const installedVersion = (name: string): string =>
  (JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8')) as { version: string })
    .version;

const entries = Object.keys(pkg.exports)
  .filter((key) => key !== './package.json')
  .map((key) => (key === '.' ? 'sre-kit' : `sre-kit/${key.slice(2)}`));
// The framework each adapter entry is typed against (the versions this repository tests with).
const FRAMEWORKS: Record<string, Record<string, string>> = {
  'sre-kit/express': {
    express: installedVersion('express'),
    '@types/express': installedVersion('@types/express'),
  },
  'sre-kit/fastify': { fastify: installedVersion('fastify') },
};
const frameworkFree = entries.filter((entry) => FRAMEWORKS[entry] === undefined);

// What a user writes: the guard narrowing to a subclass, disposal through Symbol.asyncDispose (which
// the default ES2022 lib lacks), and each entry's whole surface referenced from ESM and from CJS.
const USAGE: Record<string, string> = {
  'sre-kit': `import { ErrorCode, createLatencyTracker, isSreError } from 'sre-kit';
export const retryAfterMs = (error: unknown): number | undefined =>
  isSreError(error, ErrorCode.CIRCUIT_OPEN) ? error.retryAfterMs : undefined;
export const close = (): Promise<void> => createLatencyTracker()[Symbol.asyncDispose]();`,
  'sre-kit/slo': `import { ErrorCode, isSreError, type SloTracker } from 'sre-kit/slo';
export const fields = (error: unknown): number =>
  isSreError(error, ErrorCode.INVALID_OPTIONS) ? error.issues.length : 0;
export const close = (tracker: SloTracker): Promise<void> => tracker[Symbol.asyncDispose]();`,
  'sre-kit/testing': `import { createFakeClock, type MemoryIncidentStore } from 'sre-kit/testing';
export const now: number = createFakeClock().now();
export const close = (store: MemoryIncidentStore): Promise<void> => store[Symbol.asyncDispose]();`,
  'sre-kit/express': `import type { RequestHandler } from 'express';
import { metricsHandler, type MetricsHandlerOptions } from 'sre-kit/express';
export const handler = (options: MetricsHandlerOptions): RequestHandler => metricsHandler(options);`,
  'sre-kit/fastify': `import type { FastifyPluginAsync } from 'fastify';
import { sreFastify, type SreFastifyOptions } from 'sre-kit/fastify';
export const plugin: FastifyPluginAsync<SreFastifyOptions> = sreFastify;`,
};

interface Variant {
  readonly name: string;
  /** The @types/node major to install, or none. */
  readonly nodeTypes: string | undefined;
  readonly entries: readonly string[];
}
const VARIANTS: readonly Variant[] = [
  { name: 'no-types-node', nodeTypes: undefined, entries: frameworkFree },
  ...['20', '22', '24'].map((major) => ({ name: `types-node-${major}`, nodeTypes: major, entries })),
];

/** One consumer project per variant: a package.json, one .mts and one .cts file per entry, a tsconfig. */
async function createProject(dir: string, tarball: string, variant: Variant): Promise<void> {
  mkdirSync(dir, { recursive: true });
  const dependencies: Record<string, string> = { 'sre-kit': `file:${tarball}` };
  if (variant.nodeTypes !== undefined) dependencies['@types/node'] = variant.nodeTypes;
  for (const entry of variant.entries) Object.assign(dependencies, FRAMEWORKS[entry]);
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({ name: `consumer-${variant.name}`, private: true, type: 'module', dependencies }),
  );
  const files: string[] = [];
  for (const entry of variant.entries) {
    const slug = entry.replace('/', '-');
    writeFileSync(
      join(dir, `${slug}.mts`),
      `import * as entry from '${entry}';\nexport type Surface = typeof entry;\n${USAGE[entry] ?? ''}\n`,
    );
    writeFileSync(
      join(dir, `${slug}.cts`),
      `import entry = require('${entry}');\nexport type Surface = typeof entry;\n`,
    );
    files.push(`${slug}.mts`, `${slug}.cts`);
  }
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        module: 'nodenext',
        target: 'es2022',
        strict: true,
        exactOptionalPropertyTypes: true,
        noUncheckedIndexedAccess: true,
        verbatimModuleSyntax: true,
        skipLibCheck: false,
        noEmit: true,
        types: variant.nodeTypes === undefined ? [] : ['node'],
      },
      files,
    }),
  );
  await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--no-package-lock'], {
    cwd: dir,
  });
}

/** tsc's diagnostics for the project in `dir` ('' when it type-checks). */
async function typeCheck(dir: string): Promise<string> {
  try {
    await run(process.execPath, [tsc, '-p', 'tsconfig.json', '--pretty', 'false'], { cwd: dir });
    return '';
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    return `${stdout ?? ''}${stderr ?? ''}` || String(error);
  }
}

/** Every declaration file `file` reaches through relative imports (`./x.js` is `./x.d.ts`). */
function declarationGraph(file: string, seen = new Set<string>()): Set<string> {
  if (seen.has(file)) return seen;
  seen.add(file);
  for (const [, spec] of readFileSync(file, 'utf8').matchAll(/(?:from|import)\s*'(\.[^']+)'/g)) {
    if (spec !== undefined) declarationGraph(join(dirname(file), spec.replace(/\.(c?)js$/, '.d.$1ts')), seen);
  }
  return seen;
}

const dirs = new Map<string, string>();

// One install per variant, all at once (npm's cache is safe to share).
beforeAll(async () => {
  const { dir, tarball } = inject('packed');
  await Promise.all(
    VARIANTS.map((variant) => {
      const project = join(dir, `types-${variant.name}`);
      dirs.set(variant.name, project);
      return createProject(project, tarball, variant);
    }),
  );
}, 600_000);

describe.concurrent(
  'the published declarations in a strict nodenext project (target ES2022, default lib)',
  () => {
    it('cover every entry in package.json "exports"', () => {
      expect([...frameworkFree, ...Object.keys(FRAMEWORKS)].sort()).toEqual([...entries].sort());
      for (const entry of entries) expect(USAGE[entry], entry).toBeDefined();
    });

    it('the no-@types/node project really has no Node types', () => {
      expect(existsSync(join(dirs.get('no-types-node') ?? '', 'node_modules', '@types', 'node'))).toBe(false);
    });

    it.each(VARIANTS.filter((v) => v.nodeTypes !== undefined))(
      '$name installs that @types/node major',
      (variant) => {
        const installed = JSON.parse(
          readFileSync(
            join(dirs.get(variant.name) ?? '', 'node_modules', '@types', 'node', 'package.json'),
            'utf8',
          ),
        ) as { version: string };
        expect(installed.version.split('.')[0]).toBe(variant.nodeTypes);
      },
    );

    // A few seconds of CPU per project; the timeout is generous because other work on the machine can
    // stretch the wall time a lot.
    it.each(VARIANTS)(
      '$name: every entry type-checks from ESM and CJS',
      async (variant) => {
        expect(await typeCheck(dirs.get(variant.name) ?? '')).toBe('');
      },
      600_000,
    );

    // One program holds all of a variant's entries, so a global declared by one entry could hide
    // another's lack of it: each entry's own declarations must reach the Symbol.asyncDispose declaration.
    it.each(entries.flatMap((entry) => ['d.ts', 'd.cts'].map((ext) => [entry, ext] as const)))(
      '%s (%s) declares Symbol.asyncDispose itself, for a lib without esnext.disposable',
      (entry, ext) => {
        const name = entry === 'sre-kit' ? 'index' : entry.slice('sre-kit/'.length);
        const reached = [...declarationGraph(join(root, 'dist', `${name}.${ext}`))];
        const declares = (file: string) =>
          /interface SymbolConstructor \{[^}]*asyncDispose/.test(readFileSync(file, 'utf8'));
        expect(reached.some(declares)).toBe(true);
      },
    );
  },
);
