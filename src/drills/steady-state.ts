// Reading a drill's steady-state hypothesis: each probe's value from the monitor (or the probe itself),
// held to its tolerance.
import type { DrillProbeResult, DrillSteadyState } from './journal.js';
import { errorText, isoOf } from './journal.js';
import type { DrillMonitor, ProbeValue, SteadyStateProbe } from './options.js';

/** A tolerance as the journal writes it. */
export function toleranceText(probe: SteadyStateProbe): string {
  if (probe.equals !== undefined) return `== ${String(probe.equals)}`;
  const parts: string[] = [];
  if (probe.min !== undefined) parts.push(`>= ${probe.min}`);
  if (probe.max !== undefined) parts.push(`<= ${probe.max}`);
  return parts.join(' and ');
}

function holds(probe: SteadyStateProbe, value: ProbeValue): boolean {
  if (probe.equals !== undefined) return value === probe.equals;
  if (typeof value !== 'number' || !Number.isFinite(value)) return false;
  return (probe.min === undefined || value >= probe.min) && (probe.max === undefined || value <= probe.max);
}

type HealthView = Awaited<ReturnType<DrillMonitor['healthReport']>>;

// A signal's value; `null` means there is nothing to read (an SLO without events: nothing missed it).
function readSignal(
  monitor: DrillMonitor,
  signal: string,
  health: () => Promise<HealthView>,
): Promise<ProbeValue | null> | ProbeValue | null {
  const colon = signal.indexOf(':');
  const kind = signal.slice(0, colon);
  const name = signal.slice(colon + 1);
  if (kind === 'breaker' || kind === 'check')
    return health().then((report) => {
      const value = kind === 'breaker' ? report.breakers[name] : report.services[name]?.status;
      if (value === undefined) throw new Error(`the monitor has no ${kind} named ${JSON.stringify(name)}`);
      return value;
    });
  const status = monitor.sloStatus().find((s) => s.name === name);
  if (status === undefined) throw new Error(`the monitor has no SLO named ${JSON.stringify(name)}`);
  if (kind === 'slo') return status.sli;
  if (kind === 'budget') return status.budget.remaining;
  return status.burnRates['1h'];
}

/**
 * Reads every probe once (the monitor's health report at most once) and says whether each holds. An SLO
 * without events holds (nothing missed its objective); a probe that throws does not.
 */
export async function checkSteadyState(
  monitor: DrillMonitor,
  probes: readonly SteadyStateProbe[],
  signal: AbortSignal,
  now: () => number,
): Promise<DrillSteadyState> {
  let report: Promise<HealthView> | undefined;
  const health = (): Promise<HealthView> => (report ??= monitor.healthReport());
  const results: DrillProbeResult[] = [];
  for (const probe of probes) {
    const name = probe.signal ?? probe.name ?? 'probe';
    const tolerance = toleranceText(probe);
    try {
      const value =
        probe.probe !== undefined
          ? await probe.probe({ signal })
          : await readSignal(monitor, probe.signal ?? '', health);
      results.push({ name, value, tolerance, met: value === null || holds(probe, value), error: null });
    } catch (error) {
      results.push({ name, value: null, tolerance, met: false, error: errorText(error) });
    }
  }
  return { at: isoOf(now()), met: results.every((r) => r.met), probes: results };
}

/** The probes that did not hold, as `name = value (tolerance)`, for a reason. */
export function unmet(state: DrillSteadyState): string {
  return state.probes
    .filter((p) => !p.met)
    .map((p) => `${p.name} = ${p.error ?? String(p.value)} (${p.tolerance})`)
    .join(', ');
}
