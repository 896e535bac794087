import { z } from 'zod';

/**
 * Validates a caller's object (a store, a notifier, an executor) by its shape, without handing it to
 * `parseOptions`: that deep-freezes plain objects in its output, and `z.custom` keeps identity, so the
 * caller's own object would be frozen. The parsed value is `true`; factories use the original.
 */
export function userObject<T>(check: (value: T) => boolean, message: string) {
  return z
    .custom<T>((value) => typeof value === 'object' && value !== null && check(value as T), { message })
    .transform((): true => true);
}
