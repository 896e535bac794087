import { EventEmitter } from 'eventemitter3';
import type { InternalErrorHandler } from './internal-error.js';

/** A map from event name to the one payload object its listeners receive. */
export type EventMap = { [event: string]: object };

/** A listener for one event of an {@link EventMap}. */
export type Listener<Payload> = (payload: Payload) => void | Promise<void>;

/** The subscribe side of a primitive's events; `on` and `once` return a function that unsubscribes. */
export interface EventSource<E extends EventMap> {
  /** Calls `listener` on every `event`; a throwing listener is reported, never thrown to the caller. */
  on<K extends keyof E & string>(event: K, listener: Listener<E[K]>): () => void;
  /** Calls `listener` on the next `event` only. */
  once<K extends keyof E & string>(event: K, listener: Listener<E[K]>): () => void;
  /** Removes `listener` from `event`. */
  off<K extends keyof E & string>(event: K, listener: Listener<E[K]>): void;
}

/**
 * A typed emitter on eventemitter3 for use inside primitives. Callers check {@link SafeEmitter.has}
 * before building a payload, so an event nobody listens to costs one property read. Listeners run
 * isolated: a throw or a rejected promise goes to `onInternalError`, never into the request path.
 */
export class SafeEmitter<E extends EventMap> implements EventSource<E> {
  readonly #ee = new EventEmitter();
  // One isolating wrapper per (event, listener), so off() can find it and errors name the right event.
  readonly #wrappers = new Map<string, WeakMap<Listener<never>, (payload: object) => void>>();
  readonly #onError: InternalErrorHandler;
  readonly #source: string;

  constructor(source: string, onInternalError: InternalErrorHandler) {
    this.#source = source;
    this.#onError = onInternalError;
  }

  /** Whether anyone listens to `event`; check it before building a payload. */
  has(event: keyof E & string): boolean {
    return this.#ee.listenerCount(event) > 0;
  }

  /** Delivers `payload` to every listener of `event`, isolating each. */
  emit<K extends keyof E & string>(event: K, payload: E[K]): void {
    this.#ee.emit(event, payload);
  }

  on<K extends keyof E & string>(event: K, listener: Listener<E[K]>): () => void {
    this.#ee.on(event, this.#wrap(event, listener));
    return () => this.off(event, listener);
  }

  once<K extends keyof E & string>(event: K, listener: Listener<E[K]>): () => void {
    this.#ee.once(event, this.#wrap(event, listener));
    return () => this.off(event, listener);
  }

  off<K extends keyof E & string>(event: K, listener: Listener<E[K]>): void {
    const wrapper = this.#wrappers.get(event)?.get(listener);
    if (wrapper !== undefined) this.#ee.off(event, wrapper);
  }

  /** Removes every listener; primitives call it from `close()`. */
  clear(): void {
    this.#ee.removeAllListeners();
  }

  #wrap<K extends keyof E & string>(event: K, listener: Listener<E[K]>): (payload: object) => void {
    let forEvent = this.#wrappers.get(event);
    if (forEvent === undefined) this.#wrappers.set(event, (forEvent = new WeakMap()));
    let wrapper = forEvent.get(listener);
    if (wrapper === undefined) {
      const report = (error: unknown): void => this.#onError(error, { source: this.#source, event });
      wrapper = (payload: object): void => {
        try {
          const result = listener(payload as E[K]);
          if (result !== undefined && typeof result.then === 'function') {
            result.then(undefined, report);
          }
        } catch (error) {
          report(error);
        }
      };
      forEvent.set(listener, wrapper);
    }
    return wrapper;
  }
}
