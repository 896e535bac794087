import { isIP } from 'node:net';
import { connect, type ConnectionOptions } from 'node:tls';
import { z } from 'zod';
import { parseOptions, resolveDeps, type Deps } from '../../core/index.js';
import type { HealthCheckDefinition, HealthCheckOutcome, HealthStatus } from '../types.js';
import { abortReason, round, statusBelow } from './shared.js';

const DAY_MS = 86_400_000;

/** Options for {@link tlsCertificate}. */
export interface TlsCertificateCheckOptions {
  /**
   * The host to connect to; also the name the certificate must match, unless it is an IP address.
   * @example 'api.example.com'
   */
  readonly host: string;
  /**
   * The TLS port.
   * @default 443
   */
  readonly port?: number;
  /**
   * The server name (SNI) to ask for and verify, when it differs from `host`.
   * @default host (when host is not an IP address)
   */
  readonly servername?: string;
  /**
   * Warn when the certificate expires within this many days.
   * @default 30
   */
  readonly warnDays?: number;
  /**
   * Fail when the certificate expires within this many days (or has expired).
   * @default 7
   */
  readonly failDays?: number;
  /**
   * Certificate authorities to trust instead of Node's bundled ones (PEM text or its bytes, e.g. a
   * `Buffer` from `readFileSync`), for private PKI.
   * @default undefined (Node's bundled CAs)
   */
  readonly ca?: string | Uint8Array | readonly (string | Uint8Array)[];
  /**
   * Fail when the certificate does not verify (untrusted chain, wrong name). Turn off to check only
   * the expiry date of a certificate you cannot verify.
   * @default true
   */
  readonly rejectUnauthorized?: boolean;
  /**
   * Give up after this many milliseconds (the registry's per-check timeout also applies: the shorter wins).
   * @default undefined (only the registry's timeout)
   */
  readonly timeoutMs?: number;
}

// Bytes as Uint8Array (a Buffer is one), so the public type needs no @types/node.
const pem = z.union([
  z.string().min(1),
  z.custom<Uint8Array>((v) => v instanceof Uint8Array, { message: 'PEM text or bytes (Uint8Array)' }),
]);
/** The schema behind the options interface (bound to it by a type test). */
export const tlsCertificateOptionsSchema = z
  .strictObject({
    host: z.string().min(1).max(255),
    port: z.number().int().min(1).max(65_535).default(443),
    servername: z.string().min(1).max(255).optional(),
    warnDays: z.number().min(0).default(30),
    failDays: z.number().min(0).default(7),
    ca: z.union([pem, z.array(pem).min(1)]).optional(),
    rejectUnauthorized: z.boolean().default(true),
    timeoutMs: z.number().gt(0).max(2_147_483_647).optional(),
  })
  .refine((o) => o.warnDays > o.failDays, { path: ['warnDays'], message: 'a number > failDays' });

/**
 * A check of the TLS certificate a server presents: `warn` within `warnDays` of expiry, `fail` within
 * `failDays`, once expired, or when the certificate does not verify. Reports the days left as
 * `certificateExpiry` in `days`, measured on the injected clock's wall time.
 *
 * @example
 * ```ts
 * health.register('tls', checks.tlsCertificate({ host: 'api.example.com', warnDays: 30, failDays: 7 }), {
 *   critical: false,
 *   intervalMs: 3_600_000,
 * });
 * ```
 * @throws {ConfigError} when options are invalid.
 */
export function tlsCertificate(options: TlsCertificateCheckOptions, deps?: Deps): HealthCheckDefinition {
  const parsed = parseOptions(tlsCertificateOptionsSchema, options, 'checks.tlsCertificate');
  const { clock } = resolveDeps(deps);
  const { host, port, warnDays, failDays, rejectUnauthorized, timeoutMs } = parsed;
  const connectOptions: ConnectionOptions = { host, port, rejectUnauthorized: false };
  // Node refuses an IP address as SNI; identity is then checked against the certificate's IP SANs.
  const servername = parsed.servername ?? (isIP(host) === 0 ? host : undefined);
  if (servername !== undefined) connectOptions.servername = servername;
  if (parsed.ca !== undefined)
    connectOptions.ca = Array.isArray(parsed.ca) ? parsed.ca.map(asPem) : asPem(parsed.ca);

  return {
    componentType: 'component',
    measurement: 'certificateExpiry',
    run({ signal }) {
      return new Promise<HealthCheckOutcome>((resolve, reject) => {
        // Verification is judged here, after reading the certificate, so an untrusted or expired one
        // still reports its expiry date.
        const socket = connect(connectOptions);
        let cancelTimer: (() => void) | undefined;
        const onAbort = (): void => {
          socket.destroy();
          reject(abortReason(signal));
        };
        const cleanup = (): void => {
          cancelTimer?.();
          signal.removeEventListener('abort', onAbort);
          socket.destroy();
        };
        socket.once('secureConnect', () => {
          const certificate = socket.getPeerCertificate();
          const { authorized } = socket;
          const authorizationError = String(socket.authorizationError ?? 'unverified');
          cleanup();
          const expiresAt = Date.parse(certificate.valid_to ?? '');
          if (!Number.isFinite(expiresAt)) {
            resolve({ status: 'fail', output: 'the server presented no certificate' });
            return;
          }
          const days = round((expiresAt - clock.wallNow()) / DAY_MS, 2);
          const expiry = new Date(expiresAt).toISOString();
          let status: HealthStatus = statusBelow(days, warnDays, failDays);
          let output: string | undefined =
            days <= 0
              ? `certificate expired at ${expiry}`
              : status === 'pass'
                ? undefined
                : `certificate expires in ${days} days, at ${expiry}`;
          if (rejectUnauthorized && !authorized && days > 0) {
            status = 'fail';
            output = `certificate not trusted: ${authorizationError}`;
          }
          resolve(
            output === undefined
              ? { status, observedValue: days, observedUnit: 'days' }
              : { status, observedValue: days, observedUnit: 'days', output },
          );
        });
        socket.on('error', (error: Error) => {
          cleanup();
          reject(error);
        });
        signal.addEventListener('abort', onAbort, { once: true });
        if (timeoutMs !== undefined) {
          cancelTimer = clock.schedule(timeoutMs, () => {
            cleanup();
            resolve({ status: 'fail', output: 'timed out' });
          });
        }
      });
    },
  };
}

// Node's types want a Buffer; a view over the same bytes is one, without copying.
function asPem(value: string | Uint8Array): string | Buffer {
  return typeof value === 'string' ? value : Buffer.from(value.buffer, value.byteOffset, value.byteLength);
}
