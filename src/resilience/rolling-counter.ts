// The rolling counter is core plumbing now (dependencies count errors with it too); resilience keeps
// importing it from here.
export { RollingCounter } from '../core/rolling-counter.js';
