export {
  createErrorGroups,
  NO_ROUTE,
  type ErrorGroups,
  type ErrorGroupsEvents,
  type ErrorGroupsStats,
  type ErrorGroupSummary,
  type ErrorContext,
  type ErrorSample,
  type ErrorTopOptions,
} from './error-groups.js';
export { errorGroupsOptionsSchema, type ErrorGroupsOptions } from './options.js';
export { parameterize } from './parameterize.js';
