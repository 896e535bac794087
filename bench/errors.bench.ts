// Error grouping costs. capture() runs on every failed request, so a repeated error must cost about a
// map lookup (issue 15: <= 2 µs); a stack never seen before is parsed, parameterised and hashed once
// (<= 50 µs). The baseline is what the application already paid: reading a materialised err.stack.
// The peer is Sentry's Node SDK, whose grouping the fingerprints follow: its client parses every captured
// error's stack into frames (exceptionFromError with the Node stack parser) and leaves grouping to
// Sentry's servers; capture() parses a stack once and also groups and counts it in process.
// Memory: 500 groups with their routes, per-minute rings, samples and the fingerprint cache (<= 1 MB).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createStackParser, exceptionFromError } from '@sentry/core';
import { nodeStackLineParser } from '@sentry/core/server';
import { createErrorGroups } from '../src/errors/index.js';
import { compare, quick, report } from './harness.js';

// An application with 600 real call sites: a generated module of functions that each build a
// TypeError, loaded from a temporary directory that plays the application root.
const root = mkdtempSync(join(tmpdir(), 'sre-kit-errors-bench-'));
const SITES = 600;
writeFileSync(
  join(root, 'sites.mjs'),
  Array.from(
    { length: SITES },
    (_, k) =>
      `export function site${k}() {\n  return new TypeError("Cannot read properties of undefined (reading 'id')");\n}`,
  ).join('\n') +
    `\nexport const sites = [${Array.from({ length: SITES }, (_, k) => `site${k}`).join(', ')}];\n`,
);
const { sites } = (await import(pathToFileURL(join(root, 'sites.mjs')).href)) as {
  sites: Array<() => Error>;
};
process.on('exit', () => rmSync(root, { recursive: true, force: true }));

// Real errors, stacks materialised (as a logger or the adapter would have read them).
const repeated = Array.from({ length: 64 }, () => sites[0]!());
const spread = sites.slice(0, 64).map((site) => site());
for (const e of [...repeated, ...spread]) void e.stack;
const one = repeated[0]!;

const groups = createErrorGroups({ inAppRoot: root });
const uncached = createErrorGroups({ inAppRoot: root, fingerprintCacheSize: 0 });
// What @sentry/node builds as its defaultStackParser (less the module-name lookup, which only adds work).
const sentryParser = createStackParser(nodeStackLineParser());
const context = { route: 'GET /orders/:id', status: 500, traceId: '4bf92f3577b34da6a3ce929d0e0e4736' };
let i = 0;

// A stack never seen before on every call: the same frames, a new line number each time (as after a
// deploy), so each string misses the cache and is parsed and hashed afresh.
const template = one.stack!;
if (!template.includes('sites.mjs')) throw new Error('the call sites are not in the stack');
const freshStack = (): { name: string; message: string; stack: string } => {
  i++;
  return {
    name: 'TypeError',
    message: 'Cannot read properties of undefined',
    stack: template.replace(/:(\d+):/, `:${i}:`),
  };
};

await compare('capture() a repeated error', {
  baseline: { name: 'read err.stack (already materialised)', fn: () => one.stack },
  cases: [
    { name: 'capture(same error object)', fn: () => groups.capture(one) },
    { name: 'capture(64 errors from one site)', fn: () => groups.capture(repeated[i++ & 63]!) },
    { name: 'capture(64 sites, round robin)', fn: () => groups.capture(spread[i++ & 63]!) },
    { name: 'capture(same error, with route/status/trace)', fn: () => groups.capture(one, context) },
    { name: 'Sentry SDK exceptionFromError(same error)', fn: () => exceptionFromError(sentryParser, one) },
  ],
  floor: true,
});

await compare('capture() a stack never seen before', {
  baseline: { name: 'build the fresh stack string only', fn: freshStack },
  cases: [
    { name: 'capture(new stack string)', fn: () => groups.capture(freshStack()) },
    { name: 'capture(repeated error, cache off)', fn: () => uncached.capture(one) },
    {
      name: 'Sentry SDK exceptionFromError(new stack)',
      fn: () => exceptionFromError(sentryParser, freshStack()),
    },
  ],
});

const gc = (globalThis as { gc?: () => void }).gc;
if (gc !== undefined) {
  const distinct = quick ? 100 : 500;
  const many = sites.slice(100, 100 + distinct).map((site) => site());
  for (const e of many) void e.stack;
  gc();
  const before = process.memoryUsage();
  const full = createErrorGroups({ inAppRoot: root, maxGroups: 500 });
  for (let round = 0; round < 10; round++) {
    for (const [k, e] of many.entries())
      full.capture(e, { route: `GET /r${(k + round) % 7}`, status: 500, traceId: 'abc' });
  }
  gc();
  const after = process.memoryUsage();
  const bytes = after.heapUsed + after.arrayBuffers - before.heapUsed - before.arrayBuffers;
  report(
    `memory of ${full.stats().groups} groups (routes, per-minute rings, samples, fingerprint cache)`,
    `${(bytes / 1024).toFixed(0)} KB (${(bytes / full.stats().groups).toFixed(0)} B a group)`,
  );
  if (full.stats().groups !== distinct) throw new Error('groups were not all kept');
  // Keep the errors alive through the measurement: the cache holds their stack strings anyway.
  if (many.length !== distinct) throw new Error('unreachable');
}
report('targets', 'repeated capture <= 2 µs, new stack <= 50 µs, 500 groups <= 1 MB (issue 15)');
