import { z } from 'zod';
import type { HealthCheckDefinition, HealthCheckOutcome } from '../../health/index.js';

/** @internal A hook option: any function, kept as given (never through zod's function wrapper). */
export const hookSchema = z.custom<(...args: never[]) => unknown>((value) => typeof value === 'function', {
  message: 'a function',
});

/** Runs a built-in check once and returns its outcome, its default status filled in. */
export async function outcomeOf(
  check: HealthCheckDefinition,
  signal: AbortSignal,
): Promise<HealthCheckOutcome> {
  return (await check.run({ signal })) ?? { status: 'pass' };
}
