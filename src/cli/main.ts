// The `sre-kit` command line: one function from arguments to an exit code, so tests run it in-process
// and the bin only wires it to the process.
import { budgetCommand, BUDGET_HELP } from './commands/budget.js';
import { checkCommand, CHECK_HELP } from './commands/check.js';
import { reportCommand, REPORT_HELP } from './commands/report.js';
import { rulesCommand, RULES_HELP } from './commands/rules.js';
import { CliError, EXIT, oneLine, type CliIo } from './io.js';

export { EXIT, type CliIo } from './io.js';

const HELP = `Usage: sre-kit <command> [options]

Commands:
  rules <slos.yaml>   Prometheus recording and alerting rules from OpenSLO or sre-kit SLOs
  budget              the error budget of a target over a window, and how events spent it
  report              the incidents of a day, week or month from an incident log
  check <url>         a health endpoint's answer, with a monitoring-plugin exit code

Run \`sre-kit <command> --help\` for a command's options. Every command takes --json.`;

const COMMANDS: Record<
  string,
  { help: string; run: (args: readonly string[], io: CliIo) => number | Promise<number> }
> = {
  rules: { help: RULES_HELP, run: rulesCommand },
  budget: { help: BUDGET_HELP, run: budgetCommand },
  report: { help: REPORT_HELP, run: (args, io) => reportCommand(args, io, Date.now()) },
  check: { help: CHECK_HELP, run: checkCommand },
};

/**
 * Runs the command line `args` (without the node and script paths) and resolves with the exit code.
 * Errors end as one line on stderr (`sre-kit <command>: <what is wrong>`), and as JSON on stdout too
 * with `--json`.
 */
export async function runCli(args: readonly string[], io: CliIo, version: string): Promise<number> {
  const [name, ...rest] = args;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    const topic = name === 'help' ? rest[0] : undefined;
    io.stdout(`${topic !== undefined && COMMANDS[topic] !== undefined ? COMMANDS[topic].help : HELP}\n`);
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  if (name === '--version' || name === '-v') {
    io.stdout(`${version}\n`);
    return EXIT.ok;
  }
  const command = COMMANDS[name];
  if (command === undefined) {
    io.stderr(
      `sre-kit: unknown command ${JSON.stringify(name)} (rules, budget, report, check; see sre-kit --help)\n`,
    );
    return EXIT.usage;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    const failure =
      error instanceof CliError
        ? error
        : new CliError(
            `unexpected failure: ${oneLine(error instanceof Error ? error.message : String(error))}`,
          );
    io.stderr(`sre-kit ${name}: ${failure.message}\n`);
    if (rest.includes('--json'))
      io.stdout(
        `${JSON.stringify({ ok: false, error: { code: failure.code, message: failure.message } })}\n`,
      );
    return failure.exitCode;
  }
}
