import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  exports: Record<string, Record<string, Record<string, string>> | string>;
};

// What npm publishes, by decision: the built entries and their declarations (ESM and CJS), the
// LICENSE, README and package.json. No tests, no sources and no source maps: the build is not
// minified, so stack traces already read as the source does, and maps would double the package
// while shipping every source file inside them (sourcesContent).
const ALLOWED = [
  /^package\.json$/,
  /^README\.md$/,
  /^LICENSE$/,
  /^dist\/[\w-]+\.(js|cjs)$/,
  /^dist\/[\w-]+\.d\.(ts|cts)$/,
];

describe('npm pack', () => {
  const { files, size, unpackedSize } = inject('packed');
  const paths = files.map((f) => f.path);

  it('holds only the built entries, their declarations, LICENSE, README and package.json', () => {
    console.log(
      `npm pack: ${files.length} files, ${(size / 1024).toFixed(1)} kB packed, ${(unpackedSize / 1024).toFixed(1)} kB unpacked`,
    );
    expect(paths.filter((path) => !ALLOWED.some((allowed) => allowed.test(path)))).toEqual([]);
    expect(paths).toEqual(expect.arrayContaining(['LICENSE', 'README.md', 'package.json']));
  });

  it('has no tests, sources or source maps', () => {
    expect(paths.filter((path) => /(^|\/)(src|test|bench|examples)\//.test(path))).toEqual([]);
    expect(paths.filter((path) => path.endsWith('.map'))).toEqual([]);
    for (const file of paths.filter((path) => /\.c?js$/.test(path))) {
      expect(readFileSync(join(root, file), 'utf8'), file).not.toContain('sourceMappingURL');
    }
  });

  it('holds every file package.json "exports" points at', () => {
    const targets = Object.values(pkg.exports).flatMap((target) =>
      typeof target === 'string'
        ? [target]
        : Object.values(target).flatMap((conditions) => Object.values(conditions)),
    );
    expect(targets.length).toBeGreaterThan(0);
    for (const target of targets) expect(paths).toContain(target.replace(/^\.\//, ''));
  });

  it('carries the MIT licence package.json declares', () => {
    const license = readFileSync(join(root, 'LICENSE'), 'utf8');
    expect(license).toMatch(/^MIT License\n\nCopyright \(c\) 2026 sre-kit contributors\n/);
    expect(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))).toMatchObject({ license: 'MIT' });
  });
});
