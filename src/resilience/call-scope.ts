import type { ExecuteOptions } from './policy.js';

// The shared signal handed to work that nothing can abort, created on first use (no work at import
// time). Every call without a signal shares it, and code commonly adds an abort listener per call
// without removing it (Node's fetch does), which would pile up on a signal that lives forever. It never
// fires, so listeners are dropped: adding and removing them does nothing.
let neverSignal: AbortSignal | undefined;
const ignoreListener = (): void => {};

/** A signal that never aborts, shared by every call that has nothing to abort it. */
export function neverAborted(): AbortSignal {
  if (neverSignal === undefined) {
    const signal = new AbortController().signal;
    Object.defineProperties(signal, {
      addEventListener: { value: ignoreListener },
      removeEventListener: { value: ignoreListener },
    });
    neverSignal = signal;
  }
  return neverSignal;
}

const NOT_ABORTED: unique symbol = Symbol('not aborted');

function isSignal(value: unknown): value is AbortSignal {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as AbortSignal).aborted === 'boolean' &&
    typeof (value as AbortSignal).addEventListener === 'function'
  );
}

/**
 * The context object a policy hands to the work it runs, and the link between nested policies.
 *
 * A scope's `signal` is built only when read: a scope that can abort on its own (it has a deadline)
 * creates its AbortController the first time the work asks for the signal, so work that never looks at
 * the signal costs no controller. Nested policies pass their scope as the inner policy's options, so the
 * inner one reads the outer signal lazily too. A scope never aborts after `finish()`.
 */
export class CallScope {
  readonly #parent: CallScope | undefined;
  readonly #external: AbortSignal | undefined;
  readonly #attempt: number | undefined;
  readonly #ownsAbort: boolean;
  #controller: AbortController | undefined = undefined;
  #reason: unknown = NOT_ABORTED;
  #finished = false;
  #unlink: (() => void) | undefined = undefined;

  private constructor(
    parent: CallScope | undefined,
    external: AbortSignal | undefined,
    attempt: number | undefined,
    ownsAbort: boolean,
  ) {
    this.#parent = parent;
    this.#external = external;
    this.#attempt = attempt;
    this.#ownsAbort = ownsAbort;
  }

  /** A root scope for a caller's signal (or none). */
  static root(signal: AbortSignal | undefined): CallScope {
    return new CallScope(undefined, signal, undefined, false);
  }

  /** A scope inside `parent`; `ownsAbort` when it can abort by itself (a deadline). */
  static child(parent: CallScope, attempt: number | undefined, ownsAbort: boolean): CallScope {
    return new CallScope(parent, undefined, attempt, ownsAbort);
  }

  /** The signal the work should honour; see the class comment for when it is created. */
  get signal(): AbortSignal {
    if (this.#controller !== undefined) return this.#controller.signal;
    if (!this.#ownsAbort) {
      return this.#parent !== undefined ? this.#parent.signal : (this.#external ?? neverAborted());
    }
    return this.#createSignal();
  }

  /** The retry attempt this work belongs to, from the nearest retry policy around it. */
  get attempt(): number | undefined {
    return this.#attempt ?? this.#parent?.attempt;
  }

  /** Whether the call should stop (checked without creating any signal). */
  get aborted(): boolean {
    if (this.#reason !== NOT_ABORTED) return true;
    if (this.#controller?.signal.aborted === true) return true;
    if (this.#parent !== undefined) return this.#parent.aborted;
    return this.#external?.aborted === true;
  }

  /** Why the call stopped; meaningful only when {@link CallScope.aborted} is true. */
  get abortReason(): unknown {
    if (this.#reason !== NOT_ABORTED) return this.#reason;
    if (this.#controller?.signal.aborted === true) return this.#controller.signal.reason as unknown;
    if (this.#parent !== undefined) return this.#parent.abortReason;
    return this.#external?.reason as unknown;
  }

  /** The caller's own signal at the root of this scope chain, if the caller gave one. */
  get callerSignal(): AbortSignal | undefined {
    return this.#parent !== undefined ? this.#parent.callerSignal : this.#external;
  }

  /** Aborts this scope (its deadline passed); does nothing once finished. */
  expire(reason: unknown): void {
    if (this.#finished) return;
    this.#finished = true;
    this.#reason = reason;
    this.#detach();
    this.#controller?.abort(reason);
  }

  /** Marks the call settled: the scope lets go of its parent and will never abort. */
  finish(): void {
    if (this.#finished) return;
    this.#finished = true;
    this.#detach();
  }

  #detach(): void {
    if (this.#unlink !== undefined) {
      this.#unlink();
      this.#unlink = undefined;
    }
  }

  #createSignal(): AbortSignal {
    const controller = new AbortController();
    this.#controller = controller;
    if (this.#reason !== NOT_ABORTED) {
      controller.abort(this.#reason);
    } else if (!this.#finished) {
      const parent = this.#parent !== undefined ? this.#parent.signal : this.#external;
      if (parent !== undefined && parent !== neverSignal) {
        if (parent.aborted) {
          controller.abort(parent.reason);
        } else {
          const onAbort = (): void => controller.abort(parent.reason);
          parent.addEventListener('abort', onAbort, { once: true });
          this.#unlink = () => parent.removeEventListener('abort', onAbort);
        }
      }
    }
    return controller.signal;
  }
}

let rootWithoutSignal: CallScope | undefined;

/**
 * Turns `execute`'s options into the scope the call runs in: an outer policy's scope is used as it is
 * (lazy nesting), a caller's `{ signal }` becomes a root scope. A value that is not a signal is ignored,
 * never thrown on: this is the hot path.
 */
export function scopeOf(options: ExecuteOptions | CallScope | undefined): CallScope {
  if (options instanceof CallScope) return options;
  const signal = options?.signal;
  if (signal === undefined || !isSignal(signal)) return (rootWithoutSignal ??= CallScope.root(undefined));
  return CallScope.root(signal);
}
