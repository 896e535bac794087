// The chaos: four faults, each a fault injector switched on and off on a schedule scaled to the run's
// duration, so a 20-second run shows every one of them, and a traffic surge the anomaly detector
// should notice (a switch the traffic generator reads).
import { createFaultInjector, type FaultInjector } from 'sre-kit';

/** A fault that is not an injector: something the demo reads while it is on. */
export interface Switch {
  readonly enabled: boolean;
  enable(): void;
  disable(): void;
}

function createSwitch(): Switch {
  let enabled = false;
  return {
    get enabled() {
      return enabled;
    },
    enable: () => void (enabled = true),
    disable: () => void (enabled = false),
  };
}

/** The injectors the service routes its work through; each starts disabled. */
export interface Faults {
  /** Adds 250-450 ms to most product lookups: the latency SLO burns. */
  readonly latencySpike: FaultInjector;
  /** Fails a quarter of the requests: the availability SLO pages. */
  readonly errorBurst: FaultInjector;
  /** Takes the payments primary down: the breaker opens and a runbook fails over. */
  readonly paymentsOutage: FaultInjector;
  /** Fails a few requests in a hundred for a long time: a slow burn of the error budget. */
  readonly budgetBurn: FaultInjector;
  /** Four times the traffic for a few seconds: the anomaly detector alerts on it. */
  readonly trafficSurge: Switch;
}

/** One phase of the schedule: when (fractions of the duration) and which fault. */
export interface FaultPhase {
  readonly fault: keyof Faults;
  readonly from: number;
  readonly to: number;
  readonly description: string;
}

/** The schedule, as fractions of the run: healthy at first, one fault at a time, a calm ending. */
export const SCHEDULE: readonly FaultPhase[] = [
  { fault: 'latencySpike', from: 0.1, to: 0.22, description: 'latency spike: +250-450 ms on products' },
  { fault: 'errorBurst', from: 0.28, to: 0.38, description: 'error burst: 25% of requests fail' },
  { fault: 'trafficSurge', from: 0.39, to: 0.46, description: 'traffic surge: 4x the request rate' },
  { fault: 'paymentsOutage', from: 0.46, to: 0.7, description: 'payments primary down' },
  { fault: 'budgetBurn', from: 0.72, to: 0.92, description: 'slow budget burn: 1.5% of requests fail' },
];

/** Creates the (disabled) injectors; `random` makes the chaos reproducible. */
export function createFaults(random: () => number): Faults {
  const off = { enabled: false, random };
  return {
    latencySpike: createFaultInjector({ ...off, latencyMs: { min: 250, max: 450 }, latencyRate: 0.6 }),
    errorBurst: createFaultInjector({ ...off, errorRate: 0.25 }),
    paymentsOutage: createFaultInjector({ ...off, errorRate: 1 }),
    budgetBurn: createFaultInjector({ ...off, errorRate: 0.015 }),
    trafficSurge: createSwitch(),
  };
}

/** A started schedule; `stop()` cancels what has not happened and switches every fault off. */
export interface RunningSchedule {
  stop(): void;
}

/** Switches the faults on and off at their phases of `durationMs`, telling `log` each time. */
export function startSchedule(
  faults: Faults,
  durationMs: number,
  log: (line: string) => void,
): RunningSchedule {
  const timers: NodeJS.Timeout[] = [];
  for (const phase of SCHEDULE) {
    const injector = faults[phase.fault];
    timers.push(
      setTimeout(() => {
        injector.enable();
        log(`fault on:  ${phase.description}`);
      }, phase.from * durationMs),
      setTimeout(() => {
        injector.disable();
        log(`fault off: ${phase.description}`);
      }, phase.to * durationMs),
    );
  }
  return {
    stop() {
      for (const timer of timers) clearTimeout(timer);
      for (const phase of SCHEDULE) faults[phase.fault].disable();
    },
  };
}
