// The part of autocannon 9's programmatic API the HTTP bench uses (the package ships no types).
declare module 'autocannon' {
  interface AutocannonRequest {
    readonly method?: string;
    readonly path?: string;
    readonly headers?: Record<string, string>;
  }
  interface AutocannonOptions {
    readonly url: string;
    readonly connections?: number;
    readonly pipelining?: number;
    /** Seconds. The run stops at the first sample tick after it. */
    readonly duration?: number;
    /** Sample interval in ms (default 1000): also how soon after `duration` the run ends. */
    readonly sampleInt?: number;
    readonly timeout?: number;
    /** Requests each connection cycles through; built once when static. */
    readonly requests?: readonly AutocannonRequest[];
  }
  interface AutocannonHistogram {
    readonly mean: number;
    readonly stddev: number;
    readonly min: number;
    readonly max: number;
    readonly p50: number;
    readonly p90: number;
    readonly p99: number;
    readonly total: number;
  }
  interface AutocannonResult {
    /** Seconds actually run. */
    readonly duration: number;
    readonly errors: number;
    readonly timeouts: number;
    readonly non2xx: number;
    readonly resets: number;
    /** Latency in ms. */
    readonly latency: AutocannonHistogram;
    /** Requests per sample interval; `total` counts completed requests. */
    readonly requests: AutocannonHistogram & { readonly sent: number };
  }
  function autocannon(options: AutocannonOptions): Promise<AutocannonResult>;
  export default autocannon;
  export type { AutocannonOptions, AutocannonRequest, AutocannonResult };
}
