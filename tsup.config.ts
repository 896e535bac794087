import { defineConfig } from 'tsup';

// One entry per subpath in package.json "exports". Code shared between entries is split into
// chunks so `sre-kit` and `sre-kit/slo` loaded together share one copy of each class.
const libraries = {
  index: 'src/index.ts',
  slo: 'src/slo/entry.ts',
  express: 'src/adapters/express/index.ts',
  fastify: 'src/adapters/fastify/index.ts',
  testing: 'src/testing/index.ts',
  mcp: 'src/mcp/index.ts',
  a2a: 'src/a2a/index.ts',
  cluster: 'src/cluster/index.ts',
};

export default defineConfig({
  entry: {
    ...libraries,
    // The `sre-kit` command (package.json "bin"); its hashbang makes tsup mark the file executable.
    cli: 'src/cli/bin.ts',
  },
  format: ['esm', 'cjs'],
  // Declarations for the importable entries; the command has nothing to import.
  dts: { entry: libraries },
  clean: true,
  // No source maps: they would double the package (2.3 of 3.7 MB) and carry every source file in
  // sourcesContent, while the unminified output already reads as the source does, names intact.
  sourcemap: false,
  splitting: true,
  treeshake: true,
  target: 'node20',
  platform: 'node',
  removeNodeProtocol: false,
  // tsup's declaration build sets baseUrl, which TypeScript 6 deprecates; this config silences that.
  tsconfig: 'tsconfig.build.json',
});
