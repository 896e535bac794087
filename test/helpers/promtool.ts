import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The result of one promtool run. */
export interface PromtoolResult {
  readonly status: number | null;
  readonly output: string;
}

/** Runs Prometheus's `promtool` (Debian's `prometheus` package, installed by .ci/run); fails loudly when absent. */
export function promtool(args: string[], input?: string): PromtoolResult {
  const result = spawnSync('promtool', args, { input, encoding: 'utf8' });
  if (result.error !== undefined)
    throw new Error(`promtool could not run (is Debian's prometheus installed?): ${result.error.message}`);
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

/** `promtool check metrics`: lints Prometheus text exposition read from stdin. */
export function checkPrometheusText(text: string): PromtoolResult {
  return promtool(['check', 'metrics'], text);
}

/**
 * Parses OpenMetrics text with Prometheus's own OpenMetrics parser, through `promtool tsdb
 * create-blocks-from openmetrics`. That backfill demands a timestamp on every sample, so one is added
 * to each sample line (before any exemplar); everything else is checked as rendered.
 */
export function checkOpenMetrics(text: string, timestampSeconds = 1_700_000_000): PromtoolResult {
  const stamped = text
    .split('\n')
    .map((line) => {
      if (line === '' || line.startsWith('#')) return line;
      const exemplarAt = line.indexOf(' # ');
      return exemplarAt === -1
        ? `${line} ${timestampSeconds}`
        : `${line.slice(0, exemplarAt)} ${timestampSeconds}${line.slice(exemplarAt)}`;
    })
    .join('\n');
  const dir = mkdtempSync(join(tmpdir(), 'sre-kit-om-'));
  try {
    writeFileSync(join(dir, 'metrics.om'), stamped);
    return promtool([
      'tsdb',
      'create-blocks-from',
      'openmetrics',
      join(dir, 'metrics.om'),
      join(dir, 'blocks'),
    ]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
