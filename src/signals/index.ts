export {
  createGoldenSignals,
  type GoldenSignals,
  type GoldenSignalsStats,
  type RouteSignals,
  type ShedDecision,
  type RequestOutcome,
} from './golden-signals.js';
export {
  goldenSignalsOptionsSchema,
  goldenSignalsOptionsShape,
  refineGoldenSignalsOptions,
  type GoldenSignalsOptions,
  type LatencySink,
  type SloSink,
  type OverloadSignal,
} from './options.js';
export { UNMATCHED_ROUTE, OVERFLOW_ROUTE } from './route-table.js';
export { traceIdFromTraceparent } from './traceparent.js';
