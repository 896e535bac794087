// Reading and checking a JSON request body without a framework's body parser: shared by the routes
// that take a POST (the agent protocol, Alertmanager's webhook) on Express; Fastify reads the bytes
// itself and hands them to the same checks.
import type { IncomingMessage } from 'node:http';

/** What a route sends: a status, a JSON body, and any extra headers. */
export interface JsonAnswer {
  readonly status: number;
  readonly body: string;
  readonly headers?: Readonly<Record<string, string>>;
}

/** The response content type of every JSON answer. */
export const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

/** A body that went past the route's limit: its bytes were discarded, not kept. */
export const TOO_LARGE = Symbol('too large');

const MAX_MESSAGE_LENGTH = 200;
// `fatal`: bytes that are not UTF-8 are a malformed body, not text to guess at. Stateless per decode().
const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Reads a request body up to `limit` bytes. Past the limit it stops keeping data and lets the rest
 * drain (as Fastify does), so the connection stays usable; undefined when the client went away first.
 */
export function readBody(
  req: IncomingMessage,
  limit: number,
): Promise<Buffer | typeof TOO_LARGE | undefined> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = (result: Buffer | typeof TOO_LARGE | undefined): void => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onGone);
      req.off('close', onGone);
      resolve(result);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limit) {
        done(TOO_LARGE);
        req.resume();
      } else chunks.push(chunk);
    };
    const onEnd = (): void => done(Buffer.concat(chunks, size));
    const onGone = (): void => done(undefined);
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onGone);
    req.on('close', onGone);
  });
}

/** Whether a lowercased media type is JSON: `application/json` or `application/<x>+json`. */
export function isJsonMediaType(type: string): boolean {
  return type === 'application/json' || (type.startsWith('application/') && type.endsWith('+json'));
}

/**
 * Why a request's body cannot be read as `accepted` text, or undefined when it can: its media type
 * (lowercased, without parameters) must pass `accepts`, any charset must be UTF-8, and the body must
 * not be compressed. `expected` names the accepted types in the message.
 */
export function mediaTypeProblem(
  contentType: string | undefined,
  contentEncoding: string | undefined,
  accepts: (type: string) => boolean,
  expected: string,
): string | undefined {
  const [mediaType = '', ...params] = (contentType ?? '').split(';');
  const charset = params
    .map((p) => p.trim().toLowerCase())
    .find((p) => p.startsWith('charset='))
    ?.slice('charset='.length)
    .replace(/"/g, '');
  const encoding = contentEncoding?.trim().toLowerCase() ?? '';
  if (encoding !== '' && encoding !== 'identity')
    return `Expected an uncompressed body; received content-encoding ${truncate(encoding)}`;
  const utf8 = charset === undefined || charset === 'utf-8' || charset === 'utf8';
  if (accepts(mediaType.trim().toLowerCase()) && utf8) return undefined;
  const received = contentType === undefined ? 'none' : truncate(contentType);
  return `Expected content-type ${expected} (UTF-8); received ${received}`;
}

/**
 * Why a request is not plain JSON, or undefined when it is: its media type must be `application/json`
 * (or `application/<x>+json`), any charset UTF-8, and its body not compressed.
 */
export function jsonMediaTypeProblem(
  contentType: string | undefined,
  contentEncoding: string | undefined,
): string | undefined {
  return mediaTypeProblem(contentType, contentEncoding, isJsonMediaType, 'application/json');
}

/** Parses a UTF-8 JSON body; on failure, says why in one line. */
export function parseJsonBody(body: Uint8Array): { readonly value: unknown } | { readonly problem: string } {
  try {
    return { value: JSON.parse(utf8.decode(body)) as unknown };
  } catch (error) {
    const reason = error instanceof SyntaxError ? error.message : 'it is not valid UTF-8';
    return { problem: truncate(`The request body is not valid JSON: ${reason}`) };
  }
}

/** Cuts a message that quotes outside data to a length fit for an answer. */
export function truncate(text: string): string {
  return text.length > MAX_MESSAGE_LENGTH ? `${text.slice(0, MAX_MESSAGE_LENGTH - 1)}…` : text;
}
