// The public surface of the changes primitive: the change log, correlation and the DORA metrics.
export {
  createChangeLog,
  type ChangeLog,
  type ChangeFilter,
  type CorrelateOptions,
  type DoraQuery,
  type RecordChangeResult,
} from './change-log.js';
export {
  changeInputSchema,
  changeReportSchema,
  toChangeReport,
  timeInputMs,
  type ChangeReport,
  type Change,
  type ChangeInput,
  type ChangeKind,
  type ChangeStatus,
  type Commit,
  type CommitInput,
  type TimeInput,
} from './change.js';
export {
  MAX_CORRELATED,
  type CorrelatedChange,
  type CorrelationFactors,
  type CorrelationIncident,
  type SignalStep,
  type SignalStepReader,
} from './correlate.js';
export {
  doraReportSchema,
  doraFailureSchema,
  type DoraReport,
  type DoraFailure,
  type DoraIncident,
} from './dora.js';
export { KIND_WEIGHTS, type ChangeLogOptions } from './options.js';
export { signalStepOf, type WindowCounts } from './signal-step.js';
