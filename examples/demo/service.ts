// The service under test: a small shop API on Express 5 wired with every sre-kit primitive through its
// public entry points. It knows nothing of the demo around it except the fault injectors its handlers
// run through (a real service would not have those).
import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import {
  CircuitOpenError,
  compose,
  checks,
  createErrorGroups,
  createHealthRegistry,
  createLatencyTracker,
  createSaturationMonitor,
  createSloTracker,
  saturationMetrics,
  trackDependency,
  type CircuitBreaker,
  type ErrorGroups,
  type HealthRegistry,
  type LatencyTracker,
  type SaturationMonitor,
  type SloAlertWindow,
  type SloTracker,
  type SloTrackerOptions,
  type TrackedDependency,
} from 'sre-kit';
import {
  agentRoute,
  healthRoutes,
  metricsHandler,
  sreMiddleware,
  type AgentMonitor,
  type SreMiddleware,
} from 'sre-kit/express';
import type { Faults } from './faults.js';
import { pastWeek } from './history.js';
import type { Payments } from './payments.js';
import { createStorage, type Storage } from './storage.js';

/** The primitives the service is wired with, for the monitor and the live view. */
export interface ServiceParts {
  readonly health: HealthRegistry;
  readonly latency: LatencyTracker;
  readonly availability: SloTracker;
  readonly fastResponses: SloTracker;
  /** The payments dependency's circuit breaker. */
  readonly payments: CircuitBreaker;
  /** The payments dependency: breaker, timeout, latency, error rate and SLO around every charge. */
  readonly paymentsApi: TrackedDependency;
  /** The database pool and the product cache. */
  readonly storage: Storage;
  readonly saturation: SaturationMonitor;
  /** The golden-signals middleware: traffic, errors, in-flight and shed counts. */
  readonly http: SreMiddleware;
  /** The error groups failed requests are captured into (by `http.errorHandler`). */
  readonly errors: ErrorGroups;
}

/** A running service. */
export interface Service {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  readonly parts: ServiceParts;
  /** Answers `POST /agent` (a JSON agent request) from `monitor` from now on. */
  serveAgent(monitor: AgentMonitor): void;
  /** Stops accepting requests, ends keep-alive connections and closes every primitive. Idempotent. */
  close(): Promise<void>;
}

export interface ServiceOptions {
  readonly port: number;
  /** The run's length: alert windows and the breaker's open time are scaled to it. */
  readonly durationMs: number;
  readonly faults: Faults;
  readonly payments: Payments;
  /** Events in the SLOs' restored past week (see history.ts). */
  readonly pastEvents: number;
}

/**
 * Burn-rate alert windows shrunk to the run: a real service keeps the default 'google' preset (1 h / 5 min
 * page, 6 h / 30 min and 1 d / 2 h, 3 d / 6 h tickets), which a one-minute demo could never fire and
 * resolve. Same burn-rate thresholds, windows a few seconds long.
 */
export function demoAlertWindows(durationMs: number): SloAlertWindow[] {
  // Whole seconds, never so short that one quiet second flips an alert.
  const seconds = (fraction: number, min: number) =>
    Math.max(min, Math.round((durationMs * fraction) / 1_000)) * 1_000;
  const pageLong = seconds(0.15, 6);
  const ticketLong = seconds(0.4, 12);
  const shortOf = (long: number, min: number) => Math.max(min, Math.round(long / 5_000)) * 1_000;
  return [
    { severity: 'page', longWindowMs: pageLong, shortWindowMs: shortOf(pageLong, 2), burnRate: 14.4 },
    { severity: 'ticket', longWindowMs: ticketLong, shortWindowMs: shortOf(ticketLong, 3), burnRate: 3 },
  ];
}

function errorBody(res: Response, status: number, message: string, retryAfterS?: number): void {
  if (retryAfterS !== undefined) res.set('Retry-After', String(retryAfterS));
  res.status(status).json({ error: message });
}

/** Starts the service on 127.0.0.1:`port` (0 = a free port). */
export async function startService(options: ServiceOptions): Promise<Service> {
  const { faults, payments: paymentsProvider } = options;
  const alerts = demoAlertWindows(options.durationMs);

  const latency = createLatencyTracker({ window: { durationMs: 10_000, slices: 5 }, thresholdsMs: [200] });
  const availabilitySlo: SloTrackerOptions = {
    name: 'availability',
    objective: { kind: 'availability', target: 0.999 },
    alerts,
    description: '99.9% of requests succeed',
  };
  const latencySlo: SloTrackerOptions = {
    name: 'latency-200ms',
    objective: { kind: 'latency', target: 0.95, thresholdMs: 200 },
    alerts,
    description: '95% of requests succeed within 200 ms',
  };
  // As a service would after a restart: the counts of the past week come back from a snapshot.
  const availability = createSloTracker(availabilitySlo, {
    snapshot: pastWeek(availabilitySlo, options.pastEvents, 0.4),
  });
  const fastResponses = createSloTracker(latencySlo, {
    snapshot: pastWeek(latencySlo, options.pastEvents, 0.3),
  });
  const saturation = createSaturationMonitor({
    sampleIntervalMs: 1_000,
    eventLoopDelay: { maxP99Ms: 500 },
    heapUsed: { maxRatio: 0.95 },
  });
  // The payments provider, tracked in one line: every charge goes through its breaker and timeout and
  // feeds its latency, error rate and availability SLO. The breaker opens at half the calls failing and
  // stays open long enough to see in the live view, short enough to recover within the run.
  const paymentsApi = trackDependency({
    name: 'payments',
    retry: false,
    timeoutMs: 1_000,
    slo: { availability: 0.99 },
    breaker: {
      failureThreshold: { kind: 'rate', ratio: 0.5, minimumCalls: 5, windowMs: 2_000 },
      openMs: Math.min(3_000, Math.max(500, options.durationMs / 20)),
    },
  });
  const payments = paymentsApi.breaker!;
  const storage = createStorage(4, 200);

  // Details exposed: the routes show each check's output, and the monitor's health report each
  // dependency's, pool's and cache's figures (connections, hit_rate, latency and error rate).
  const health = createHealthRegistry({
    service: 'shop',
    version: '1.0.0',
    defaultTimeoutMs: 500,
    exposeDetails: true,
  });
  health.register('eventLoop', checks.eventLoopDelay({ warnMs: 100, failMs: 1_000 }), {
    probes: ['liveness', 'readiness'],
  });
  health.register('heap', checks.heapUsage(), { probes: ['liveness'] });
  // Non-critical: checkout degrades without payments and budgets only warn; the rest of the shop works.
  health.register('payments', paymentsApi.healthCheck(), { critical: false });
  health.register('availabilityBudget', checks.sloBudget(availability), { critical: false });
  health.register('latencyBudget', checks.sloBudget(fastResponses), { critical: false });

  // Failed requests go to the error handler below (`next(error)`), which groups them by fingerprint.
  // The shop's own code is this directory: frames there name an error's location.
  const errors = createErrorGroups({ inAppRoot: import.meta.dirname });
  const http = sreMiddleware({
    errors,
    latency,
    slos: [availability, fastResponses],
    saturation,
    shedding: { retryAfterSeconds: 1 },
    // Operational endpoints are neither measured nor shed; agent questions are not shop traffic either.
    ignore: ['/livez', '/readyz', '/startupz', '/health', '/metrics', '/agent'],
  });

  const productsWork = compose(faults.latencySpike, faults.errorBurst, faults.budgetBurn);
  const usersWork = compose(faults.errorBurst, faults.budgetBurn);

  const app = express();
  app.disable('x-powered-by');
  app.use(http);
  app.use(healthRoutes(health));
  app.get('/metrics', metricsHandler({ http, sources: [saturationMetrics(saturation)] }));

  // The monitor starts after the service (it reads the service's primitives): until then, 503.
  let agent: RequestHandler | undefined;
  app.post('/agent', (req, res, next) => {
    if (agent === undefined) return void errorBody(res, 503, 'the monitor has not started', 1);
    void agent(req, res, next);
  });

  app.get('/products/:id', async (req, res, next) => {
    try {
      const product = await productsWork.execute(({ signal }) => storage.product(req.params.id, signal));
      res.json(product);
    } catch (error) {
      next(error);
    }
  });
  app.get('/users/:id', async (req, res, next) => {
    try {
      const user = await usersWork.execute(async ({ signal }) => {
        await storage.query(signal);
        return { id: req.params.id, name: `user ${req.params.id}` };
      });
      res.json(user);
    } catch (error) {
      next(error);
    }
  });
  app.post('/checkout/:id', async (req, res, next) => {
    try {
      const charge = await paymentsApi.call(({ signal }) => paymentsProvider.charge(req.params.id, signal));
      res.status(201).json(charge);
    } catch (error) {
      if (error instanceof CircuitOpenError)
        errorBody(res, 503, 'payments unavailable', Math.ceil(error.retryAfterMs / 1_000));
      else next(Object.assign(error as Error, { status: 502 }));
    }
  });
  // After every route: sre-kit notes the error, then the shop answers it.
  app.use(http.errorHandler);
  app.use((error: Error & { status?: number }, _req: Request, res: Response, _next: NextFunction) => {
    errorBody(res, error.status ?? 500, error.message);
  });

  const server: Server = app.listen(options.port, '127.0.0.1');
  await once(server, 'listening');
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  let closing: Promise<void> | undefined;
  return {
    url,
    parts: {
      health,
      latency,
      availability,
      fastResponses,
      payments,
      paymentsApi,
      storage,
      saturation,
      http,
      errors,
    },
    serveAgent(monitor) {
      agent = agentRoute(monitor);
    },
    close() {
      closing ??= (async () => {
        health.drain();
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeAllConnections();
        await closed;
        health.close();
        await latency.close();
        await paymentsApi.close();
        await storage.close();
        availability.close();
        fastResponses.close();
        await saturation.close();
      })();
      return closing;
    },
  };
}
