import { execFileSync } from 'node:child_process';

// The package tests check what npm would publish, so they build it first, once.
export default function setup(): void {
  execFileSync(process.execPath, ['node_modules/tsup/dist/cli-default.js'], { stdio: 'inherit' });
}
