// The public surface of drills: chaos and backup validation drills, their journals and the registry.
export { createDrill, type Drill } from './drill.js';
export type {
  DrillOptions,
  ChaosDrillOptions,
  BackupDrillOptions,
  DrillMonitor,
  SteadyStateProbe,
  ProbeValue,
  DrillInjection,
  DrillExpectation,
  DrillAbortConditions,
  DrillRollbackContext,
  IntegrityCheck,
} from './options.js';
export {
  drillJournalSchema,
  drillVerdictSchema,
  drillSteadyStateSchema,
  drillProbeResultSchema,
  drillInjectionResultSchema,
  drillAlertSchema,
  drillIncidentSchema,
  drillBackupSchema,
  type DrillJournal,
  type DrillVerdict,
  type DrillSteadyState,
  type DrillProbeResult,
  type DrillInjectionResult,
  type DrillAlert,
  type DrillIncident,
  type DrillBackup,
} from './journal.js';
export {
  createDrillRegistry,
  type DrillRegistry,
  type DrillRegistryOptions,
  type RegisteredDrill,
  type DrillJournalFilter,
} from './registry.js';
