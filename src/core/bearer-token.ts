import { createHash, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

// Bearer tokens compared in constant time. Both sides are hashed first so the compared buffers always
// have the same length: timingSafeEqual needs that, and comparing lengths first would leak the token's
// length through timing.

/** A token and who holds it. */
export interface BearerIdentity {
  readonly identity: string;
  readonly digest: Buffer;
}

/** Hashes each holder's token once, at construction. */
export function bearerIdentities(tokens: Readonly<Record<string, string>>): readonly BearerIdentity[] {
  return Object.entries(tokens).map(([identity, token]) => ({ identity, digest: digest(token) }));
}

/**
 * The identity whose token an `Authorization: Bearer <token>` header carries, or undefined. Every
 * identity is compared, whichever matches, so the time taken says nothing about which one did.
 */
export function matchBearer(
  header: string | undefined,
  identities: readonly BearerIdentity[],
): string | undefined {
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header ?? '');
  if (match === null) return undefined;
  const presented = digest(match[1] ?? '');
  let found: string | undefined;
  for (const { identity, digest: expected } of identities)
    if (timingSafeEqual(presented, expected) && found === undefined) found = identity;
  return found;
}

function digest(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

const MIN_TOKEN_LENGTH = 16;
const token = z
  .string()
  .min(MIN_TOKEN_LENGTH, `a token of at least ${MIN_TOKEN_LENGTH} characters`)
  .max(4_096);
const identity = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/, 'a caller name of letters, digits, . _ @ - (64 at most)');

/** The `token` option of the servers facing agents: one bearer token, or one per named caller. */
export const bearerTokensSchema = z.union([
  token,
  z
    .record(identity, token)
    .refine((tokens) => Object.keys(tokens).length > 0, 'at least one caller')
    .refine((tokens) => Object.keys(tokens).length <= 100, 'at most 100 callers'),
]);

/** The holders of a parsed `token` option: a single token's holder is named `fallback`. */
export function bearerHolders(
  tokens: string | Readonly<Record<string, string>>,
  fallback: string,
): readonly BearerIdentity[] {
  return bearerIdentities(typeof tokens === 'string' ? { [fallback]: tokens } : tokens);
}
