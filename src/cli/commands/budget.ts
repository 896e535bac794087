// `sre-kit budget`: the error budget of a target over a window, the burn-rate alerts that guard it, and,
// given events, how much of it they spent and how long the rest lasts at that pace.
import { isSreError } from '../../core/index.js';
import { burnRate, burnRateAlerts, errorBudget, timeToExhaustion } from '../../slo/index.js';
import {
  CliError,
  EXIT,
  formatDuration,
  oneLine,
  parseCommandLine,
  parseDuration,
  percent,
  textTable,
  usageError,
  type CliIo,
} from '../io.js';

export const BUDGET_HELP = `Usage: sre-kit budget --target <percent> --window <duration> [options]

The error budget of an SLO: how much may fail, as a ratio and as full downtime, and the multi-window
burn-rate alerts that guard it. Given events, also the burn rate, the budget spent and the time left.

Options:
  --target <percent>     the SLO target in percent, e.g. 99.9
  --window <duration>    the SLO window, e.g. 30d, 4w, 7d, 24h
  --events <good,total>  good and total events seen, e.g. 999412,1000000
  --elapsed <duration>   how much of the window those events span (default: all of it)
  --preset <name>        the alert windows: google (default) or sloth
  --json                 print JSON
  -h, --help             this help

Durations: a number and one of ms, s, m, h, d, w. Exit codes: 0, 1 invalid numbers, 64 usage.`;

/** Runs `sre-kit budget`. */
export function budgetCommand(args: readonly string[], io: CliIo): number {
  const { values } = parseCommandLine(
    args,
    {
      target: { type: 'string' },
      window: { type: 'string' },
      events: { type: 'string' },
      elapsed: { type: 'string' },
      preset: { type: 'string' },
    },
    0,
  );
  if (values.help === true) {
    io.stdout(`${BUDGET_HELP}\n`);
    return EXIT.ok;
  }
  const target = parseTarget(values.target);
  const windowMs = durationOption('--window', values.window);
  const elapsedMs = values.elapsed === undefined ? windowMs : durationOption('--elapsed', values.elapsed);
  if (elapsedMs > windowMs) throw usageError(`--elapsed ${values.elapsed}: longer than the --window`);
  const preset = values.preset ?? 'google';
  if (preset !== 'google' && preset !== 'sloth')
    throw usageError(`--preset ${JSON.stringify(preset)}: expected google or sloth`);
  const events = values.events === undefined ? undefined : parseEvents(values.events);

  try {
    const budget = errorBudget({ target, windowMs });
    const alerts = burnRateAlerts({ windowMs, preset: preset }).map((alert) => ({
      ...alert,
      // At exactly this burn rate, the whole budget lasts window ÷ rate.
      exhaustsInMs: windowMs / alert.burnRate,
    }));
    let usage:
      | {
          good: number;
          total: number;
          errorRatio: number;
          burnRate: number;
          consumed: number;
          remaining: number;
          timeToExhaustionMs: number;
        }
      | undefined;
    if (events !== undefined) {
      const rate = burnRate({ target, ...events });
      // Spent so far: the burn rate over the span the events cover, as a share of the whole window.
      const consumed = Number(((rate * elapsedMs) / windowMs).toPrecision(12));
      const remaining = Number((1 - consumed).toPrecision(12));
      usage = {
        ...events,
        errorRatio: events.total === 0 ? 0 : (events.total - events.good) / events.total,
        burnRate: rate,
        consumed,
        remaining,
        timeToExhaustionMs: timeToExhaustion({ windowMs, remaining, burnRate: rate }),
      };
    }
    if (values.json === true) {
      const json = {
        ok: true,
        target,
        windowMs,
        budget: { ratio: budget.ratio, allowedDowntimeMs: budget.allowedDowntimeMs },
        alerts,
        ...(usage === undefined ? {} : { events: { ...usage, elapsedMs } }),
      };
      // Infinity is not JSON: a budget that never runs out says null.
      io.stdout(`${JSON.stringify(json, (_key, value: unknown) => (value === Infinity ? null : value))}\n`);
      return EXIT.ok;
    }
    const lines = [
      `SLO ${percent(target, 12)} over ${formatDuration(windowMs)}`,
      `error budget: ${percent(budget.ratio, 12)} of events, or ${formatDuration(budget.allowedDowntimeMs)} of full downtime`,
      '',
      `burn-rate alerts (${preset}): fire when both windows burn faster than the rate`,
      textTable(
        ['severity', 'long/short window', 'burn rate', 'budget spent at firing', 'budget gone in'],
        alerts.map((alert) => [
          alert.severity,
          `${formatDuration(alert.longWindowMs)} / ${formatDuration(alert.shortWindowMs)}`,
          `${alert.burnRate}x`,
          percent(alert.budgetConsumed),
          formatDuration(alert.exhaustsInMs),
        ]),
      ),
    ];
    if (usage !== undefined)
      lines.push(
        '',
        `events: ${usage.good} good of ${usage.total} over ${formatDuration(elapsedMs)} (error ratio ${percent(usage.errorRatio)})`,
        `burn rate: ${Number(usage.burnRate.toPrecision(4))}x`,
        `budget spent: ${percent(usage.consumed)} (${percent(usage.remaining)} left)`,
        `budget gone in: ${usage.remaining <= 0 ? 'already spent' : `${formatDuration(usage.timeToExhaustionMs)} at this burn rate`}`,
      );
    io.stdout(`${lines.join('\n')}\n`);
    return EXIT.ok;
  } catch (error) {
    if (isSreError(error)) throw new CliError(oneLine(error.message));
    throw error;
  }
}

function parseTarget(text: string | undefined): number {
  if (text === undefined) throw usageError('missing --target, e.g. --target 99.9');
  const digits = text.trim().replace(/%$/, '');
  const value = Number(digits);
  // Plain decimals only (no 9.99e1, no 0x5A): the ratio below is read from these digits.
  if (!/^(\d+\.?\d*|\.\d+)$/.test(digits) || value <= 0 || value >= 100)
    throw usageError(`--target ${JSON.stringify(text)}: expected a percentage between 0 and 100, e.g. 99.9`);
  if (value <= 1)
    throw usageError(
      `--target ${text}: a percentage is expected; for a ratio of ${value} write --target ${Number((value * 100).toPrecision(12))}`,
    );
  // Moving the decimal point in the text gives the double nearest the ratio typed (99.9 → 0.999);
  // dividing the double 99.9 by 100 gives 0.9990000000000001, and every figure after it inherits that.
  return Number(`${digits}e-2`);
}

function durationOption(name: string, text: string | undefined): number {
  if (text === undefined) throw usageError(`missing ${name}, e.g. ${name} 30d`);
  const ms = parseDuration(text);
  if (ms === undefined)
    throw usageError(`${name} ${JSON.stringify(text)}: expected a duration such as 30d, 4w or 24h`);
  return ms;
}

function parseEvents(text: string): { good: number; total: number } {
  const match = /^\s*(\d+)\s*,\s*(\d+)\s*$/.exec(text);
  if (match === null)
    throw usageError(`--events ${JSON.stringify(text)}: expected good,total, e.g. 999412,1000000`);
  const good = Number(match[1]);
  const total = Number(match[2]);
  if (good > total) throw usageError(`--events ${text}: good (${good}) is more than total (${total})`);
  return { good, total };
}
