// The live terminal view: every few seconds the golden signals, SLO budgets and burn, breaker states and
// open incidents, as compact plain lines. On a terminal the screen is redrawn in place with the latest
// events below; anywhere else (a pipe, a CI log) lines are only appended.
import type { CircuitBreaker, IncidentRecorder, SloTracker } from 'sre-kit';
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

const pct = (ratio: number, digits = 1): string => `${(ratio * 100).toFixed(digits)}%`;
const short = (text: string): string => (text.length > 48 ? `${text.slice(0, 47)}…` : text);
const ms = (value: number): string => (value >= 100 ? value.toFixed(0) : value.toFixed(1));

/** Starts rendering every `intervalMs` (on an unref'd timer). */
export function startView(sources: ViewSources, options: ViewOptions): LiveView {
  const write = options.write ?? ((text: string) => void process.stdout.write(text));
  const tty = options.tty ?? process.stdout.isTTY === true;
  const started = performance.now();
  const events: string[] = [];
  const elapsed = (): string => `[${((performance.now() - started) / 1_000).toFixed(1).padStart(5)}s]`;

  let last = { at: started, requests: 0, errors: 0 };
  let rate = { perSecond: 0, errorShare: 0 };
  const sloLast = new Map<string, { good: number; total: number; burnNow: number }>();

  const snapshot = (): string[] => {
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
    const latency = sources.parts.latency.summary(undefined, { window: 'window' });
    const lines = [
      `${elapsed()} traffic ${rate.perSecond.toFixed(0).padStart(4)} req/s  errors ${pct(
        rate.errorShare,
      ).padStart(6)}  latency p50 ${ms(latency.p50)} p95 ${ms(latency.p95)} p99 ${ms(latency.p99)} ms` +
        `  in-flight ${stats.inFlight}  shed ${stats.shed}`,
    ];

    const slos = sources.slos.map((slo) => {
      const status = slo.status();
      const before = sloLast.get(slo.name) ?? { good: 0, total: 0, burnNow: 0 };
      const total = status.total - before.total;
      // The burn since the last line: the bad share over the allowed bad share.
      let burnNow = before.burnNow;
      if (fresh) {
        burnNow = total <= 0 ? 0 : (total - (status.good - before.good)) / total / (1 - status.target);
        sloLast.set(slo.name, { good: status.good, total: status.total, burnNow });
      }
      const firing = status.alerts.filter((a) => a.firing).map((a) => a.severity.toUpperCase());
      return (
        `${status.name} ${pct(status.target, status.target > 0.99 ? 1 : 0)}: budget ` +
        `${pct(status.budget.remaining, 0)} left, burn now ${burnNow.toFixed(1)}` +
        `${firing.length > 0 ? ` ${[...new Set(firing)].join('+')}` : ''}`
      );
    });
    lines.push(`         slo  ${slos.join(' | ')}`);

    const breakers = sources.breakers.map((b) => `${b.name} ${b.state}`).join(', ');
    const open = sources.incidents.list({ status: ['open', 'acknowledged'] });
    const incidents =
      open.length === 0 ? 'none' : open.map((i) => `${i.id} ${i.severity} ${short(i.title)}`).join('; ');
    lines.push(`         breakers ${breakers}  open incidents: ${incidents}`);
    return lines;
  };

  const render = (): void => {
    const lines = snapshot();
    if (!tty) {
      write(`${lines.join('\n')}\n`);
      return;
    }
    // Redraw in place: clear, then the header, the state, and the latest events.
    write(
      `\x1b[2J\x1b[H${options.header.join('\n')}\n\n${lines.join('\n')}\n\nlatest events:\n` +
        `${events.slice(-12).join('\n')}\n`,
    );
  };

  const timer = setInterval(render, options.intervalMs);
  timer.unref();
  return {
    log(line) {
      const text = `${elapsed()} ${line}`;
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
