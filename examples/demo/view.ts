// The live terminal view: every few seconds the golden signals, SLO budgets and burn, breaker states and
// open incidents, as compact plain lines (laid out by screen.ts). On a terminal the screen is redrawn in
// place, header on top and the latest events below; anywhere else (a pipe, a CI log) lines are appended.
import type { CircuitBreaker, IncidentRecorder, SloTracker } from 'sre-kit';
import { SCREEN, screenLines, stamp, statusLines, type SloReading, type StatusReading } from './screen.js';
import type { ServiceParts } from './service.js';

/** What the view reads. */
export interface ViewSources {
  readonly parts: ServiceParts;
  readonly slos: readonly SloTracker[];
  readonly breakers: readonly CircuitBreaker[];
  readonly incidents: IncidentRecorder;
}

/** The live view. */
export interface LiveView {
  /** Prints one timestamped event line (a fault switching, a runbook acting, an incident changing). */
  log(line: string): void;
  /** Prints the current state now. */
  render(): void;
  /** Stops the periodic rendering. Idempotent. */
  stop(): void;
}

export interface ViewOptions {
  readonly intervalMs: number;
  /** The lines printed above every redraw on a terminal (what is served where). */
  readonly header: readonly string[];
  readonly write?: (text: string) => void;
  readonly tty?: boolean;
}

/** Starts rendering every `intervalMs` (on an unref'd timer). */
export function startView(sources: ViewSources, options: ViewOptions): LiveView {
  const write = options.write ?? ((text: string) => void process.stdout.write(text));
  const tty = options.tty ?? process.stdout.isTTY === true;
  const started = performance.now();
  const events: string[] = [];
  const elapsedS = (): number => (performance.now() - started) / 1_000;

  let last = { at: started, requests: 0, errors: 0 };
  let rate = { perSecond: 0, errorShare: 0 };
  const burnLast = new Map<string, { good: number; total: number; burnNow: number }>();

  const read = (): StatusReading => {
    const now = performance.now();
    const stats = sources.parts.http.signals.stats();
    const seconds = (now - last.at) / 1_000;
    // A render right after the last one (the final one at shutdown) keeps the last rates: a few
    // requests over a few milliseconds would read as thousands per second.
    const fresh = seconds >= 0.25;
    if (fresh) {
      const requests = stats.requests - last.requests;
      const errors = stats.errors - last.errors;
      rate = { perSecond: requests / seconds, errorShare: requests === 0 ? 0 : errors / requests };
      last = { at: now, requests: stats.requests, errors: stats.errors };
    }
    const slos = sources.slos.map((slo): SloReading => {
      const status = slo.status();
      const before = burnLast.get(slo.name) ?? { good: status.good, total: status.total, burnNow: 0 };
      // The burn since the last reading: the bad share over the allowed bad share.
      let burnNow = before.burnNow;
      if (fresh) {
        const total = status.total - before.total;
        burnNow = total <= 0 ? 0 : (total - (status.good - before.good)) / total / (1 - status.target);
        burnLast.set(slo.name, { good: status.good, total: status.total, burnNow });
      }
      return {
        name: status.name,
        target: status.target,
        windowMs: slo.currentWindow().durationMs,
        good: status.good,
        total: status.total,
        burnNow,
        firing: status.alerts.filter((a) => a.firing).map((a) => a.severity),
      };
    });
    const latency = sources.parts.latency.summary(undefined, { window: 'window' });
    return {
      elapsedS: elapsedS(),
      ...rate,
      latencyMs: { p50: latency.p50, p95: latency.p95, p99: latency.p99 },
      inFlight: stats.inFlight,
      shed: stats.shed,
      slos,
      breakers: sources.breakers.map((b) => ({ name: b.name, state: b.state })),
      openIncidents: sources.incidents.list({ status: ['open', 'acknowledged'] }),
    };
  };

  const render = (): void => {
    const status = statusLines(read());
    if (!tty) {
      write(`${status.join('\n')}\n`);
      return;
    }
    // Redraw in place: clear, then the header, the state and the latest events, sized to the terminal.
    const size = {
      columns: process.stdout.columns ?? SCREEN.columns,
      rows: process.stdout.rows ?? SCREEN.rows,
    };
    write(`\x1b[2J\x1b[H${screenLines(options.header, status, events, size).join('\n')}\n`);
  };

  const timer = setInterval(render, options.intervalMs);
  timer.unref();
  return {
    log(line) {
      const text = `${stamp(elapsedS())} ${line}`;
      events.push(text);
      if (events.length > 100) events.splice(0, events.length - 100);
      if (!tty) write(`${text}\n`);
    },
    render,
    stop() {
      clearInterval(timer);
    },
  };
}
