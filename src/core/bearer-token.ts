import { createHash, timingSafeEqual } from 'node:crypto';

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
