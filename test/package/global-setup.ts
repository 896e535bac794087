import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';

/** What `npm pack` produced, shared by every package test so the tarball is built and packed once. */
export interface PackedTarball {
  /** A temporary directory the tests may create consumer projects in; removed after the run. */
  readonly dir: string;
  /** Absolute path of the tarball. */
  readonly tarball: string;
  /** Every file in the tarball, as npm lists it (paths relative to the package root). */
  readonly files: readonly { readonly path: string; readonly size: number }[];
  /** The tarball's size in bytes (gzipped). */
  readonly size: number;
  /** The files' total size in bytes. */
  readonly unpackedSize: number;
}

declare module 'vitest' {
  export interface ProvidedContext {
    packed: PackedTarball;
  }
}

// The package tests check what npm would publish: build it and pack it, once for every test file.
export default function setup(project: TestProject): () => void {
  // CI runs these tests on several Node versions; the log says which one this is.
  console.log(`package tests on Node ${process.version}`);
  execFileSync(process.execPath, ['node_modules/tsup/dist/cli-default.js'], { stdio: 'inherit' });
  const dir = mkdtempSync(join(tmpdir(), 'sre-kit-pack-'));
  const [packed] = JSON.parse(
    execFileSync('npm', ['pack', '--json', '--pack-destination', dir], { encoding: 'utf8' }),
  ) as Array<{ filename: string; files: PackedTarball['files']; size: number; unpackedSize: number }>;
  if (packed === undefined) throw new Error('npm pack reported no tarball');
  project.provide('packed', {
    dir,
    tarball: join(dir, packed.filename),
    files: packed.files.map(({ path, size }) => ({ path, size })),
    size: packed.size,
    unpackedSize: packed.unpackedSize,
  });
  return () => rmSync(dir, { recursive: true, force: true });
}
