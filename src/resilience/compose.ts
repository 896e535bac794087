import type { ExecuteContext, ExecuteOptions, Policy, Work, extraResult } from './policy.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyPolicy = Policy<any, any>;
type ContextOf<P> = P extends Policy<infer C, infer _X> ? C : never;
// Read from the policy's type-only marker: inferring X from Policy<C, X> itself gives `unknown`
// (X only appears in a generic method's result).
type ExtraOf<P> = P extends { readonly [extraResult]?: () => infer X } ? X : never;
type Intersect<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void ? I : never;

/** What the work receives under a composition: every layer's context fields together. */
export type ComposedContext<P extends readonly AnyPolicy[]> = Intersect<ContextOf<P[number]>> &
  ExecuteContext;

/** What a composition may resolve with besides the work's result: any layer's fallback. */
export type ComposedExtra<P extends readonly AnyPolicy[]> = ExtraOf<P[number]>;

/**
 * Nests policies, outermost first: `compose(retry, breaker, timeout)` retries calls that go through the
 * breaker, each attempt limited by the timeout. Each layer hands its context to the next as its
 * options, so signals link lazily and the work sees every layer's fields (`attempt` from a retry).
 *
 * @example
 * ```ts
 * const policy = compose(createRetryPolicy(), createCircuitBreaker({ name: 'payments' }), createTimeout(2_000));
 * await policy.execute(({ attempt, signal }) => fetchThing(signal), { signal });
 * ```
 */
export function compose<const P extends readonly [AnyPolicy, ...AnyPolicy[]]>(
  ...policies: P
): Policy<ComposedContext<P>, ComposedExtra<P>> {
  const layers: readonly AnyPolicy[] = [...policies];
  const last = layers.length - 1;
  const run = (
    index: number,
    work: Work<unknown, any>, // eslint-disable-line @typescript-eslint/no-explicit-any
    options: ExecuteOptions | undefined,
  ): Promise<unknown> => {
    const policy = layers[index]!;
    if (index === last) return policy.execute(work, options);
    return policy.execute((context: ExecuteOptions) => run(index + 1, work, context), options);
  };
  return {
    execute<T>(work: Work<T, ComposedContext<P>>, options?: ExecuteOptions): Promise<T | ComposedExtra<P>> {
      return run(0, work, options) as Promise<T | ComposedExtra<P>>;
    },
  };
}
