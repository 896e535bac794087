import type { BatchObservableResult, Meter, Observable } from '@opentelemetry/api';
import { COMPONENT_STATUSES, type MonitorStatus } from '../monitor/index.js';

// The monitor's state as observable gauges, all read from one `monitor.status()` per collection (a
// batch callback), so every gauge of one export describes the same instant.

/** One instrument the bridge creates: its name, kind, unit and what it measures. */
export interface BridgeInstrument {
  readonly name: string;
  readonly type: 'histogram' | 'updowncounter' | 'gauge';
  readonly unit: string;
  readonly description: string;
  /** The attributes its points carry. */
  readonly attributes: readonly string[];
}

const SLO = 'sre_kit.slo.name';

/** Every instrument of the bridge (the HTTP ones from the semantic conventions, then the state gauges). */
export const BRIDGE_INSTRUMENTS: readonly BridgeInstrument[] = Object.freeze([
  {
    name: 'http.server.request.duration',
    type: 'histogram',
    unit: 's',
    description: 'Duration of HTTP server requests.',
    attributes: [
      'http.request.method',
      'url.scheme',
      'http.route',
      'http.response.status_code',
      'error.type',
    ],
  },
  {
    name: 'http.server.active_requests',
    type: 'updowncounter',
    unit: '{request}',
    description: 'Number of active HTTP server requests.',
    attributes: ['http.request.method', 'url.scheme'],
  },
  {
    name: 'sre_kit.slo.error_budget.remaining',
    type: 'gauge',
    unit: '1',
    description: 'Share of the SLO window error budget left (negative when overspent).',
    attributes: [SLO],
  },
  {
    name: 'sre_kit.slo.burn_rate',
    type: 'gauge',
    unit: '1',
    description: 'Error budget burn rate over each window (1 = exactly on budget).',
    attributes: [SLO, 'sre_kit.slo.window'],
  },
  {
    name: 'sre_kit.slo.sli',
    type: 'gauge',
    unit: '1',
    description: 'Good events over all events in the SLO window (absent without events).',
    attributes: [SLO],
  },
  {
    name: 'sre_kit.slo.target',
    type: 'gauge',
    unit: '1',
    description: 'The SLO target ratio.',
    attributes: [SLO],
  },
  {
    name: 'sre_kit.slo.alerts.firing',
    type: 'gauge',
    unit: '{alert}',
    description: 'Burn-rate alerts firing, by severity.',
    attributes: [SLO, 'sre_kit.alert.severity'],
  },
  {
    name: 'sre_kit.circuit_breaker.state',
    type: 'gauge',
    unit: '1',
    description: '1 for the state each circuit breaker is in, 0 for the others.',
    attributes: ['sre_kit.circuit_breaker.name', 'sre_kit.circuit_breaker.state'],
  },
  {
    name: 'sre_kit.component.status',
    type: 'gauge',
    unit: '1',
    description: '1 for the status-page status each source gives its component, 0 for the others.',
    attributes: ['sre_kit.component.source', 'sre_kit.component.status'],
  },
  {
    name: 'sre_kit.incidents.open',
    type: 'gauge',
    unit: '{incident}',
    description: 'Open incidents, by severity and phase.',
    attributes: ['sre_kit.incident.severity', 'sre_kit.incident.phase'],
  },
  {
    name: 'sre_kit.saturation.event_loop.utilization',
    type: 'gauge',
    unit: '1',
    description: 'Event-loop utilization over the last sample interval.',
    attributes: [],
  },
  {
    name: 'sre_kit.saturation.event_loop.delay.p99',
    type: 'gauge',
    unit: 's',
    description: 'Event-loop delay, 99th percentile over the last sample interval.',
    attributes: [],
  },
  {
    name: 'sre_kit.saturation.heap.ratio',
    type: 'gauge',
    unit: '1',
    description: 'V8 heap used over the heap limit.',
    attributes: [],
  },
  {
    name: 'sre_kit.saturation.rss',
    type: 'gauge',
    unit: 'By',
    description: 'Resident set size of the process.',
    attributes: [],
  },
  {
    name: 'sre_kit.saturation.cpu.ratio',
    type: 'gauge',
    unit: '1',
    description: 'Process CPU time over wall time in the last sample interval (1 = one core busy).',
    attributes: [],
  },
]);

const BREAKER_STATES = ['closed', 'open', 'halfOpen', 'isolated'] as const;
const SEVERITIES = ['P1', 'P2', 'P3', 'P4', 'P5'] as const;
const PHASES = ['investigating', 'identified', 'monitoring'] as const;

/**
 * Creates the state gauges on `meter` and registers one batch callback reading `read()` (the monitor's
 * status) per collection; returns the function that unregisters it.
 */
export function observeState(
  meter: Meter,
  read: () => MonitorStatus,
  onError: (error: unknown) => void,
): () => void {
  const gauges = new Map<string, Observable>();
  for (const i of BRIDGE_INSTRUMENTS)
    if (i.type === 'gauge')
      gauges.set(i.name, meter.createObservableGauge(i.name, { description: i.description, unit: i.unit }));
  const gauge = (name: string): Observable => gauges.get(name)!;

  const callback = (result: BatchObservableResult): void => {
    let status: MonitorStatus;
    try {
      status = read();
    } catch (error) {
      onError(error);
      return;
    }
    for (const slo of status.slos) {
      const a = { [SLO]: slo.name };
      result.observe(gauge('sre_kit.slo.error_budget.remaining'), slo.budget.remaining, a);
      result.observe(gauge('sre_kit.slo.target'), slo.target, a);
      if (slo.sli !== null) result.observe(gauge('sre_kit.slo.sli'), slo.sli, a);
      for (const [window, rate] of Object.entries(slo.burnRates))
        result.observe(gauge('sre_kit.slo.burn_rate'), rate, { ...a, 'sre_kit.slo.window': window });
      for (const severity of ['page', 'ticket'] as const)
        result.observe(
          gauge('sre_kit.slo.alerts.firing'),
          slo.alerts.filter((x) => x.firing && x.severity === severity).length,
          { ...a, 'sre_kit.alert.severity': severity },
        );
    }
    for (const breaker of status.breakers)
      for (const state of BREAKER_STATES)
        result.observe(gauge('sre_kit.circuit_breaker.state'), breaker.state === state ? 1 : 0, {
          'sre_kit.circuit_breaker.name': breaker.name,
          'sre_kit.circuit_breaker.state': state,
        });
    for (const source of status.sources)
      for (const s of COMPONENT_STATUSES)
        result.observe(gauge('sre_kit.component.status'), source.status === s ? 1 : 0, {
          'sre_kit.component.source': source.key,
          'sre_kit.component.status': s,
        });
    for (const severity of SEVERITIES)
      for (const phase of PHASES)
        result.observe(
          gauge('sre_kit.incidents.open'),
          status.incidents.filter((i) => i.incident.severity === severity && i.phase === phase).length,
          { 'sre_kit.incident.severity': severity, 'sre_kit.incident.phase': phase },
        );
    const sat = status.saturation;
    if (sat !== undefined) {
      result.observe(gauge('sre_kit.saturation.event_loop.utilization'), sat.eventLoopUtilization);
      result.observe(gauge('sre_kit.saturation.event_loop.delay.p99'), sat.eventLoopDelayP99Ms / 1000);
      result.observe(gauge('sre_kit.saturation.heap.ratio'), sat.heapRatio);
      result.observe(gauge('sre_kit.saturation.rss'), sat.rssBytes);
      result.observe(gauge('sre_kit.saturation.cpu.ratio'), sat.cpuRatio);
    }
  };
  const observables = [...gauges.values()];
  meter.addBatchObservableCallback(callback, observables);
  return () => meter.removeBatchObservableCallback(callback, observables);
}
