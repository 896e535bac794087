/** Calls `work` and always returns a native promise: a synchronous throw becomes a rejection. */
export function invoke<T, C>(work: (context: C) => T | PromiseLike<T>, context: C): Promise<T> {
  try {
    const result = work(context);
    return result instanceof Promise ? result : Promise.resolve(result);
  } catch (error) {
    return rejectWith(error);
  }
}

/** A promise rejected with `reason`, which may be any value: abort reasons are whatever abort() got. */
export function rejectWith(reason: unknown): Promise<never> {
  // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- see above
  return Promise.reject(reason);
}
