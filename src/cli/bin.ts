#!/usr/bin/env node
// The `sre-kit` executable (package.json "bin"): wires the command line to this process.
import packageJson from '../../package.json' with { type: 'json' };
import { runCli } from './main.js';

// The version is bundled in at build time: the bin never looks for package.json at run time.
const { version } = packageJson;

runCli(
  process.argv.slice(2),
  {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    env: process.env,
  },
  version,
).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`sre-kit: ${String(error)}\n`);
    process.exitCode = 1;
  },
);
