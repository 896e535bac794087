export {
  createEventLogger,
  eventLoggerOptionsSchema,
  type EventLogger,
  type EventLoggerOptions,
  type StructuredLogger,
} from './event-logger.js';
