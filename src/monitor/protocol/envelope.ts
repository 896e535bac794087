import { z } from 'zod';
import { AGENT_NAME, MAX_NAME_LENGTH } from './constants.js';

// The fields every request carries, shared by every action's schema.

/** A name a request carries: a check, an SLO, an incident id, a drill. */
export const requestNameSchema = z.string().min(1).max(MAX_NAME_LENGTH);

/** The schema of the optional correlation id echoed back as `requestId`: a short string or a safe integer. */
export const requestIdSchema = z.union(
  [requestNameSchema, z.number().int().min(Number.MIN_SAFE_INTEGER).max(Number.MAX_SAFE_INTEGER)],
  {
    error: `a string of 1 to ${MAX_NAME_LENGTH} characters or a safe integer`,
  },
);

/** The envelope of every request: the agent it is for and any correlation id. */
export const requestEnvelope = {
  agent: z.literal(AGENT_NAME),
  /** Any correlation id the caller wants echoed back. */
  request_id: requestIdSchema.optional(),
};
