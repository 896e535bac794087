import { parseOptions, resolveDeps, SafeEmitter, type Deps, type EventSource } from '../core/index.js';
import type { MetricFamily, MetricSample, MetricsSource } from '../metrics/index.js';
import { BoundedCache } from './bounded-cache.js';
import {
  codeOf,
  explicitFingerprint,
  fingerprintOf,
  typeOf,
  type Fingerprint,
  type FingerprintSettings,
} from './fingerprint.js';
import { errorGroupsOptionsSchema, type ErrorGroupsOptions } from './options.js';
import { MinuteRings } from './minute-rings.js';
import { CountHeap, SmallTopK, type Counted } from './space-saving.js';
import { normalizeRoot } from './stack-frames.js';

/** The route label of errors captured outside a request. */
export const NO_ROUTE = '__none__';

/** Where and how an error happened, as the caller knows it. Every field is optional. */
export interface ErrorContext {
  /** The route template, e.g. `GET /orders/:id` (never the raw URL: it would split the counts). */
  readonly route?: string;
  /** The HTTP status the error was answered with. */
  readonly status?: number;
  /** The W3C trace id of the request, kept with the group's sample. */
  readonly traceId?: string;
}

/** The latest occurrence of a group, redacted: a parameterised message, never the raw one. */
export interface ErrorSample {
  readonly message: string;
  readonly route?: string;
  readonly status?: number;
  readonly traceId?: string;
  /** Epoch ms. */
  readonly at: number;
  /** The raw stack (only with `exposeDetails`). */
  readonly stack?: string;
  /** The top frames as `file:function` (only with `exposeDetails`). */
  readonly frames?: readonly string[];
}

/** One error group, as {@link ErrorGroups.top} reports it. */
export interface ErrorGroupSummary {
  /** 16 hex digits; stable across restarts and deploys for the same type and call site. */
  readonly fingerprint: string;
  readonly type: string;
  readonly code?: string;
  /** The parameterised message of the group's first occurrence. */
  readonly message: string;
  /** `file:function` of the top in-app frame (root-relative), when there is a frame. */
  readonly location?: string;
  /** Errors counted, including up to `countError` inherited from groups it displaced (Space-Saving). */
  readonly count: number;
  /** The most `count` may overestimate by; 0 unless the group took over an evicted group's counter. */
  readonly countError: number;
  /** Errors in the last 60 minutes (the sum of `perMinute`). */
  readonly lastHour: number;
  /** Counts per minute for the last hour, oldest first; the last entry is the current minute. */
  readonly perMinute: readonly number[];
  /** The routes with the most errors of this group, most first. */
  readonly routes: readonly { readonly route: string; readonly count: number }[];
  /** Epoch ms of the first occurrence (kept across an eviction and return). */
  readonly firstSeen: number;
  /** Epoch ms of the latest occurrence. */
  readonly lastSeen: number;
  readonly sample: ErrorSample;
  /** The id of the change this group is new since, when `top({ newSince })` asked and it is. */
  readonly newSince?: string;
}

/** What {@link ErrorGroups.top} returns and how it filters. */
export interface ErrorTopOptions {
  /** The most groups returned. @default 10 */
  readonly limit?: number;
  /** Only groups seen at or after this time (epoch ms or Date). */
  readonly since?: number | Date;
  /** Mark groups first seen at or after `at` (a deploy, the process start) with `newSince: id`. */
  readonly newSince?: { readonly id: string; readonly at: number | Date };
}

/** Counters of an {@link ErrorGroups}. */
export interface ErrorGroupsStats {
  /** Errors captured. */
  readonly captured: number;
  /** Groups tracked now. */
  readonly groups: number;
  /** Distinct groups ever seen (first occurrences; a group returning after eviction is not counted again). */
  readonly distinct: number;
  /** Groups displaced to make room. */
  readonly evicted: number;
  /**
   * The Space-Saving bound: no tracked count overestimates by more than this, and any group with more
   * errors than this is tracked. At most `captured / maxGroups`; 0 until the table is full.
   */
  readonly maxCountError: number;
  /** Context fields that were not what `ErrorContext` says, counted and ignored. */
  readonly invalidContext: number;
  /** Thrown values that threw when read (grouped together as `UnreadableError`). */
  readonly unreadable: number;
  /** Captures whose fingerprint came from the cache. */
  readonly cacheHits: number;
  readonly cacheMisses: number;
}

/** Events of an {@link ErrorGroups}. */
export type ErrorGroupsEvents = {
  /** A group was seen for the first time. */
  newGroup: {
    readonly fingerprint: string;
    readonly type: string;
    readonly code?: string;
    readonly message: string;
    readonly location?: string;
    readonly route?: string;
    readonly status?: number;
    readonly traceId?: string;
    /** Epoch ms. */
    readonly at: number;
  };
};

/**
 * Groups captured errors by fingerprint with bounded memory: which errors, where, on which routes,
 * how often lately, and since when. Also a metrics source for `sre_errors_total{type,route}`.
 */
export interface ErrorGroups extends EventSource<ErrorGroupsEvents>, MetricsSource {
  /**
   * Counts one thrown value (an Error or anything else) and returns its group's fingerprint. A
   * repeated stack costs a cache lookup and a few counter updates; bad context fields are counted in
   * `stats().invalidContext` and ignored; it never throws.
   */
  capture(error: unknown, context?: ErrorContext): string;
  /** The groups with the most errors, most first. Reading changes nothing. */
  top(options?: ErrorTopOptions): ErrorGroupSummary[];
  stats(): ErrorGroupsStats;
}

interface Group extends Counted {
  readonly id: string;
  readonly type: string;
  readonly code: string | undefined;
  readonly message: string;
  readonly location: string | undefined;
  readonly firstSeen: number;
  lastSeen: number;
  /** The minute (epoch ms / 60 000) of the newest count in its minute ring. */
  minute: number;
  /** Its slot in the shared minute rings. */
  readonly ring: number;
  readonly routes: SmallTopK;
  // The latest occurrence, kept as plain fields so a capture allocates nothing.
  latest: Fingerprint;
  sampleRoute: string | undefined;
  sampleStatus: number | undefined;
  sampleTraceId: string | undefined;
  sampleStack: string | undefined;
}

interface Series extends Counted {
  readonly type: string;
  readonly route: string;
}

interface CacheEntry {
  readonly type: string;
  readonly code: string | undefined;
  readonly fingerprint: Fingerprint;
}

const MINUTE_MS = 60_000;
const MINUTES = 60;
const MAX_ROUTE_LENGTH = 200;
const MAX_TRACE_ID_LENGTH = 64;
const MAX_CACHED_STACK_LENGTH = 16_384;

/**
 * Creates an error-groups recorder: Sentry-style fingerprints (type + top in-app frames, no line
 * numbers; parameterised messages), Space-Saving top-k so memory stays bounded, per-group routes,
 * per-minute counts for the last hour and one redacted sample.
 *
 * @example
 * ```ts
 * const errors = createErrorGroups({ maxGroups: 500, inAppRoot: process.cwd() });
 * errors.capture(err, { route: 'GET /orders/:id', status: 500, traceId });
 * errors.top({ limit: 10 }); // [{ fingerprint, type, message, location: 'src/db.ts:query', count, routes, ... }]
 * ```
 * @throws {ConfigError} when options are invalid.
 */
export function createErrorGroups(options: ErrorGroupsOptions = {}, deps?: Deps): ErrorGroups {
  const opts = parseOptions(errorGroupsOptionsSchema, options, 'createErrorGroups');
  const { clock, onInternalError } = resolveDeps(deps);
  const events = new SafeEmitter<ErrorGroupsEvents>('errorGroups', onInternalError);
  const settings: FingerprintSettings = Object.freeze({
    root: normalizeRoot(opts.inAppRoot ?? process.cwd()),
    frames: opts.frames,
    maxMessageLength: opts.maxMessageLength,
    keepFrames: opts.exposeDetails,
  });
  const cache =
    opts.fingerprintCacheSize > 0
      ? new BoundedCache<string, CacheEntry>(opts.fingerprintCacheSize)
      : undefined;
  const groups = new Map<string, Group>();
  const heap = new CountHeap<Group>();
  const rings = new MinuteRings();
  // When evicted groups were first seen, so one that returns is not "new"; bounded like the groups.
  const evictedFirstSeen = new BoundedCache<string, number>(opts.maxGroups);
  const seriesIndex = new Map<string, Map<string, Series>>();
  const seriesHeap = new CountHeap<Series>();
  let captured = 0;
  let distinct = 0;
  let evicted = 0;
  let invalidContext = 0;
  let cacheHits = 0;
  let cacheMisses = 0;
  let unreadable = 0;
  const unreadableFingerprint = fingerprintOf(
    { name: 'UnreadableError', message: 'a thrown value that could not be read' },
    settings,
  );

  const fingerprintFor = (error: unknown): Fingerprint => {
    if (cache === undefined || explicitFingerprint(error) !== undefined)
      return fingerprintOf(error, settings);
    const stack =
      typeof error === 'object' && error !== null ? (error as { stack?: unknown }).stack : undefined;
    if (typeof stack !== 'string' || stack.length > MAX_CACHED_STACK_LENGTH)
      return fingerprintOf(error, settings);
    const type = typeOf(error);
    const code = codeOf(error);
    const hit = cache.get(stack);
    // The stack string carries the message but not the code, and a name can be changed after the
    // stack was formatted: both must match too.
    if (hit !== undefined && hit.type === type && hit.code === code) {
      cacheHits++;
      return hit.fingerprint;
    }
    cacheMisses++;
    const fingerprint = fingerprintOf(error, settings);
    cache.set(stack, { type, code, fingerprint });
    return fingerprint;
  };

  // A group for a fingerprint not tracked now: new, or back after an eviction (then it keeps its
  // first-seen time and is not announced again).
  const newGroup = (fingerprint: Fingerprint, now: number): { group: Group; fresh: boolean } => {
    const returning = evictedFirstSeen.get(fingerprint.id);
    const full = heap.size >= opts.maxGroups;
    // Taking over the least counted group's counter (Space-Saving) and its minute ring.
    const displaced = full ? heap.min() : undefined;
    let ring: number;
    if (displaced === undefined) ring = rings.claim();
    else {
      ring = displaced.ring;
      rings.reset(ring);
    }
    const group: Group = {
      id: fingerprint.id,
      type: fingerprint.type,
      code: fingerprint.code,
      message: fingerprint.message,
      location: fingerprint.location,
      firstSeen: returning ?? now,
      lastSeen: now,
      minute: Math.floor(now / MINUTE_MS),
      ring,
      routes: new SmallTopK(opts.routesPerGroup),
      latest: fingerprint,
      sampleRoute: undefined,
      sampleStatus: undefined,
      sampleTraceId: undefined,
      sampleStack: undefined,
      count: 1,
      error: 0,
      heapIndex: -1,
    };
    if (!full) {
      heap.push(group);
    } else {
      const old = heap.replaceMin(group);
      groups.delete(old.id);
      evictedFirstSeen.set(old.id, old.firstSeen);
      evicted++;
    }
    groups.set(group.id, group);
    if (returning === undefined) distinct++;
    return { group, fresh: returning === undefined };
  };

  const countMinute = (group: Group, now: number): void => {
    const minute = Math.floor(now / MINUTE_MS);
    if (minute > group.minute) {
      // Zero the minutes skipped since the last error (at most the whole hour).
      rings.clearBetween(group.ring, group.minute, minute);
      group.minute = minute;
    }
    // A clock stepped back counts in the newest minute rather than rewriting the past.
    rings.increment(group.ring, group.minute);
  };

  const countSeries = (type: string, route: string): void => {
    let byRoute = seriesIndex.get(type);
    const found = byRoute?.get(route);
    if (found !== undefined) {
      seriesHeap.increment(found);
      return;
    }
    const entry: Series = { type, route, count: 1, error: 0, heapIndex: -1 };
    if (seriesHeap.size < opts.maxSeries) {
      seriesHeap.push(entry);
    } else {
      const old = seriesHeap.replaceMin(entry);
      const oldByRoute = seriesIndex.get(old.type);
      oldByRoute?.delete(old.route);
      if (oldByRoute?.size === 0) seriesIndex.delete(old.type);
      byRoute = seriesIndex.get(type);
    }
    if (byRoute === undefined) seriesIndex.set(type, (byRoute = new Map<string, Series>()));
    byRoute.set(route, entry);
  };

  const capture = (error: unknown, context?: ErrorContext): string => {
    const now = clock.wallNow();
    captured++;
    let route: string | undefined;
    let status: number | undefined;
    let traceId: string | undefined;
    if (context !== undefined) {
      const r = context.route;
      if (typeof r === 'string' && r !== '' && r.length <= MAX_ROUTE_LENGTH) route = r;
      else if (r !== undefined) invalidContext++;
      const s = context.status;
      if (typeof s === 'number' && Number.isInteger(s) && s >= 100 && s < 600) status = s;
      else if (s !== undefined) invalidContext++;
      const t = context.traceId;
      if (typeof t === 'string' && t !== '' && t.length <= MAX_TRACE_ID_LENGTH) traceId = t;
      else if (t !== undefined) invalidContext++;
    }
    let fingerprint: Fingerprint;
    try {
      fingerprint = fingerprintFor(error);
    } catch {
      // A value that throws when read (a hostile proxy, a getter that fails): counted as one kind.
      unreadable++;
      fingerprint = unreadableFingerprint;
    }
    let group = groups.get(fingerprint.id);
    let fresh = false;
    if (group === undefined) ({ group, fresh } = newGroup(fingerprint, now));
    else heap.increment(group);
    if (now > group.lastSeen) group.lastSeen = now;
    countMinute(group, now);
    group.routes.add(route);
    group.latest = fingerprint;
    group.sampleRoute = route;
    group.sampleStatus = status;
    group.sampleTraceId = traceId;
    if (opts.exposeDetails) {
      const stack =
        typeof error === 'object' && error !== null ? (error as { stack?: unknown }).stack : undefined;
      group.sampleStack = typeof stack === 'string' ? stack : undefined;
    }
    countSeries(fingerprint.type, route ?? NO_ROUTE);
    if (fresh && events.has('newGroup')) {
      events.emit('newGroup', {
        fingerprint: group.id,
        type: group.type,
        ...(group.code === undefined ? {} : { code: group.code }),
        message: group.message,
        ...(group.location === undefined ? {} : { location: group.location }),
        ...(route === undefined ? {} : { route }),
        ...(status === undefined ? {} : { status }),
        ...(traceId === undefined ? {} : { traceId }),
        at: now,
      });
    }
    return group.id;
  };

  const summarize = (group: Group, now: number, newSince: ErrorTopOptions['newSince']): ErrorGroupSummary => {
    // The last hour as of now, oldest first, without touching the group's own ring.
    const current = Math.floor(now / MINUTE_MS);
    const perMinute: number[] = [];
    let lastHour = 0;
    for (let minute = current - MINUTES + 1; minute <= current; minute++) {
      const inRing = minute <= group.minute && minute > group.minute - MINUTES;
      const n = inRing ? rings.get(group.ring, minute) : 0;
      perMinute.push(n);
      lastHour += n;
    }
    const routes = group.routes.keys
      .map((route, i) => ({ route: route ?? NO_ROUTE, count: group.routes.count(i) }))
      .sort((a, b) => b.count - a.count);
    const latest = group.latest;
    const sample: ErrorSample = {
      message: latest.message,
      ...(group.sampleRoute === undefined ? {} : { route: group.sampleRoute }),
      ...(group.sampleStatus === undefined ? {} : { status: group.sampleStatus }),
      ...(group.sampleTraceId === undefined ? {} : { traceId: group.sampleTraceId }),
      at: group.lastSeen,
      ...(opts.exposeDetails
        ? { frames: latest.frames, ...(group.sampleStack === undefined ? {} : { stack: group.sampleStack }) }
        : {}),
    };
    const since = newSince === undefined ? undefined : toMs(newSince.at);
    return {
      fingerprint: group.id,
      type: group.type,
      ...(group.code === undefined ? {} : { code: group.code }),
      message: group.message,
      ...(group.location === undefined ? {} : { location: group.location }),
      count: group.count,
      countError: group.error,
      lastHour,
      perMinute,
      routes,
      firstSeen: group.firstSeen,
      lastSeen: group.lastSeen,
      sample,
      ...(newSince !== undefined && since !== undefined && group.firstSeen >= since
        ? { newSince: newSince.id }
        : {}),
    };
  };

  return {
    capture,

    top(options: ErrorTopOptions = {}): ErrorGroupSummary[] {
      const limit = options.limit ?? 10;
      const since = options.since === undefined ? Number.NEGATIVE_INFINITY : toMs(options.since);
      const now = clock.wallNow();
      return heap
        .values()
        .filter((g) => g.lastSeen >= since)
        .sort((a, b) => b.count - a.count || b.lastSeen - a.lastSeen)
        .slice(0, Math.max(0, limit))
        .map((g) => summarize(g, now, options.newSince));
    },

    stats: () => ({
      captured,
      groups: groups.size,
      distinct,
      evicted,
      maxCountError: heap.size < opts.maxGroups ? 0 : (heap.min()?.count ?? 0),
      invalidContext,
      unreadable,
      cacheHits,
      cacheMisses,
    }),

    *collect(): Iterable<MetricFamily> {
      const samples: MetricSample[] = [];
      for (const s of seriesHeap.values()) {
        // The guaranteed part of the count: it only grows while the series is tracked, and a series
        // that comes back after eviction starts again near 1 (a counter reset to Prometheus).
        const value = s.count - s.error;
        if (value > 0) samples.push({ suffix: '_total', labels: { type: s.type, route: s.route }, value });
      }
      samples.sort((a, b) => b.value - a.value);
      yield {
        name: 'sre_errors',
        help: `Errors captured, by error type and route, for the ${opts.maxSeries} (type, route) pairs with the most errors.`,
        type: 'counter',
        samples,
      };
      yield {
        name: 'sre_errors_captured',
        help: 'Errors captured in all, every type and route.',
        type: 'counter',
        samples: [{ suffix: '_total', value: captured }],
      };
      yield {
        name: 'sre_error_groups',
        help: 'Error groups (distinct fingerprints) tracked now.',
        type: 'gauge',
        samples: [{ value: groups.size }],
      };
      yield {
        name: 'sre_error_groups_evicted',
        help: `Error groups displaced to keep at most ${opts.maxGroups}.`,
        type: 'counter',
        samples: [{ suffix: '_total', value: evicted }],
      };
    },

    on: (event, listener) => events.on(event, listener),
    once: (event, listener) => events.once(event, listener),
    off: (event, listener) => events.off(event, listener),
  };
}

function toMs(value: number | Date): number {
  return typeof value === 'number' ? value : value.getTime();
}
