// invoke and rejectWith are core plumbing now (the rate limiter and dependencies run work too);
// resilience keeps importing them from here.
export { invoke, rejectWith } from '../core/invoke.js';
