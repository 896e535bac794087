// The status page: the monitor's state as HTML, Statuspage v2 JSON and SVG badges, framework-neutral;
// the adapters serve it (Express `statusPage`, the Fastify plugin's `statusPage` option).
export {
  createStatusPage,
  OVERALL_BADGE_ID,
  type StatusPage,
  type StatusAnswer,
  type StatusRequest,
} from './status-page.js';
export type { StatusPageOptions, StatusPageComponentOptions, StatusPageMonitor } from './options.js';
export {
  statusSummarySchema,
  statusComponentSchema,
  statusIncidentSchema,
  statusIncidentUpdateSchema,
  statusMaintenanceSchema,
  statusUptimeDaySchema,
  statusExtensionSchema,
  type StatusSummary,
} from './summary-schema.js';
export { PARTIAL_OUTAGE_WEIGHT } from './components.js';
export { PALETTE } from './html.js';
export { BADGE_COLOUR } from './badge.js';
