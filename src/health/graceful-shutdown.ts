import { constants } from 'node:os';
import { z } from 'zod';
import {
  ConfigError,
  TimeoutError,
  describeValue,
  parseOptions,
  resolveDeps,
  type CancelScheduled,
  type Deps,
} from '../core/index.js';

/** What {@link gracefulShutdown} needs of a server: `http.Server`, `https.Server` and `net.Server` fit. */
export interface ShutdownServer {
  /** Stops accepting connections; calls back once every connection has ended. */
  close(callback?: (error?: Error) => void): unknown;
  /** Closes keep-alive connections with no request in flight (Node's `http.Server`). */
  closeIdleConnections?(): void;
  /** Closes every connection (Node's `http.Server`): used only when the timeout strikes. */
  closeAllConnections?(): void;
}

/** What {@link gracefulShutdown} needs of a health registry. */
export interface Drainable {
  /** Makes readiness fail so the load balancer stops sending traffic. */
  drain(): void;
}

/**
 * A signal name as `process.on` takes it: the same names as `NodeJS.Signals`, declared here so that
 * sre-kit's types do not need `@types/node` (a type test keeps the two lists equal).
 */
export type SignalName =
  | 'SIGABRT'
  | 'SIGALRM'
  | 'SIGBUS'
  | 'SIGCHLD'
  | 'SIGCONT'
  | 'SIGFPE'
  | 'SIGHUP'
  | 'SIGILL'
  | 'SIGINT'
  | 'SIGIO'
  | 'SIGIOT'
  | 'SIGKILL'
  | 'SIGPIPE'
  | 'SIGPOLL'
  | 'SIGPROF'
  | 'SIGPWR'
  | 'SIGQUIT'
  | 'SIGSEGV'
  | 'SIGSTKFLT'
  | 'SIGSTOP'
  | 'SIGSYS'
  | 'SIGTERM'
  | 'SIGTRAP'
  | 'SIGTSTP'
  | 'SIGTTIN'
  | 'SIGTTOU'
  | 'SIGUNUSED'
  | 'SIGURG'
  | 'SIGUSR1'
  | 'SIGUSR2'
  | 'SIGVTALRM'
  | 'SIGWINCH'
  | 'SIGXCPU'
  | 'SIGXFSZ'
  | 'SIGBREAK'
  | 'SIGLOST'
  | 'SIGINFO';

/** A hook run after the server has closed, e.g. closing a database pool. */
export type ShutdownHook = (signal: SignalName | undefined) => unknown;

/** Options for {@link gracefulShutdown}. */
export interface GracefulShutdownOptions {
  /**
   * The registry to drain when shutdown starts, so readiness answers 503 while the load balancer notices.
   * @default undefined (nothing to drain)
   */
  readonly health?: Drainable;
  /**
   * How long to keep serving after draining, before the server stops accepting: long enough for the
   * load balancer to see readiness fail (Kubernetes: a few readiness periods).
   * @default 5000
   */
  readonly drainDelayMs?: number;
  /**
   * The deadline for the whole shutdown, from the signal: past it, connections are destroyed and the
   * process exits with code 1. Keep it under the platform's grace period (Kubernetes: 30 s).
   * @default 25000
   */
  readonly timeoutMs?: number;
  /**
   * The signals that start a shutdown.
   * @default ['SIGTERM', 'SIGINT']
   */
  readonly signals?: readonly SignalName[];
  /**
   * Hooks run in order once the server has closed (each awaited; a throwing one is reported and the
   * rest still run).
   * @default []
   */
  readonly onShutdown?: ShutdownHook | readonly ShutdownHook[];
  /**
   * Exit with this code instead of re-raising the signal. By default the signal is re-raised, so the
   * process ends as killed by it (exit status 143 for SIGTERM), which is what supervisors expect.
   * @default undefined (re-raise the signal; exit 0 when `shutdown()` is called without one)
   */
  readonly exitCode?: number;
}

/** The parts of `process` that {@link gracefulShutdown} uses; tests inject a fake. */
export interface ShutdownProcess {
  readonly pid: number;
  on(signal: SignalName, listener: (signal: SignalName) => void): unknown;
  removeListener(signal: SignalName, listener: (signal: SignalName) => void): unknown;
  listenerCount(signal: SignalName): number;
  kill(pid: number, signal: SignalName): unknown;
}

/** Collaborators of {@link gracefulShutdown}, injectable for tests. */
export interface GracefulShutdownDeps extends Deps {
  /** Where signals are listened to and re-raised. @default process */
  readonly process?: ShutdownProcess;
  /** Ends the process. @default process.exit */
  readonly exit?: (code: number) => void;
}

/** How a shutdown ended; {@link GracefulShutdown.shutdown} resolves to it. */
export interface ShutdownOutcome {
  /** The signal that started it, if one did. */
  readonly signal?: SignalName;
  /** Whether every step finished before the timeout. */
  readonly graceful: boolean;
  /** The exit code passed to `exit`, or the signal re-raised. */
  readonly exit: number | SignalName;
}

/** Handle returned by {@link gracefulShutdown}. */
export interface GracefulShutdown {
  /** Whether a shutdown has started. */
  readonly shuttingDown: boolean;
  /** Starts a shutdown by hand (idempotent: a second call returns the first's promise). */
  shutdown(signal?: SignalName): Promise<ShutdownOutcome>;
  /** Removes the signal listeners without shutting down (idempotent). */
  close(): void;
  /** Same as {@link GracefulShutdown.close}. */
  [Symbol.dispose](): void;
}

const MAX_DELAY_MS = 2_147_483_647;
const SIGNAL = z
  .string()
  .refine((name) => Object.hasOwn(constants.signals, name), { message: 'a signal name such as "SIGTERM"' });
/** The schema behind the options interface (bound to it by a type test). */
export const gracefulShutdownOptionsSchema = z
  .strictObject({
    health: z
      .custom<Drainable>((v) => typeof (v as Drainable | null)?.drain === 'function', {
        message: 'an object with a drain() method',
      })
      .optional(),
    drainDelayMs: z.number().min(0).max(MAX_DELAY_MS).default(5_000),
    timeoutMs: z.number().gt(0).max(MAX_DELAY_MS).default(25_000),
    signals: z.array(SIGNAL).default(['SIGTERM', 'SIGINT']),
    onShutdown: z
      .union([
        z.custom<ShutdownHook>((v) => typeof v === 'function', { message: 'a function' }),
        z.array(z.custom<ShutdownHook>((v) => typeof v === 'function', { message: 'a function' })),
      ])
      .optional(),
    exitCode: z.number().int().min(0).max(255).optional(),
  })
  .refine((o) => o.drainDelayMs < o.timeoutMs, { path: ['drainDelayMs'], message: 'a number < timeoutMs' });

// While requests are in flight after close(), keep-alive sockets turn idle one by one; sweep them.
const IDLE_SWEEP_MS = 100;
// If the re-raised signal does not end the process (someone else handles it), exit anyway.
const RERAISE_GRACE_MS = 1_000;

/**
 * Shuts an HTTP server down without dropping requests: on SIGTERM (or SIGINT) it drains the health
 * registry so readiness fails, keeps serving for `drainDelayMs` while the load balancer notices, stops
 * accepting connections, lets requests in flight finish while closing idle keep-alive sockets, runs the
 * `onShutdown` hooks, and exits before `timeoutMs` by re-raising the signal (exit status 143 for SIGTERM)
 * unless `exitCode` is given.
 *
 * @example
 * ```ts
 * const server = http.createServer(handler).listen(8080);
 * gracefulShutdown(server, { health, drainDelayMs: 5_000, timeoutMs: 25_000, onShutdown: () => pool.end() });
 * ```
 * @throws {ConfigError} when options are invalid.
 */
export function gracefulShutdown(
  server: ShutdownServer,
  options: GracefulShutdownOptions = {},
  deps?: GracefulShutdownDeps,
): GracefulShutdown {
  if (typeof (server as Partial<ShutdownServer> | null)?.close !== 'function')
    throw new ConfigError('gracefulShutdown', [
      { field: 'server', received: describeValue(server), expected: 'a server with a close() method' },
    ]);
  const parsed = parseOptions(gracefulShutdownOptionsSchema, options, 'gracefulShutdown');
  const { clock, onInternalError } = resolveDeps(deps);
  const proc: ShutdownProcess = deps?.process ?? process;
  const exit = deps?.exit ?? ((code: number) => process.exit(code));
  const hooks: readonly ShutdownHook[] =
    parsed.onShutdown === undefined
      ? []
      : typeof parsed.onShutdown === 'function'
        ? [parsed.onShutdown]
        : parsed.onShutdown;
  const source = 'gracefulShutdown';
  const report = (error: unknown, task: string): void => onInternalError(error, { source, task });

  let listening = true;
  let running: Promise<ShutdownOutcome> | undefined;
  const onSignal = (signal: SignalName): void => {
    void shutdown(signal);
  };
  const removeListeners = (): void => {
    if (!listening) return;
    listening = false;
    for (const signal of parsed.signals) proc.removeListener(signal as SignalName, onSignal);
  };
  for (const signal of parsed.signals) proc.on(signal as SignalName, onSignal);

  const delay = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      clock.schedule(ms, resolve, { ref: true });
    });

  const closeServer = (): Promise<void> =>
    new Promise((resolve) => {
      let cancelSweep: CancelScheduled | undefined;
      const sweep = (): void => {
        server.closeIdleConnections?.();
        cancelSweep = clock.schedule(IDLE_SWEEP_MS, sweep);
      };
      try {
        server.close((error) => {
          cancelSweep?.();
          // ERR_SERVER_NOT_RUNNING: it was never listening or already closed; nothing left to wait for.
          if (error !== undefined && (error as { code?: string }).code !== 'ERR_SERVER_NOT_RUNNING')
            report(error, 'close');
          resolve();
        });
      } catch (error) {
        report(error, 'close');
        resolve();
        return;
      }
      sweep();
    });

  const finish = (signal: SignalName | undefined, graceful: boolean): ShutdownOutcome => {
    removeListeners();
    const base = signal === undefined ? {} : { signal };
    if (!graceful) {
      exit(1);
      return { ...base, graceful, exit: 1 };
    }
    if (parsed.exitCode !== undefined || signal === undefined) {
      const code = parsed.exitCode ?? 0;
      exit(code);
      return { ...base, graceful, exit: code };
    }
    const code = 128 + (constants.signals[signal] ?? 15);
    // Re-raising ends the process as killed by the signal, as if no handler had been installed; if
    // another listener swallows it, fall back to the conventional exit status.
    if (proc.listenerCount(signal) === 0) {
      try {
        proc.kill(proc.pid, signal);
        clock.schedule(RERAISE_GRACE_MS, () => exit(code), { ref: true });
        return { ...base, graceful, exit: signal };
      } catch (error) {
        report(error, 'kill');
      }
    }
    exit(code);
    return { ...base, graceful, exit: code };
  };

  const shutdown = (signal?: SignalName): Promise<ShutdownOutcome> => {
    if (running !== undefined) return running;
    running = new Promise<ShutdownOutcome>((resolve) => {
      let done = false;
      const cancelDeadline = clock.schedule(
        parsed.timeoutMs,
        () => {
          if (done) return;
          done = true;
          report(new TimeoutError(parsed.timeoutMs, 'graceful shutdown timed out'), 'shutdown');
          server.closeAllConnections?.();
          resolve(finish(signal, false));
        },
        { ref: true },
      );
      const steps = async (): Promise<void> => {
        try {
          parsed.health?.drain();
        } catch (error) {
          report(error, 'drain');
        }
        if (parsed.drainDelayMs > 0) await delay(parsed.drainDelayMs);
        if (done) return;
        await closeServer();
        for (const hook of hooks) {
          if (done) return;
          try {
            await hook(signal);
          } catch (error) {
            report(error, 'onShutdown');
          }
        }
      };
      void steps().then(() => {
        if (done) return;
        done = true;
        cancelDeadline();
        resolve(finish(signal, true));
      });
    });
    return running;
  };

  return {
    get shuttingDown() {
      return running !== undefined;
    },
    shutdown,
    close: removeListeners,
    [Symbol.dispose]: removeListeners,
  };
}
