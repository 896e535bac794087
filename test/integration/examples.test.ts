import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const dir = join(import.meta.dirname, '..', '..', 'examples');
// Every example is a real program a user could copy: it must run to completion by itself.
// Folders hold multi-file examples whose entry is index.ts; a folder without one (examples/demo, a
// long-running program with its own test) is not run here.
const examples = readdirSync(dir, { withFileTypes: true })
  .filter(
    (entry) =>
      (entry.isFile() && entry.name.endsWith('.ts')) ||
      (entry.isDirectory() && existsSync(join(dir, entry.name, 'index.ts'))),
  )
  .map((entry) => (entry.isDirectory() ? join(entry.name, 'index.ts') : entry.name));

describe('examples', () => {
  it.each(examples)('%s runs and exits 0', async (file) => {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', join(dir, file)], {
      timeout: 60_000,
      env: { ...process.env, SRE_KIT_EXAMPLE_TEST: '1' },
    });
    expect(stdout.length).toBeGreaterThan(0);
  });
});
