// OpenSLO v1 import and export. An SLO becomes a `kind: SLO` document plus the `kind: SLI` it refers
// to. Availability is a ratio metric over the counter the HTTP adapters export; latency and freshness
// are threshold metrics (op `lte`, value in ms), budgeted by Occurrences and by Timeslices.
// fromOpenSlo reads back everything toOpenSlo writes and rejects, by name, every field it cannot honour.
import { z } from 'zod';
import { ConfigError, describeValue, parseOptions, type ConfigIssue } from '../core/index.js';
import { normalizeTarget } from './budget.js';
import { DAY_MS, HOUR_MS, MINUTE_MS } from './durations.js';
import {
  sloOptionsSchema,
  type ParsedSloOptions,
  type SloObjective,
  type SloTrackerOptions,
  type SloWindow,
} from './options.js';

/** OpenSLO object metadata. */
export interface OpenSloMetadata {
  /** The object name. */
  readonly name: string;
  /** A human name. */
  readonly displayName?: string;
  /** Labels: a value or a list of values per key. */
  readonly labels?: Readonly<Record<string, string | readonly string[]>>;
  /** Free-form annotations; sre-kit keeps its alert settings under `sre-kit/alerts`. */
  readonly annotations?: Readonly<Record<string, string>>;
}

/** Where an SLI's data comes from. */
export interface OpenSloMetricSource {
  /** A reference to a DataSource object. */
  readonly metricSourceRef?: string;
  /** The source type, e.g. `Prometheus`. */
  readonly type?: string;
  /** Source-specific fields, e.g. `{ query }`. */
  readonly spec?: Readonly<Record<string, unknown>>;
}

/** A metric of an SLI. */
export interface OpenSloMetric {
  /** Where the metric comes from. */
  readonly metricSource: OpenSloMetricSource;
}

/** The body of an OpenSLO SLI: a ratio of good (or bad) to total, or a thresholded metric. */
export interface OpenSloSliSpec {
  /** A description. */
  readonly description?: string;
  /** Good (or bad) events over total events. */
  readonly ratioMetric?: {
    readonly counter?: boolean;
    readonly good?: OpenSloMetric;
    readonly bad?: OpenSloMetric;
    readonly total: OpenSloMetric;
  };
  /** A metric compared with the objective's `op` and `value`. */
  readonly thresholdMetric?: OpenSloMetric;
}

/** An OpenSLO v1 `kind: SLI` document. */
export interface OpenSloSli {
  readonly apiVersion: 'openslo/v1';
  readonly kind: 'SLI';
  readonly metadata: OpenSloMetadata;
  readonly spec: OpenSloSliSpec;
}

/** One OpenSLO time window. */
export interface OpenSloTimeWindow {
  /** A duration shorthand: `30d`, `1M`, `1w`, ... */
  readonly duration: string;
  /** Rolling (`true`) or calendar-aligned (`false`). */
  readonly isRolling: boolean;
  /** Where calendar windows start and in which time zone. */
  readonly calendar?: { readonly startTime: string; readonly timeZone: string };
}

/** One OpenSLO objective. */
export interface OpenSloObjective {
  readonly displayName?: string;
  /** How a threshold metric's value compares with `value`. */
  readonly op?: 'lte' | 'gte' | 'lt' | 'gt';
  /** The threshold, in ms for sre-kit's latency and freshness SLIs. */
  readonly value?: number;
  /** The target ratio in [0, 1). */
  readonly target?: number;
  /** The target in percent, instead of `target`. */
  readonly targetPercent?: number;
  /** The share of a slice that must be good for the slice to be good (Timeslices). */
  readonly timeSliceTarget?: number;
  /** The slice length (Timeslices). */
  readonly timeSliceWindow?: string;
}

/** An OpenSLO v1 `kind: SLO` document. */
export interface OpenSloSlo {
  readonly apiVersion: 'openslo/v1';
  readonly kind: 'SLO';
  readonly metadata: OpenSloMetadata;
  readonly spec: {
    readonly description?: string;
    readonly service?: string;
    readonly indicator?: { readonly metadata: OpenSloMetadata; readonly spec: OpenSloSliSpec };
    readonly indicatorRef?: string;
    readonly budgetingMethod: 'Occurrences' | 'Timeslices';
    readonly timeWindow: readonly OpenSloTimeWindow[];
    readonly objectives: readonly OpenSloObjective[];
    readonly alertPolicies?: readonly unknown[];
  };
}

/** A document {@link toOpenSlo} writes and {@link fromOpenSlo} reads. */
export type OpenSloDocument = OpenSloSli | OpenSloSlo;

/** Options of {@link toOpenSlo}. */
export interface ToOpenSloOptions {
  /** The OpenSLO `service` the SLOs belong to. @default each SLO's name */
  readonly service?: string;
  /**
   * The counter availability SLIs query, labelled `slo` and `outcome`.
   * @default 'sre_slo_events_total'
   */
  readonly metric?: string;
}

const API_VERSION = 'openslo/v1';
const ALERTS_ANNOTATION = 'sre-kit/alerts';
// A fixed anchor for calendar windows: a Monday, the first of a month, at midnight.
const CALENDAR_ANCHOR = '2024-01-01 00:00:00';
const UNKNOWN_KEY = 'no such option (unknown key)';

const toOptionsSchema = z.strictObject({
  service: z.string().min(1).optional(),
  metric: z
    .string()
    .refine((value) => /^[A-Za-z_:][A-Za-z0-9_:]*$/.test(value), { message: 'a Prometheus metric name' })
    .default('sre_slo_events_total'),
});

/**
 * Exports SLOs as OpenSLO v1 documents: for each, a `kind: SLI` and the `kind: SLO` referring to it.
 *
 * @example
 * ```ts
 * const docs = toOpenSlo({ name: 'api', objective: { kind: 'availability', target: 0.999 } });
 * docs.map((d) => d.kind); // ['SLI', 'SLO']
 * ```
 * @throws {ConfigError} on an invalid SLO, or one OpenSLO cannot express (a rolling window or slice
 *   that is not a whole number of minutes).
 */
export function toOpenSlo(
  slos: SloTrackerOptions | readonly SloTrackerOptions[],
  options: ToOpenSloOptions = {},
): OpenSloDocument[] {
  const list = parseOptions(
    z.array(sloOptionsSchema).min(1).max(1000),
    Array.isArray(slos) ? slos : [slos],
    'toOpenSlo',
  );
  const opts = parseOptions(toOptionsSchema, options, 'toOpenSlo');
  return list.flatMap((slo, i) => documentsFor(slo, i, opts.service ?? slo.name, opts.metric));
}

function documentsFor(slo: ParsedSloOptions, i: number, service: string, metric: string): OpenSloDocument[] {
  const name = slo.name;
  const description = slo.description === undefined ? {} : { description: slo.description };
  const objective = slo.objective;
  const sliSpec: OpenSloSliSpec =
    objective.kind === 'availability'
      ? {
          ...description,
          ratioMetric: {
            counter: true,
            good: prometheus(`${metric}{slo=${JSON.stringify(name)},outcome="good"}`),
            total: prometheus(`${metric}{slo=${JSON.stringify(name)}}`),
          },
        }
      : {
          ...description,
          thresholdMetric: {
            metricSource: {
              type: 'sre-kit',
              spec: { slo: name, measure: objective.kind === 'latency' ? 'latency_ms' : 'lag_ms' },
            },
          },
        };
  let target: OpenSloObjective;
  if (objective.kind === 'availability') {
    target = { displayName: `${percent(objective.target)} available`, target: objective.target };
  } else if (objective.kind === 'latency') {
    target = {
      displayName: `${percent(objective.target)} within ${objective.thresholdMs} ms`,
      op: 'lte',
      value: objective.thresholdMs,
      target: objective.target,
    };
  } else {
    target = {
      displayName: `${percent(objective.target)} of slices with lag within ${objective.maxLagMs} ms`,
      op: 'lte',
      value: objective.maxLagMs,
      target: objective.target,
      timeSliceTarget: 1,
      timeSliceWindow: shorthand(objective.sliceMs, `[${i}].objective.sliceMs`),
    };
  }
  const window = slo.window;
  const timeWindow: OpenSloTimeWindow =
    window.kind === 'rolling'
      ? { duration: shorthand(window.durationMs, `[${i}].window.durationMs`), isRolling: true }
      : {
          duration: window.unit === 'month' ? '1M' : window.unit === 'week' ? '1w' : '1d',
          isRolling: false,
          calendar: { startTime: CALENDAR_ANCHOR, timeZone: window.timeZone },
        };
  return [
    { apiVersion: API_VERSION, kind: 'SLI', metadata: { name }, spec: sliSpec },
    {
      apiVersion: API_VERSION,
      kind: 'SLO',
      metadata: { name, annotations: { [ALERTS_ANNOTATION]: JSON.stringify(slo.alerts) } },
      spec: {
        ...description,
        service,
        indicatorRef: name,
        budgetingMethod: objective.kind === 'freshness' ? 'Timeslices' : 'Occurrences',
        timeWindow: [timeWindow],
        objectives: [target],
      },
    },
  ];
}

function prometheus(query: string): OpenSloMetric {
  return { metricSource: { type: 'Prometheus', spec: { query } } };
}

function percent(target: number): string {
  return `${Number((target * 100).toPrecision(12))}%`;
}

function shorthand(ms: number, field: string): string {
  if (ms % DAY_MS === 0) return `${ms / DAY_MS}d`;
  if (ms % HOUR_MS === 0) return `${ms / HOUR_MS}h`;
  if (ms % MINUTE_MS === 0) return `${ms / MINUTE_MS}m`;
  throw new ConfigError('toOpenSlo', [
    {
      field,
      received: String(ms),
      expected: 'a whole number of minutes (OpenSLO durations have no seconds)',
    },
  ]);
}

// ---- import -------------------------------------------------------------------------------------

const metadataSchema = z.strictObject({
  name: z.string().min(1),
  displayName: z.string().optional(),
  labels: z.record(z.string(), z.union([z.string(), z.array(z.string())])).optional(),
  annotations: z.record(z.string(), z.string()).optional(),
});
const metricSchema = z.strictObject({
  metricSource: z.strictObject({
    metricSourceRef: z.string().optional(),
    type: z.string().optional(),
    spec: z.record(z.string(), z.unknown()).optional(),
  }),
});
const sliSpecSchema = z
  .strictObject({
    description: z.string().optional(),
    ratioMetric: z
      .strictObject({
        counter: z.boolean().optional(),
        good: metricSchema.optional(),
        bad: metricSchema.optional(),
        total: metricSchema,
      })
      .refine((ratio) => (ratio.good === undefined) !== (ratio.bad === undefined), {
        message: 'a ratio metric with exactly one of good or bad',
      })
      .optional(),
    thresholdMetric: metricSchema.optional(),
  })
  .refine((spec) => (spec.ratioMetric === undefined) !== (spec.thresholdMetric === undefined), {
    message: 'exactly one of ratioMetric or thresholdMetric',
  });
const objectiveSchema = z.strictObject({
  displayName: z.string().optional(),
  op: z.enum(['lte', 'gte', 'lt', 'gt']).optional(),
  value: z.number().optional(),
  target: z.number().optional(),
  targetPercent: z.number().optional(),
  timeSliceTarget: z.number().optional(),
  timeSliceWindow: z.string().optional(),
});
const timeWindowSchema = z.strictObject({
  duration: z.string(),
  isRolling: z.boolean(),
  calendar: z.strictObject({ startTime: z.string(), timeZone: z.string() }).optional(),
});
const documentSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    apiVersion: z.literal(API_VERSION),
    kind: z.literal('SLO'),
    metadata: metadataSchema,
    spec: z.strictObject({
      description: z.string().optional(),
      service: z.string().optional(),
      indicator: z.strictObject({ metadata: metadataSchema, spec: sliSpecSchema }).optional(),
      indicatorRef: z.string().optional(),
      budgetingMethod: z.enum(['Occurrences', 'Timeslices']),
      timeWindow: z.array(timeWindowSchema).length(1),
      objectives: z.array(objectiveSchema).length(1),
      alertPolicies: z
        .array(z.unknown())
        .refine((list) => list.length === 0, {
          message:
            'no alert policies (sre-kit derives alerts from burn rates; see the sre-kit/alerts annotation)',
        })
        .optional(),
    }),
  }),
  z.strictObject({
    apiVersion: z.literal(API_VERSION),
    kind: z.literal('SLI'),
    metadata: metadataSchema,
    spec: sliSpecSchema,
  }),
  // Services and data sources carry nothing the tracker needs; they may sit in the same file.
  z.looseObject({ apiVersion: z.literal(API_VERSION), kind: z.literal('Service') }),
  z.looseObject({ apiVersion: z.literal(API_VERSION), kind: z.literal('DataSource') }),
]);

type ParsedDocument = z.output<typeof documentSchema>;
type ParsedSlo = Extract<ParsedDocument, { kind: 'SLO' }>;
type ParsedSliSpec = z.output<typeof sliSpecSchema>;

/**
 * Reads OpenSLO v1 documents (already parsed from YAML or JSON) into tracker options, one per
 * `kind: SLO`; `kind: SLI` documents resolve `indicatorRef`, `Service` and `DataSource` are skipped.
 *
 * @example
 * ```ts
 * const [options] = fromOpenSlo(yaml.parseAllDocuments(text).map((d) => d.toJSON()));
 * const slo = createSloTracker(options);
 * ```
 * @throws {ConfigError} naming each unsupported or invalid field (alert policies, RatioTimeslices
 *   budgeting, several objectives or windows, ops other than `lte`, calendar windows other than a
 *   month, ISO week or day, ...).
 */
export function fromOpenSlo(documents: unknown): SloTrackerOptions[] {
  const list = Array.isArray(documents) ? (documents as unknown[]) : [documents];
  let parsed: readonly ParsedDocument[];
  try {
    parsed = parseOptions(z.array(documentSchema).min(1), list, 'fromOpenSlo');
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    // An unknown key here is an OpenSLO field sre-kit cannot honour: say so rather than "unknown".
    throw new ConfigError(
      'fromOpenSlo',
      error.issues.map((issue) =>
        issue.expected === UNKNOWN_KEY
          ? { ...issue, expected: 'a field sre-kit supports (this OpenSLO field is not supported)' }
          : issue,
      ),
    );
  }
  const indicators = new Map<string, ParsedSliSpec>();
  for (const doc of parsed) if (doc.kind === 'SLI') indicators.set(doc.metadata.name, doc.spec);
  const out: SloTrackerOptions[] = [];
  parsed.forEach((doc, i) => {
    if (doc.kind !== 'SLO') return;
    const options = convert(doc, `[${i}]`, indicators);
    parseOptions(sloOptionsSchema, options, `fromOpenSlo (SLO ${JSON.stringify(doc.metadata.name)})`);
    out.push(options);
  });
  return out;
}

function convert(
  doc: ParsedSlo,
  at: string,
  indicators: ReadonlyMap<string, ParsedSliSpec>,
): SloTrackerOptions {
  const issues: ConfigIssue[] = [];
  const fail = (field: string, received: unknown, expected: string): void => {
    issues.push({ field: `${at}.${field}`, received: describeValue(received), expected });
  };
  const spec = doc.spec;
  let indicator: ParsedSliSpec | undefined;
  if (spec.indicator !== undefined && spec.indicatorRef !== undefined)
    fail('spec.indicatorRef', spec.indicatorRef, 'either indicator or indicatorRef, not both');
  else if (spec.indicator !== undefined) indicator = spec.indicator.spec;
  else if (spec.indicatorRef !== undefined) {
    indicator = indicators.get(spec.indicatorRef);
    if (indicator === undefined)
      fail('spec.indicatorRef', spec.indicatorRef, 'the name of a kind: SLI document given alongside');
  } else fail('spec.indicator', undefined, 'an indicator or an indicatorRef');

  const o = spec.objectives[0] as z.output<typeof objectiveSchema>;
  const objectiveAt = 'spec.objectives[0]';
  // Normalised here, as the options parser would: 99.9 / 100 is 0.9990000000000001, not 0.999.
  const raw = o.target ?? (o.targetPercent === undefined ? undefined : o.targetPercent / 100);
  const target = raw === undefined ? undefined : normalizeTarget(raw);
  if (target === undefined) fail(`${objectiveAt}.target`, undefined, 'a target (or targetPercent)');
  if (o.target !== undefined && o.targetPercent !== undefined)
    fail(`${objectiveAt}.targetPercent`, o.targetPercent, 'either target or targetPercent, not both');

  let objective: SloObjective | undefined;
  const timeslices = spec.budgetingMethod === 'Timeslices';
  if (indicator?.ratioMetric !== undefined) {
    if (timeslices)
      fail(
        'spec.budgetingMethod',
        spec.budgetingMethod,
        '"Occurrences" for a ratio metric (sre-kit budgets slices only for freshness)',
      );
    for (const key of ['op', 'value', 'timeSliceTarget', 'timeSliceWindow'] as const)
      if (o[key] !== undefined) fail(`${objectiveAt}.${key}`, o[key], 'no such field with a ratio metric');
    objective = { kind: 'availability', target: target ?? 0 };
  } else if (indicator?.thresholdMetric !== undefined) {
    if (o.op !== 'lte')
      fail(`${objectiveAt}.op`, o.op, '"lte" (good when the value is at most the threshold)');
    if (o.value === undefined || !(o.value > 0))
      fail(`${objectiveAt}.value`, o.value, 'a threshold in ms > 0');
    if (timeslices) {
      if (o.timeSliceTarget !== undefined && o.timeSliceTarget !== 1)
        fail(
          `${objectiveAt}.timeSliceTarget`,
          o.timeSliceTarget,
          '1 (a slice is good only when every sample is)',
        );
      const sliceMs = o.timeSliceWindow === undefined ? MINUTE_MS : parseShorthand(o.timeSliceWindow, false);
      if (sliceMs === undefined)
        fail(`${objectiveAt}.timeSliceWindow`, o.timeSliceWindow, 'a duration such as 1m, 5m or 1h');
      objective = {
        kind: 'freshness',
        target: target ?? 0,
        maxLagMs: o.value ?? 0,
        sliceMs: sliceMs ?? MINUTE_MS,
      };
    } else {
      for (const key of ['timeSliceTarget', 'timeSliceWindow'] as const)
        if (o[key] !== undefined)
          fail(`${objectiveAt}.${key}`, o[key], 'no such field with Occurrences budgeting');
      objective = { kind: 'latency', target: target ?? 0, thresholdMs: o.value ?? 0 };
    }
  }

  const window = convertWindow(spec.timeWindow[0] as z.output<typeof timeWindowSchema>, fail);
  let alerts: SloTrackerOptions['alerts'];
  const annotation = doc.metadata.annotations?.[ALERTS_ANNOTATION];
  if (annotation !== undefined) {
    try {
      alerts = JSON.parse(annotation) as SloTrackerOptions['alerts'];
    } catch {
      fail(`metadata.annotations["${ALERTS_ANNOTATION}"]`, annotation, 'JSON of the alerts option');
    }
  }
  if (issues.length > 0 || objective === undefined || window === undefined)
    throw new ConfigError('fromOpenSlo', issues);
  return {
    name: doc.metadata.name,
    objective,
    window,
    ...(alerts === undefined ? {} : { alerts }),
    ...(spec.description === undefined ? {} : { description: spec.description }),
  };
}

function convertWindow(
  tw: z.output<typeof timeWindowSchema>,
  fail: (field: string, received: unknown, expected: string) => void,
): SloWindow | undefined {
  const at = 'spec.timeWindow[0]';
  if (tw.isRolling) {
    if (tw.calendar !== undefined) fail(`${at}.calendar`, tw.calendar, 'no calendar on a rolling window');
    const durationMs = parseShorthand(tw.duration, true);
    if (durationMs === undefined) {
      fail(`${at}.duration`, tw.duration, 'a duration such as 28d, 4w or 1M');
      return undefined;
    }
    return { kind: 'rolling', durationMs };
  }
  const unit = ({ '1M': 'month', '1w': 'week', '1d': 'day' } as const)[tw.duration as '1M' | '1w' | '1d'] as
    'month' | 'week' | 'day' | undefined;
  if (unit === undefined)
    fail(`${at}.duration`, tw.duration, '1M, 1w or 1d (a calendar month, ISO week or day)');
  if (tw.calendar === undefined) {
    fail(`${at}.calendar`, undefined, 'a calendar with startTime and timeZone');
    return undefined;
  }
  const start = /^(\d{4})-(\d{2})-(\d{2})[ T]00:00:00$/.exec(tw.calendar.startTime);
  const weekday =
    start === null ? -1 : new Date(Date.UTC(+start[1]!, +start[2]! - 1, +start[3]!)).getUTCDay();
  if (start === null || (unit === 'month' && start[3] !== '01') || (unit === 'week' && weekday !== 1))
    fail(
      `${at}.calendar.startTime`,
      tw.calendar.startTime,
      `local midnight "YYYY-MM-DD 00:00:00"${unit === 'month' ? ' on the 1st' : unit === 'week' ? ' on a Monday' : ''}`,
    );
  return unit === undefined ? undefined : { kind: 'calendar', unit, timeZone: tw.calendar.timeZone };
}

// OpenSLO duration shorthand; M, Q and Y mean 30, 90 and 365 days, as in the OpenSLO Go SDK.
function parseShorthand(text: string, long: boolean): number | undefined {
  const match = /^([0-9]+)([mhdwMQY])$/.exec(text);
  if (match === null) return undefined;
  const n = Number(match[1]);
  const unit = match[2] as string;
  const size: Record<string, number> = { m: MINUTE_MS, h: HOUR_MS, d: DAY_MS, w: 7 * DAY_MS };
  if (long) Object.assign(size, { M: 30 * DAY_MS, Q: 90 * DAY_MS, Y: 365 * DAY_MS });
  const unitMs = size[unit];
  return unitMs === undefined || n <= 0 ? undefined : n * unitMs;
}
