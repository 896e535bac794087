// The API reference (docs/api/*.md) lists every exported name of every entry point: it is generated from
// the sources, and these tests fail when the committed pages are stale, when a runtime export is missing
// from them, or when an export has no TSDoc summary to show.
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ENTRIES, createEntryProgram, exportsOf, renderApiReference } from './api-reference.js';
import { root } from './markdown.js';

// The runtime modules behind each entry, through the same aliases the tests use (vitest.config.ts).
const namespaces: Record<string, () => Promise<Record<string, unknown>>> = {
  'sre-kit': () => import('sre-kit'),
  'sre-kit/slo': () => import('sre-kit/slo'),
  'sre-kit/express': () => import('sre-kit/express'),
  'sre-kit/fastify': () => import('sre-kit/fastify'),
  'sre-kit/testing': () => import('sre-kit/testing'),
  'sre-kit/mcp': () => import('sre-kit/mcp'),
  'sre-kit/a2a': () => import('sre-kit/a2a'),
  'sre-kit/cluster': () => import('sre-kit/cluster'),
};

describe('API reference', () => {
  const program = createEntryProgram();

  it('docs/api/*.md are what `npm run docs:api` generates from the sources', async () => {
    const stale: string[] = [];
    for (const [path, expected] of await renderApiReference()) {
      let actual = '';
      try {
        actual = readFileSync(path, 'utf8');
      } catch {
        // missing: reported below like any other difference
      }
      if (actual !== expected) {
        const want = new Set(expected.split('\n'));
        const have = new Set(actual.split('\n'));
        const missing = [...want].filter((line) => !have.has(line)).slice(0, 5);
        const extra = [...have].filter((line) => !want.has(line)).slice(0, 5);
        stale.push(
          `${relative(root, path)} is stale; run \`npm run docs:api\`.` +
            `\n  expected lines not found:\n    ${missing.join('\n    ')}` +
            `\n  lines no longer generated:\n    ${extra.join('\n    ')}`,
        );
      }
    }
    expect(stale, stale.join('\n')).toEqual([]);
  });

  it.each(ENTRIES.map((entry) => [entry.specifier, entry] as const))(
    '%s: every runtime export is a row of its reference page',
    async (specifier, entry) => {
      const load = namespaces[specifier];
      if (load === undefined) throw new Error(`no runtime import for ${specifier}`);
      const runtimeNames = Object.keys(await load()).sort();
      const page = readFileSync(join(root, 'docs', entry.page), 'utf8');
      const rows = new Set([...page.matchAll(/^\| `([^`]+)` +\|/gm)].map((m) => m[1]));
      expect(runtimeNames.filter((name) => !rows.has(name))).toEqual([]);
      // And the generator agrees with the runtime about which names are values.
      const values = exportsOf(program, entry)
        .filter((row) => row.value)
        .map((row) => row.name)
        .sort();
      expect(values).toEqual(runtimeNames);
    },
  );

  it.each(ENTRIES.map((entry) => [entry.specifier, entry] as const))(
    '%s: every export has a TSDoc summary',
    (_specifier, entry) => {
      const undocumented = exportsOf(program, entry)
        .filter((row) => row.summary === '')
        .map((row) => `${row.name} (${row.file})`);
      expect(undocumented).toEqual([]);
    },
  );
});
