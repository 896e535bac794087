import type { SloWindow } from 'sre-kit/slo';

const MINUTE = 60_000;
const DAY = 86_400_000;

/**
 * SLO windows the property tests run every scenario over: each rolling tier (a per-window hourly tier,
 * a 5-minute one, a 10-second one) and calendar periods, one in a time zone with DST.
 */
export const SLO_WINDOWS: readonly SloWindow[] = [
  { kind: 'rolling', durationMs: 30 * DAY },
  { kind: 'rolling', durationMs: 2 * DAY },
  { kind: 'rolling', durationMs: 10 * MINUTE },
  { kind: 'calendar', unit: 'month', timeZone: 'UTC' },
  { kind: 'calendar', unit: 'day', timeZone: 'America/New_York' },
];
