// Prometheus recording and alerting rules for SLOs, in the shape Sloth generates: one recorded error
// ratio per alert window, a few metadata series, and per severity one alert that is the OR of its
// (long window AND short window) pairs. The thresholds are the same numbers the tracker uses, so the
// rules and an in-process tracker fed the same events agree on when a page fires.
//
// No rule ever divides 0 by 0: a window without traffic has no error ratio (the series is absent, as
// the tracker's SLI is null), never NaN. NaN would be worse than a gap: averaged over 30 days, one
// idle 5 minutes would make the period's burn rate and budget NaN for the next 30 days.
import { z } from 'zod';
import { ConfigError, parseOptions } from '../core/index.js';
import { budgetRatioOf } from './budget.js';
import { alertsOf, type BurnRateSeverity, type BurnRateAlert } from './burn-rate-alerts.js';
import { DAY_MS, MINUTE_MS, formatDuration } from './durations.js';
import {
  nominalWindowMs,
  sloOptionsSchema,
  type ParsedSloOptions,
  type SloTrackerOptions,
} from './options.js';
import { toYaml } from './yaml.js';

/** The error and total queries of one SLO; `{{window}}` becomes the range (`5m`), `{{slo}}` the name. */
export interface SloQueryTemplates {
  /** PromQL for the rate of bad events, e.g. `sum(rate(http_requests_total{code=~"5.."}[{{window}}]))`. */
  readonly errorQuery: string;
  /** PromQL for the rate of all events, e.g. `sum(rate(http_requests_total[{{window}}]))`. */
  readonly totalQuery: string;
}

/** Options of {@link toPrometheusRules}. */
export interface PrometheusRulesOptions {
  /**
   * The counter the default queries read, labelled `slo="<name>"` and `outcome="good"|"bad"` (what the
   * sre-kit HTTP adapters export).
   * @default 'sre_slo_events_total'
   */
  readonly metric?: string;
  /** An error query template for every SLO (give `totalQuery` too); overrides the default counter. */
  readonly errorQuery?: string;
  /** A total query template for every SLO (give `errorQuery` too). */
  readonly totalQuery?: string;
  /** Query templates for particular SLOs, by SLO name; these win over `errorQuery` / `totalQuery`. */
  readonly queries?: Readonly<Record<string, SloQueryTemplates>>;
  /**
   * The alert name; page and ticket alerts share it and differ by their `severity` label.
   * @default 'SloErrorBudgetBurn'
   */
  readonly alertName?: string;
  /** Extra labels on every alert (e.g. `{ team: 'payments' }`); `slo` and `severity` are set by sre-kit. */
  readonly labels?: Readonly<Record<string, string>>;
  /** The evaluation interval of the generated groups (e.g. `30s`); Prometheus' global one when absent. */
  readonly interval?: string;
}

/** A Prometheus recording rule. */
export interface PrometheusRecordingRule {
  /** The series name it records. */
  readonly record: string;
  /** The PromQL it evaluates. */
  readonly expr: string;
  /** Labels added to the recorded series. */
  readonly labels: Readonly<Record<string, string>>;
}

/** A Prometheus alerting rule. */
export interface PrometheusAlertingRule {
  /** The alert name. */
  readonly alert: string;
  /** The PromQL whose result series are the firing alerts. */
  readonly expr: string;
  /** Labels added to each alert. */
  readonly labels: Readonly<Record<string, string>>;
  /** Annotations added to each alert. */
  readonly annotations: Readonly<Record<string, string>>;
}

/** A Prometheus rule group. */
export interface PrometheusRuleGroup {
  /** The group name, unique in the file. */
  readonly name: string;
  /** The evaluation interval, when set. */
  readonly interval?: string;
  /** The rules, evaluated in order. */
  readonly rules: ReadonlyArray<PrometheusRecordingRule | PrometheusAlertingRule>;
}

/** A Prometheus rule file: what `rule_files` loads. */
export interface PrometheusRuleFile {
  /** The rule groups. */
  readonly groups: readonly PrometheusRuleGroup[];
}

const METRIC = /^[A-Za-z_:][A-Za-z0-9_:]*$/;
const LABEL = /^[A-Za-z_][A-Za-z0-9_]*$/;
const DURATION = /^[0-9]+(?:ms|s|m|h|d|w|y)$/;
const template = z
  .string()
  .min(1)
  .max(4096)
  .refine((q) => q.includes('{{window}}'), {
    message: 'a PromQL template containing {{window}}',
  });
const templates = z.strictObject({ errorQuery: template, totalQuery: template });

const optionsSchema = z
  .strictObject({
    metric: z
      .string()
      .refine((value) => METRIC.test(value), { message: 'a Prometheus metric name' })
      .default('sre_slo_events_total'),
    errorQuery: template.optional(),
    totalQuery: template.optional(),
    queries: z.record(z.string(), templates).optional(),
    alertName: z
      .string()
      .refine((value) => LABEL.test(value), { message: 'a Prometheus alert name' })
      .default('SloErrorBudgetBurn'),
    labels: z
      .record(
        z
          .string()
          .refine((value) => LABEL.test(value), { message: 'a Prometheus label name' })
          .refine((name) => !['slo', 'severity', 'alertname'].includes(name), {
            message: 'a label other than slo, severity and alertname (sre-kit sets those)',
          }),
        z.string(),
      )
      .optional(),
    interval: z
      .string()
      .refine((value) => DURATION.test(value), { message: 'a Prometheus duration such as 30s or 1m' })
      .optional(),
  })
  .superRefine((value, ctx) => {
    if ((value.errorQuery === undefined) !== (value.totalQuery === undefined))
      ctx.addIssue({
        code: 'custom',
        path: [value.errorQuery === undefined ? 'errorQuery' : 'totalQuery'],
        message: 'errorQuery and totalQuery given together',
      });
  });

const slosSchema = z.array(sloOptionsSchema).min(1).max(1000);

/**
 * Generates Sloth-style Prometheus recording and alerting rules for SLOs.
 *
 * @example
 * ```ts
 * const rules = toPrometheusRules([{ name: 'api', objective: { kind: 'availability', target: 0.999 } }]);
 * await writeFile('slo-rules.yml', formatPrometheusRules(rules)); // then: promtool check rules slo-rules.yml
 * ```
 * @throws {ConfigError} on an invalid SLO, duplicate SLO names, or invalid options.
 */
export function toPrometheusRules(
  slos: SloTrackerOptions | readonly SloTrackerOptions[],
  options: PrometheusRulesOptions = {},
): PrometheusRuleFile {
  const list = parseOptions(slosSchema, Array.isArray(slos) ? slos : [slos], 'toPrometheusRules');
  const opts = parseOptions(optionsSchema, options, 'toPrometheusRules');
  const names = new Set<string>();
  list.forEach((slo, i) => {
    if (names.has(slo.name))
      throw new ConfigError('toPrometheusRules', [
        {
          field: `[${i}].name`,
          received: JSON.stringify(slo.name),
          expected: 'a name unique among the SLOs',
        },
      ]);
    names.add(slo.name);
  });
  for (const key of Object.keys(opts.queries ?? {}))
    if (!names.has(key))
      throw new ConfigError('toPrometheusRules', [
        { field: `queries.${key}`, received: JSON.stringify(key), expected: 'the name of one of the SLOs' },
      ]);
  return { groups: list.flatMap((slo) => groupsFor(slo, opts)) };
}

/**
 * Renders a rule file as YAML that Prometheus and `promtool check rules` load. (`JSON.stringify(file)`
 * works too: JSON is valid YAML.)
 */
export function formatPrometheusRules(file: PrometheusRuleFile): string {
  return `# Generated by sre-kit: SLO recording and alerting rules. Regenerate rather than edit.\n${toYaml(file)}`;
}

type ParsedRulesOptions = z.output<typeof optionsSchema>;

function groupsFor(slo: ParsedSloOptions, opts: ParsedRulesOptions): PrometheusRuleGroup[] {
  const name = slo.name;
  const sel = `{slo=${JSON.stringify(name)}}`;
  const budget = budgetRatioOf(slo.objective.target);
  const alerts = alertsOf(slo);
  const queries =
    opts.queries?.[name] ??
    (opts.errorQuery !== undefined && opts.totalQuery !== undefined
      ? { errorQuery: opts.errorQuery, totalQuery: opts.totalQuery }
      : undefined);
  const fill = (text: string, window: string): string =>
    text.replaceAll('{{window}}', window).replaceAll('{{slo}}', name);
  const errorQuery = (w: string): string =>
    queries === undefined
      ? `sum(rate(${opts.metric}{slo=${JSON.stringify(name)},outcome="bad"}[${w}]))`
      : fill(queries.errorQuery, w);
  const totalQuery = (w: string): string =>
    queries === undefined
      ? `sum(rate(${opts.metric}{slo=${JSON.stringify(name)}}[${w}]))`
      : fill(queries.totalQuery, w);

  const windows = [
    ...new Set([5 * MINUTE_MS, ...alerts.flatMap((a) => [a.shortWindowMs, a.longWindowMs])]),
  ].sort((a, b) => a - b);
  const labels = { slo: name };
  const recordings: PrometheusRecordingRule[] = windows.map((ms) => {
    const w = formatDuration(ms);
    return {
      record: `slo:sli_error:ratio_rate${w}`,
      expr: `(${errorQuery(w)}) / ((${totalQuery(w)}) > 0)`,
      labels,
    };
  });
  const meta: PrometheusRecordingRule[] = [
    { record: 'slo:objective:ratio', expr: `vector(${slo.objective.target})`, labels },
    { record: 'slo:error_budget:ratio', expr: `vector(${budget})`, labels },
    { record: 'slo:time_period:days', expr: `vector(${nominalWindowMs(slo.window) / DAY_MS})`, labels },
    { record: 'slo:current_burn_rate:ratio', expr: `slo:sli_error:ratio_rate5m${sel} / ${budget}`, labels },
  ];
  if (slo.window.kind === 'rolling') {
    // The window's ratio sums the recorded 5m rates rather than taking rate() over 30 days, which would
    // make Prometheus read every sample of the month on each evaluation. Unlike Sloth, it sums bad and
    // all events apart instead of averaging 5m ratios: every event weighs the same, as in the tracker
    // (a quiet night's ratio does not count as much as the peak's), and idle minutes add 0 to both.
    const period = formatDuration(slo.window.durationMs);
    const record = `slo:sli_error:ratio_rate${period}`;
    if (!windows.includes(slo.window.durationMs))
      meta.push(
        { record: 'slo:sli_error:rate5m', expr: errorQuery('5m'), labels },
        { record: 'slo:sli_events:rate5m', expr: totalQuery('5m'), labels },
        {
          record,
          expr: `sum_over_time(slo:sli_error:rate5m${sel}[${period}]) / (sum_over_time(slo:sli_events:rate5m${sel}[${period}]) > 0)`,
          labels,
        },
      );
    meta.push(
      { record: 'slo:period_burn_rate:ratio', expr: `${record}${sel} / ${budget}`, labels },
      {
        record: 'slo:period_error_budget_remaining:ratio',
        expr: `1 - slo:period_burn_rate:ratio${sel}`,
        labels,
      },
    );
  }
  const groups: PrometheusRuleGroup[] = [
    { name: `sre-kit-slo-${name}-recordings`, ...interval(opts), rules: [...recordings, ...meta] },
  ];
  const alerting = (['page', 'ticket'] as const)
    .map((severity) =>
      alertRule(
        slo,
        severity,
        alerts.filter((a) => a.severity === severity),
        budget,
        opts,
      ),
    )
    .filter((rule) => rule !== undefined);
  if (alerting.length > 0)
    groups.push({ name: `sre-kit-slo-${name}-alerts`, ...interval(opts), rules: alerting });
  return groups;
}

function interval(opts: ParsedRulesOptions): { interval?: string } {
  return opts.interval === undefined ? {} : { interval: opts.interval };
}

function alertRule(
  slo: ParsedSloOptions,
  severity: BurnRateSeverity,
  pairs: readonly BurnRateAlert[],
  budget: number,
  opts: ParsedRulesOptions,
): PrometheusAlertingRule | undefined {
  if (pairs.length === 0) return undefined;
  const sel = `{slo=${JSON.stringify(slo.name)}}`;
  const expr = pairs
    .map((pair) => {
      const threshold = `(${pair.burnRate} * ${budget})`;
      const long = `slo:sli_error:ratio_rate${formatDuration(pair.longWindowMs)}${sel} > ${threshold}`;
      const short = `slo:sli_error:ratio_rate${formatDuration(pair.shortWindowMs)}${sel} > ${threshold}`;
      return `(${long} and ${short})`;
    })
    .join(' or ');
  const rates = pairs
    .map((p) => `${p.burnRate}x over ${formatDuration(p.longWindowMs)}/${formatDuration(p.shortWindowMs)}`)
    .join(', ');
  return {
    alert: opts.alertName,
    expr,
    labels: { ...opts.labels, severity, slo: slo.name },
    annotations: {
      summary: `SLO ${slo.name} is burning its error budget too fast (${severity}).`,
      description:
        `${describeObjective(slo)}: the error ratio exceeded the budget (${budget}) by ${rates} ` +
        `in both the long and the short window.${slo.description === undefined ? '' : ` ${slo.description}`}`,
    },
  };
}

function describeObjective(slo: ParsedSloOptions): string {
  const percent = `${Number((slo.objective.target * 100).toPrecision(12))}%`;
  const window =
    slo.window.kind === 'rolling'
      ? `rolling ${formatDuration(slo.window.durationMs)}`
      : `calendar ${slo.window.unit} (${slo.window.timeZone})`;
  return `${percent} ${slo.objective.kind} over a ${window} window`;
}
