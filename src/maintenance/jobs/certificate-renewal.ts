import { z } from 'zod';
import { parseOptions, type Deps } from '../../core/index.js';
import { checks, type TlsCertificateCheckOptions } from '../../health/index.js';
import type { JobContext, MaintenanceJob } from '../scheduler.js';
import { hookSchema, outcomeOf } from './shared.js';

/** What the renewal hook of {@link certificateRenewal} receives. */
export interface CertificateRenewalContext extends JobContext {
  readonly host: string;
  /** Days until the certificate expires (0 or less: expired), as `checks.tlsCertificate` measured it. */
  readonly daysLeft: number;
}

/** Options for {@link certificateRenewal}: where to look (as `checks.tlsCertificate`), when and how to renew. */
export interface CertificateRenewalOptions extends Pick<
  TlsCertificateCheckOptions,
  'host' | 'port' | 'servername' | 'ca' | 'rejectUnauthorized' | 'timeoutMs'
> {
  /**
   * Renew when the certificate expires within this many days.
   * @default 30
   */
  readonly renewWithinDays?: number;
  /** Renews the certificate (calls your ACME client, rotates a secret); may be async. */
  readonly renew: (context: CertificateRenewalContext) => unknown;
}

// The connection fields are checked by checks.tlsCertificate; this schema names the rest, strictly.
const optionsSchema = z.strictObject({
  host: z.unknown(),
  port: z.unknown().optional(),
  servername: z.unknown().optional(),
  ca: z.unknown().optional(),
  rejectUnauthorized: z.unknown().optional(),
  timeoutMs: z.unknown().optional(),
  renewWithinDays: z.number().gt(0).max(3_650).default(30),
  renew: hookSchema,
});

/**
 * A maintenance job that reads the TLS certificate `host` presents (with `checks.tlsCertificate`) and
 * calls `renew` when it expires within `renewWithinDays`. The run's note says what it saw and did; a
 * certificate that cannot be read, or is untrusted while not expiring, fails the run.
 *
 * @example
 * ```ts
 * jobs.schedule('tls-renewal', '0 4 * * *', maintenanceJobs.certificateRenewal({
 *   host: 'api.example.com', renewWithinDays: 21, renew: ({ signal }) => acme.renew({ signal }),
 * }));
 * ```
 * @throws {ConfigError} when options are invalid.
 */
export function certificateRenewal(options: CertificateRenewalOptions, deps?: Deps): MaintenanceJob {
  const { renewWithinDays } = parseOptions(optionsSchema, options, 'maintenanceJobs.certificateRenewal');
  const { renew, renewWithinDays: _days, ...tls } = options;
  // failDays 0: the check fails only once expired; renewal is judged here from the days it measures.
  const check = checks.tlsCertificate({ ...tls, warnDays: renewWithinDays, failDays: 0 }, deps);
  return async (context) => {
    const outcome = await outcomeOf(check, context.signal);
    const daysLeft = outcome.observedValue;
    if (typeof daysLeft !== 'number') throw new Error(outcome.output ?? 'no certificate was read');
    if (daysLeft > renewWithinDays) {
      if (outcome.status === 'fail') throw new Error(outcome.output ?? 'certificate check failed');
      return `certificate of ${tls.host} expires in ${daysLeft} days (renewal within ${renewWithinDays}): nothing to do`;
    }
    await renew({ ...context, host: tls.host, daysLeft });
    return `certificate of ${tls.host} expires in ${daysLeft} days (renewal within ${renewWithinDays}): renewed`;
  };
}
