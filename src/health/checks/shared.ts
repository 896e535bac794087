// Helpers shared by the built-in checks. For thresholds, a value AT a threshold counts as past it.
import type { HealthStatus } from '../types.js';

/** The status of a value where bigger is worse (delay, memory, lag). */
export function statusAbove(value: number, warn: number | undefined, fail: number): HealthStatus {
  if (value >= fail) return 'fail';
  if (warn !== undefined && value >= warn) return 'warn';
  return 'pass';
}

/** The status of a value where smaller is worse (free space, days to expiry). */
export function statusBelow(value: number, warn: number | undefined, fail: number): HealthStatus {
  if (value <= fail) return 'fail';
  if (warn !== undefined && value <= warn) return 'warn';
  return 'pass';
}

/** Rounds for display: observed values are read by people, not summed. */
export function round(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
}

/** The reason an aborted signal carries, as an Error (a check's rejection after its signal aborted is ignored anyway). */
export function abortReason(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new Error('aborted');
}
