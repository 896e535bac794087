// `sre-kit rules`: an SLO file in, a Prometheus rule file out, checked by Prometheus's own promtool when
// it is installed (as Sloth's `generate` and Pyrra's `generate` do, with validation before deploy).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isSreError } from '../../core/index.js';
import {
  formatPrometheusRules,
  toPrometheusRules,
  type PrometheusRuleFile,
  type PrometheusRulesOptions,
} from '../../slo/index.js';
import { CliError, EXIT, oneLine, parseCommandLine, usageError, type CliIo } from '../io.js';
import { readSloFile } from '../slo-file.js';

export const RULES_HELP = `Usage: sre-kit rules <slos.yaml> [options]

Generates Prometheus recording and alerting rules (multi-window, multi-burn-rate) from SLOs, and
checks them with \`promtool check rules\` when promtool is on the PATH.

The file holds OpenSLO v1 documents (kind: SLO, with kind: SLI or an inline indicator), or sre-kit's
own YAML: a list of SLOs as createSloTracker takes them, or { slos: [...], rules: {...} } where rules
holds toPrometheusRules options.

Options:
  --out <file>         write the rules there (after they pass promtool) instead of to stdout
  --metric <name>      the event counter the rules read (default sre_slo_events_total)
  --alert-name <name>  the alert name (default SloErrorBudgetBurn)
  --label <k=v>        a label on every alert; repeatable
  --interval <dur>     the rule groups' evaluation interval, e.g. 30s
  --skip-promtool      do not run promtool even when it is installed
  --json               print a JSON summary (with the rule file when there is no --out)
  -h, --help           this help

Exit codes: 0 written (and valid), 1 unreadable or invalid SLOs or rules promtool rejects, 64 usage.`;

type PromtoolVerdict = 'passed' | 'skipped' | 'not installed';

/** Runs `sre-kit rules`. */
export async function rulesCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandLine(
    args,
    {
      out: { type: 'string' },
      metric: { type: 'string' },
      'alert-name': { type: 'string' },
      label: { type: 'string', multiple: true },
      interval: { type: 'string' },
      'skip-promtool': { type: 'boolean' },
    },
    1,
  );
  if (values.help === true) {
    io.stdout(`${RULES_HELP}\n`);
    return EXIT.ok;
  }
  const path = positionals[0];
  if (path === undefined) throw usageError('missing the SLO file: sre-kit rules <slos.yaml>');

  const file = await readSloFile(path);
  const options: PrometheusRulesOptions = {
    ...file.rules,
    ...(values.metric === undefined ? {} : { metric: values.metric }),
    ...(values['alert-name'] === undefined ? {} : { alertName: values['alert-name'] }),
    ...(values.interval === undefined ? {} : { interval: values.interval }),
    ...(values.label === undefined ? {} : { labels: { ...file.rules.labels, ...parseLabels(values.label) } }),
  };
  let rules: PrometheusRuleFile;
  try {
    rules = toPrometheusRules(file.slos, options);
  } catch (error) {
    if (isSreError(error)) throw new CliError(`${path}: ${oneLine(error.message)}`);
    throw error;
  }
  const text = formatPrometheusRules(rules);
  const promtool = values['skip-promtool'] === true ? 'skipped' : checkWithPromtool(text, io);
  if (promtool === 'not installed')
    io.stderr('sre-kit rules: promtool is not on the PATH: the rules were not checked\n');

  if (values.out !== undefined) {
    try {
      writeFileSync(values.out, text);
    } catch (error) {
      throw new CliError(`cannot write ${values.out}: ${oneLine(String(error))}`);
    }
  }
  const count = rules.groups.reduce((sum, group) => sum + group.rules.length, 0);
  const names = file.slos.map((slo) => slo.name);
  if (values.json === true) {
    io.stdout(
      `${JSON.stringify({
        ok: true,
        format: file.format,
        slos: names,
        groups: rules.groups.length,
        rules: count,
        promtool,
        out: values.out ?? null,
        ...(values.out === undefined ? { file: rules } : {}),
      })}\n`,
    );
  } else if (values.out === undefined) io.stdout(text);
  else
    io.stdout(
      `Wrote ${count} rules in ${rules.groups.length} groups for ${names.length} SLO${names.length === 1 ? '' : 's'} ` +
        `(${names.join(', ')}) to ${values.out}; promtool check rules: ${promtool}\n`,
    );
  return EXIT.ok;
}

function parseLabels(pairs: readonly string[]): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at <= 0) throw usageError(`--label ${JSON.stringify(pair)}: expected name=value`);
    labels[pair.slice(0, at)] = pair.slice(at + 1);
  }
  return labels;
}

// Checks the rules in a temporary file, so a file that fails never lands at --out.
function checkWithPromtool(text: string, io: CliIo): PromtoolVerdict {
  const dir = mkdtempSync(join(tmpdir(), 'sre-kit-rules-'));
  try {
    const file = join(dir, 'rules.yml');
    writeFileSync(file, text);
    const result = spawnSync('promtool', ['check', 'rules', file], {
      encoding: 'utf8',
      env: { ...io.env },
      timeout: 60_000,
    });
    if ((result.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') return 'not installed';
    if (result.error !== undefined)
      throw new CliError(`promtool could not run: ${oneLine(result.error.message)}`);
    if (result.status !== 0) {
      const output = `${result.stdout}${result.stderr}`;
      const reason = output.split('\n').find((line) => /error|fail/i.test(line)) ?? output;
      throw new CliError(`promtool check rules rejected the generated rules: ${oneLine(reason)}`);
    }
    return 'passed';
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
