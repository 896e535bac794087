import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = (path: string): string => fileURLToPath(new URL(`./src/${path}`, import.meta.url));

// Tests and examples import the package by its public names; these aliases point them at the sources
// (the same map as tsconfig "paths"). The `package` project instead loads the built dist.
const alias = [
  { find: /^sre-kit$/, replacement: src('index.ts') },
  { find: /^sre-kit\/slo$/, replacement: src('slo/entry.ts') },
  { find: /^sre-kit\/express$/, replacement: src('adapters/express/index.ts') },
  { find: /^sre-kit\/fastify$/, replacement: src('adapters/fastify/index.ts') },
  { find: /^sre-kit\/testing$/, replacement: src('testing/index.ts') },
  { find: /^sre-kit\/mcp$/, replacement: src('mcp/index.ts') },
  { find: /^sre-kit\/a2a$/, replacement: src('a2a/index.ts') },
  { find: /^sre-kit\/cluster$/, replacement: src('cluster/index.ts') },
];

export default defineConfig({
  test: {
    projects: [
      {
        resolve: { alias },
        test: { name: 'unit', include: ['test/unit/**/*.test.ts', 'test/regression/**/*.test.ts'] },
      },
      {
        resolve: { alias },
        test: { name: 'property', include: ['test/property/**/*.test.ts'], testTimeout: 60_000 },
      },
      {
        resolve: { alias },
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          // Heap-growth checks collect garbage first, so they measure what is retained.
          execArgv: ['--expose-gc'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        // The docs checks: every code block compiled (runnable ones run), reference tables against the code.
        resolve: { alias },
        test: {
          name: 'docs',
          include: ['test/docs/**/*.test.ts'],
          // Compiling every block and starting a process per runnable one is slow on a loaded 2-core box.
          testTimeout: 240_000,
          hookTimeout: 240_000,
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'types',
          include: [],
          typecheck: {
            enabled: true,
            only: true,
            include: ['test/types/**/*.test-d.ts'],
            tsconfig: './tsconfig.json',
          },
        },
      },
      {
        test: {
          name: 'package',
          include: ['test/package/**/*.test.ts'],
          globalSetup: ['test/package/global-setup.ts'],
          testTimeout: 180_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
