import { z } from 'zod';

/** Prometheus' default histogram buckets, in ms. */
export const DEFAULT_LATENCY_BUCKETS_MS: readonly number[] = Object.freeze([
  5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000,
]);

/** @internal Histogram `le` bounds in ms: 1 to 50 finite positive numbers, strictly increasing. */
export const histogramBucketsMsSchema = z
  .array(z.number().positive().finite())
  .min(1)
  .max(50)
  .refine((xs) => xs.every((x, i) => i === 0 || x > (xs[i - 1] as number)), {
    message: 'strictly increasing bounds',
  })
  .default([...DEFAULT_LATENCY_BUCKETS_MS]);
