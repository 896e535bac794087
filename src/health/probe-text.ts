import { httpStatusOf, type RenderedHealth } from './health-json.js';
import { drainingFails } from './registry.js';
import type { HealthCheckResult, HealthProbe } from './types.js';

/** Options for {@link toProbeText}. */
export interface ProbeTextOptions {
  /**
   * List every check even when the probe passes (Kubernetes' `?verbose`). A probe that warns or fails
   * always lists them.
   * @default false
   */
  readonly verbose?: boolean;
  /**
   * Show why a check failed instead of `reason withheld`.
   * @default the registry's `exposeDetails`
   */
  readonly exposeDetails?: boolean;
}

const ENDPOINT: Record<HealthProbe, string> = { liveness: 'livez', readiness: 'readyz', startup: 'startupz' };

/**
 * Renders a check result as plain text in the style of the Kubernetes API server's `/livez` and
 * `/readyz`: `ok` when it passes, otherwise one `[+]name ok` / `[-]name failed: reason withheld` line
 * per check and a closing verdict. Serve it as `text/plain; charset=utf-8`.
 *
 * @example
 * ```ts
 * const { body, httpStatus } = toProbeText(await health.check({ probe: 'readiness' }));
 * // httpStatus 503, body:
 * // [+]database ok
 * // [-]payments failed: reason withheld
 * // readyz check failed
 * ```
 */
export function toProbeText(result: HealthCheckResult, options?: ProbeTextOptions): RenderedHealth<string> {
  const httpStatus = httpStatusOf(result.status);
  if (result.status === 'pass' && options?.verbose !== true) return { body: 'ok', httpStatus };
  const details = options?.exposeDetails ?? result.exposeDetails;
  let body = '';
  // The shutdown line belongs to the answers draining fails; liveness keeps passing while draining.
  if (result.draining && drainingFails(result.probe))
    body += `[-]shutdown failed: ${result.output ?? 'shutting down'}\n`;
  for (const check of result.checks) {
    if (check.status === 'pass') body += `[+]${check.name} ok\n`;
    else if (check.status === 'warn')
      body += `[+]${check.name} warn${details && check.output !== undefined ? `: ${check.output}` : ''}\n`;
    else body += `[-]${check.name} failed: ${details ? (check.output ?? 'failed') : 'reason withheld'}\n`;
  }
  const endpoint = result.probe === undefined ? 'healthz' : ENDPOINT[result.probe];
  const verdict =
    result.status === 'pass' ? 'passed' : result.status === 'warn' ? 'passed with warnings' : 'failed';
  body += `${endpoint} check ${verdict}\n`;
  return { body, httpStatus };
}
