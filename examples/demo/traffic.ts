// The load: real HTTP requests to the service over keep-alive connections, at a steady rate with a cap
// on requests in flight (an open-model generator: when the service slows down, requests beyond the cap
// are skipped and counted, not queued).
import { Agent, request } from 'node:http';

/** What the generator has done so far. */
export interface TrafficStats {
  readonly sent: number;
  readonly completed: number;
  /** Responses with status >= 500. */
  readonly serverErrors: number;
  /** Requests that failed at the network level (refused, reset). */
  readonly networkErrors: number;
  /** Requests not sent because `concurrency` were already in flight. */
  readonly skipped: number;
}

/** A running traffic generator. */
export interface Traffic {
  stats(): TrafficStats;
  /** Stops sending, waits for requests in flight and releases the connections. Idempotent. */
  stop(): Promise<void>;
}

export interface TrafficOptions {
  readonly baseUrl: string;
  /** Requests per second. */
  readonly rate: number;
  /** The most requests in flight at once. @default 32 */
  readonly concurrency?: number;
  /** While enabled, four times `rate` (a surge). */
  readonly surge?: { readonly enabled: boolean };
  readonly random: () => number;
}

const TICK_MS = 20;

/** Picks a route like a shop's traffic: mostly browsing, some profile views, a few checkouts. */
function pickRequest(random: () => number): { method: string; path: string } {
  const roll = random();
  const id = 1 + Math.floor(random() * 500);
  if (roll < 0.6) return { method: 'GET', path: `/products/${id}` };
  if (roll < 0.85) return { method: 'GET', path: `/users/${id}` };
  return { method: 'POST', path: `/checkout/${id}` };
}

/** Starts sending `rate` requests per second to `baseUrl`. */
export function startTraffic(options: TrafficOptions): Traffic {
  const { hostname, port } = new URL(options.baseUrl);
  const concurrency = options.concurrency ?? (options.surge === undefined ? 32 : 128);
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  let sent = 0;
  let completed = 0;
  let serverErrors = 0;
  let networkErrors = 0;
  let skipped = 0;
  let inFlight = 0;
  let owed = 0; // fractional requests carried to the next tick, so any rate is met on average
  let drained: (() => void) | undefined;

  const send = (): void => {
    const { method, path } = pickRequest(options.random);
    inFlight++;
    sent++;
    let finished = false;
    const done = (): void => {
      if (finished) return;
      finished = true;
      inFlight--;
      if (inFlight === 0) drained?.();
    };
    const req = request({ agent, hostname, port, method, path }, (res) => {
      res.resume(); // the body is not needed; reading it frees the socket for the next request
      res.on('end', () => {
        completed++;
        if ((res.statusCode ?? 0) >= 500) serverErrors++;
        done();
      });
      res.on('error', () => {
        networkErrors++;
        done();
      });
    });
    req.on('error', () => {
      networkErrors++;
      done();
    });
    req.end();
  };

  const timer = setInterval(() => {
    owed += ((options.surge?.enabled === true ? 4 : 1) * options.rate * TICK_MS) / 1_000;
    while (owed >= 1) {
      owed--;
      if (inFlight >= concurrency) skipped++;
      else send();
    }
  }, TICK_MS);

  let stopping: Promise<void> | undefined;
  return {
    stats: () => ({ sent, completed, serverErrors, networkErrors, skipped }),
    stop() {
      stopping ??= (async () => {
        clearInterval(timer);
        // Requests in flight get a moment to finish; destroying the agent fails the stragglers.
        if (inFlight > 0)
          await new Promise<void>((resolve) => {
            drained = resolve;
            setTimeout(resolve, 2_000).unref();
          });
        agent.destroy();
      })();
      return stopping;
    },
  };
}
