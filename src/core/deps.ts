import { systemClock, type Clock } from './clock.js';
import { guardInternalErrorHandler, type InternalErrorHandler } from './internal-error.js';

/**
 * What every factory accepts as its second argument: collaborators that are not options, so they
 * never pass through validation and tests can swap them.
 */
export interface Deps {
  /** The time source. @default the system clock */
  readonly clock?: Clock;
  /** Receives failures with no caller to throw to. @default a process warning */
  readonly onInternalError?: InternalErrorHandler;
}

/** {@link Deps} with every default filled in. */
export interface ResolvedDeps {
  readonly clock: Clock;
  readonly onInternalError: InternalErrorHandler;
}

/** Fills in defaults for {@link Deps}; call once in a factory. */
export function resolveDeps(deps: Deps | undefined): ResolvedDeps {
  return {
    clock: deps?.clock ?? systemClock,
    onInternalError: guardInternalErrorHandler(deps?.onInternalError),
  };
}
