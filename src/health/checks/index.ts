// The built-in checks, gathered as `checks.*`.
import { circuitBreaker } from './circuit-breaker.js';
import { diskSpace } from './disk-space.js';
import { eventLoopDelay } from './event-loop-delay.js';
import { freshness } from './freshness.js';
import { heapUsage } from './heap-usage.js';
import { http } from './http.js';
import { rss } from './rss.js';
import { sloBudget } from './slo-budget.js';
import { tcp } from './tcp.js';
import { tlsCertificate } from './tls-certificate.js';

/**
 * Ready-made checks to pass to `HealthRegistry.register()`; each reports an observed value and unit and
 * validates its options when created.
 */
export const checks = Object.freeze({
  eventLoopDelay,
  heapUsage,
  rss,
  diskSpace,
  http,
  tcp,
  tlsCertificate,
  freshness,
  circuitBreaker,
  sloBudget,
});

export type { EventLoopDelayCheckOptions } from './event-loop-delay.js';
export type { HeapUsageCheckOptions } from './heap-usage.js';
export type { RssCheckOptions } from './rss.js';
export type { DiskSpaceCheckOptions } from './disk-space.js';
export type { HttpCheckOptions } from './http.js';
export type { TcpCheckOptions } from './tcp.js';
export type { TlsCertificateCheckOptions } from './tls-certificate.js';
export type { FreshnessCheckOptions, LastUpdatedAt } from './freshness.js';
export type { BreakerLike } from './circuit-breaker.js';
export type { SloBudgetCheckOptions, SloBudgetSource } from './slo-budget.js';
