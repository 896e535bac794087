export {
  createGoldenSignals,
  type GoldenSignals,
  type GoldenSignalsStats,
  type RouteSignals,
  type ShedDecision,
  type RequestOutcome,
} from './golden-signals.js';
export {
  DEFAULT_IGNORED_PATHS,
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
export { ignoredPathTest } from './ignored-paths.js';
