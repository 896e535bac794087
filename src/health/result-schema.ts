import { z } from 'zod';

const statusSchema = z.enum(['pass', 'warn', 'fail']);
const probeSchema = z.enum(['liveness', 'readiness', 'startup']);

/** The schema of a `CheckResult`, for consumers that receive results across a boundary. */
export const checkResultSchema = z.object({
  name: z.string(),
  status: statusSchema,
  critical: z.boolean(),
  durationMs: z.number().min(0),
  time: z.iso.datetime({ offset: true }),
  output: z.string().optional(),
  observedValue: z.union([z.number(), z.string(), z.boolean()]).optional(),
  observedUnit: z.string().optional(),
  componentType: z.string(),
  measurement: z.string().optional(),
});

/** The schema of a `HealthCheckResult`, what `HealthRegistry.check()` resolves to. */
export const healthCheckResultSchema = z.object({
  status: statusSchema,
  probe: probeSchema.optional(),
  checks: z.array(checkResultSchema),
  durationMs: z.number().min(0),
  time: z.iso.datetime({ offset: true }),
  draining: z.boolean(),
  output: z.string().optional(),
  service: z.object({
    serviceId: z.string().optional(),
    version: z.string().optional(),
    releaseId: z.string().optional(),
    description: z.string().optional(),
  }),
  exposeDetails: z.boolean(),
});
