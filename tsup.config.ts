import { fileURLToPath } from 'node:url';
import type { Plugin } from 'esbuild';
import { defineConfig } from 'tsup';

// One entry per subpath in package.json "exports". Code shared between entries is split into
// chunks so `sre-kit` and `sre-kit/slo` loaded together share one copy of each class.
const libraries = {
  index: 'src/index.ts',
  slo: 'src/slo/entry.ts',
  express: 'src/adapters/express/index.ts',
  fastify: 'src/adapters/fastify/index.ts',
  testing: 'src/testing/index.ts',
  cluster: 'src/cluster/index.ts',
};

// yaml's Node build is CommonJS and require()s node:process, which an ESM bundle cannot; its ESM build
// (published as the "default" condition, for browsers) is the same parser without that require.
const yamlAsEsm: Plugin = {
  name: 'yaml-as-esm',
  setup(build) {
    if (build.initialOptions.format !== 'esm') return;
    build.onResolve({ filter: /^yaml$/ }, () => ({
      path: fileURLToPath(new URL('node_modules/yaml/browser/index.js', import.meta.url)),
    }));
  },
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
  // The command's YAML parser is bundled into it (only src/cli imports yaml), so installing sre-kit adds
  // no runtime dependency beyond the library's own; its ISC notice travels in src/cli/slo-file.ts.
  noExternal: ['yaml'],
  esbuildPlugins: [yamlAsEsm],
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
