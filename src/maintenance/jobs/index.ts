// Built-in maintenance jobs, gathered as `maintenanceJobs.*`: each is a job function for
// `MaintenanceScheduler.schedule`, built on one of the health checks.
import { certificateRenewal } from './certificate-renewal.js';
import { logRotation } from './log-rotation.js';

/**
 * Ready-made maintenance jobs for the seed's examples: renew a TLS certificate before it expires, rotate
 * logs when the disk fills. Each validates its options when created.
 */
export const maintenanceJobs = Object.freeze({ certificateRenewal, logRotation });

export type { CertificateRenewalOptions, CertificateRenewalContext } from './certificate-renewal.js';
export type { LogRotationOptions, LogRotationContext } from './log-rotation.js';
