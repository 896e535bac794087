// A stand-in for the payments provider the service calls: a primary and a standby region, each
// answering in a few milliseconds. The fault schedule can take the primary down; the runbook's fix is to
// fail over to the standby.
import { setTimeout as sleep } from 'node:timers/promises';
import { ErrorCode, isSreError, type FaultInjector } from 'sre-kit';

/** What the provider's client throws when a region answers with an error. */
export class PaymentProviderError extends Error {
  override readonly name = 'PaymentProviderError';
  constructor(
    readonly region: string,
    readonly providerStatus: number,
    orderId: string,
  ) {
    super(`payments ${region} region answered ${providerStatus} for order ${orderId}`);
  }
}

/** The simulated payments dependency. */
export interface Payments {
  /** Which region answers now. */
  readonly active: 'primary' | 'standby';
  /** Charges an order; rejects when the active region is down or the signal aborts. */
  charge(orderId: string, signal: AbortSignal): Promise<{ readonly chargeId: string }>;
  /** Sends calls to the standby region (what the runbook does). */
  failover(): void;
}

/** Creates the payments stand-in; `outage` decides whether the primary region is failing. */
export function createPayments(outage: FaultInjector, random: () => number): Payments {
  let active: 'primary' | 'standby' = 'primary';
  let charges = 0;
  const call = async (orderId: string, signal: AbortSignal) => {
    await sleep(2 + random() * 6, undefined, { signal });
    return { chargeId: `ch_${active}_${orderId}_${++charges}` };
  };
  return {
    get active() {
      return active;
    },
    charge: (orderId, signal) =>
      active === 'primary'
        ? outage
            .execute(() => call(orderId, signal), { signal })
            .catch((error: unknown) => {
              // The outage is simulated with a fault injector; callers see what a provider's client throws.
              throw isSreError(error, ErrorCode.INJECTED_FAULT)
                ? new PaymentProviderError('primary', 503, orderId)
                : error;
            })
        : call(orderId, signal),
    failover() {
      active = 'standby';
    },
  };
}
