import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { bareImportsOf } from '../helpers/dist-graph.js';

const root = join(import.meta.dirname, '..', '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  exports: Record<string, unknown>;
};
const subpaths = Object.keys(pkg.exports)
  .filter((key) => key !== './package.json')
  .map((key) => (key === '.' ? 'sre-kit' : `sre-kit/${key.slice(2)}`));
const ENGINES = ['opossum', 'p-retry', 'hdr-histogram-js'];

let work: string;
let consumer: string;

function node(args: string[]): string {
  return execFileSync(process.execPath, args, {
    cwd: consumer,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}
const importKeys = (spec: string): string[] =>
  JSON.parse(
    node([
      '--input-type=module',
      '-e',
      `const m = await import('${spec}'); console.log(JSON.stringify(Object.keys(m).sort()))`,
    ]),
  );
const requireKeys = (spec: string): string[] =>
  JSON.parse(node(['-e', `console.log(JSON.stringify(Object.keys(require('${spec}')).sort()))`]));

// Install the tarball npm would publish (packed once by global-setup) into an empty project, as a user would.
beforeAll(() => {
  const { dir, tarball } = inject('packed');
  work = mkdtempSync(join(dir, 'exports-'));
  consumer = join(work, 'consumer');
  mkdirSync(consumer);
  writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', private: true }));
  execFileSync(
    'npm',
    ['install', tarball, '--no-audit', '--no-fund', '--prefer-offline', '--no-package-lock'],
    {
      cwd: consumer,
      stdio: 'ignore',
    },
  );
});

afterAll(() => {
  if (work !== undefined) rmSync(work, { recursive: true, force: true });
});

describe('the published package', () => {
  it.each(subpaths)('%s loads with import() and require() and exports the same names', (spec) => {
    const esm = importKeys(spec);
    const cjs = requireKeys(spec);
    expect(esm.length).toBeGreaterThan(0);
    expect(cjs).toEqual(esm);
  });

  it('recognises an error thrown by the CJS copy from the ESM copy', () => {
    const out = node([
      '--input-type=module',
      '-e',
      `import { createRequire } from 'node:module';
       const cjs = createRequire(process.cwd() + '/')('sre-kit');
       const esm = await import('sre-kit');
       const open = new cjs.CircuitOpenError('db', 250);
       console.log(JSON.stringify([
         esm.isSreError(new cjs.TimeoutError(5), 'ERR_SRE_TIMEOUT'),
         open instanceof esm.CircuitOpenError,
         esm.isSreError(open, esm.ErrorCode.CIRCUIT_OPEN) ? open.retryAfterMs : 'not recognised',
       ]));`,
    ]);
    // Not the same class, yet the guard recognises it and the fields its narrowing promises are there.
    expect(JSON.parse(out)).toEqual([true, false, 250]);
  });

  it('does not need express or fastify (optional peers, not installed here)', () => {
    expect(() => node(['-e', "require.resolve('express')"])).toThrow();
    expect(() => node(['-e', "require.resolve('fastify')"])).toThrow();
    // The adapters are typed against their framework but never load it: the host's copy is the only one.
    for (const spec of ['sre-kit', 'sre-kit/slo', 'sre-kit/testing', 'sre-kit/express', 'sre-kit/fastify']) {
      expect(importKeys(spec).length).toBeGreaterThan(0);
      expect(requireKeys(spec).length).toBeGreaterThan(0);
    }
  });

  it('loads sre-kit/slo with opossum, p-retry and hdr-histogram-js removed', () => {
    for (const engine of ENGINES)
      rmSync(join(consumer, 'node_modules', engine), { recursive: true, force: true });
    expect(importKeys('sre-kit/slo').length).toBeGreaterThan(0);
    expect(requireKeys('sre-kit/slo').length).toBeGreaterThan(0);
  });
});

describe('what each built entry pulls in', () => {
  const dist = join(root, 'dist');
  const forbidden: Record<string, string[]> = {
    index: ['express', 'fastify'],
    slo: ['express', 'fastify', ...ENGINES],
    express: ['fastify', 'express'],
    fastify: ['express', 'fastify'],
    testing: ['express', 'fastify', ...ENGINES],
  };
  it.each(
    Object.entries(forbidden).flatMap(([entry, bad]) =>
      ['js', 'cjs'].map((ext) => [`${entry}.${ext}`, bad] as const),
    ),
  )('%s never loads %j', (file, bad) => {
    const loaded = bareImportsOf(join(dist, file));
    for (const name of bad) expect(loaded).not.toContain(name);
  });
});

describe('the import scanner itself', () => {
  it('sees imports through chunks (a positive control for the checks above)', () => {
    const loaded = bareImportsOf(join(root, 'dist', 'index.js'));
    expect(loaded).toContain('node:perf_hooks');
    expect(bareImportsOf(join(root, 'dist', 'index.cjs'))).toContain('node:perf_hooks');
  });
});
