/** Per-route counters of the traffic and error signals. */
export interface RouteStats {
  readonly method: string;
  /** The route template (`/users/:id`), `__unmatched__` or `__other__`. */
  readonly route: string;
  /** `METHOD route`: the key latency is recorded under. */
  readonly key: string;
  /** Completed responses by status class: index 1..5 for 1xx..5xx, 0 for anything else. */
  readonly byClass: Float64Array;
  /** Error responses by exact status code (bounded: status codes are 100..599). */
  readonly errorsByStatus: Map<number, number>;
  /** Requests whose client went away before the response finished. */
  aborted: number;
  /** The latest traced request per latency bucket, created on the first traced request. */
  exemplars: Array<RouteExemplar | undefined> | undefined;
}

/** A traced request kept as an OpenMetrics exemplar on its latency bucket. */
export interface RouteExemplar {
  readonly traceId: string;
  readonly valueMs: number;
  readonly atMs: number;
}

/** The key unmatched requests (404s with no route) share. */
export const UNMATCHED_ROUTE = '__unmatched__';
/** The key routes past the cap share. */
export const OVERFLOW_ROUTE = '__other__';

/**
 * A capped two-level map method → route → stats. Frameworks hand us the same interned route string
 * each time, so lookups need no string building; past `maxRoutes` entries new pairs fold into
 * `METHOD __other__`.
 */
export class RouteTable {
  readonly #byMethod = new Map<string, Map<string, RouteStats>>();
  readonly #maxRoutes: number;
  #size = 0;
  /** Lookups folded into the overflow key because the table was full. */
  overflowed = 0;

  constructor(maxRoutes: number) {
    this.#maxRoutes = maxRoutes;
  }

  get(method: string, route: string): RouteStats {
    let routes = this.#byMethod.get(method);
    if (routes === undefined) {
      routes = new Map();
      this.#byMethod.set(method, routes);
    }
    const found = routes.get(route);
    if (found !== undefined) return found;
    if (this.#size >= this.#maxRoutes && route !== OVERFLOW_ROUTE) {
      this.overflowed++;
      return this.get(method, OVERFLOW_ROUTE);
    }
    const stats: RouteStats = {
      method,
      route,
      key: `${method} ${route}`,
      byClass: new Float64Array(6),
      errorsByStatus: new Map(),
      aborted: 0,
      exemplars: undefined,
    };
    routes.set(route, stats);
    this.#size++;
    return stats;
  }

  *all(): Iterable<RouteStats> {
    for (const routes of this.#byMethod.values()) yield* routes.values();
  }

  get size(): number {
    return this.#size;
  }
}
