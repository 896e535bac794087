// Where a Retry-After hides: our errors' `retryAfterMs`, a thrown `Response`, or an error carrying the
// response or its headers (undici/ky `error.response`, got/axios `error.response.headers`, plain headers).
type HeaderBag = { get?: unknown } & Record<string, unknown>;

function headerOf(holder: unknown): string | undefined {
  if (typeof holder !== 'object' || holder === null) return undefined;
  const headers = (holder as { headers?: unknown }).headers;
  if (typeof headers !== 'object' || headers === null) return undefined;
  const bag = headers as HeaderBag;
  let value: unknown;
  if (typeof bag.get === 'function')
    value = (bag.get as (name: string) => unknown).call(headers, 'retry-after');
  else value = bag['retry-after'] ?? bag['Retry-After'];
  if (Array.isArray(value)) value = value[0];
  if (typeof value === 'number') return String(value);
  return typeof value === 'string' ? value : undefined;
}

const SECONDS = /^\s*(\d+(?:\.\d+)?)\s*$/;

/**
 * Parses an HTTP Retry-After value (delay-seconds or an HTTP-date) into ms from `wallNow`; a date in
 * the past gives 0, anything unreadable `undefined`.
 */
export function parseRetryAfter(value: string, wallNow: number): number | undefined {
  const seconds = SECONDS.exec(value);
  if (seconds !== null) return Number(seconds[1]) * 1000;
  const at = Date.parse(value);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - wallNow);
}

/** The Retry-After an error asks for, in ms, or `undefined` when it has none. */
export function retryAfterMsOf(error: unknown, wallNow: number): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const direct = (error as { retryAfterMs?: unknown }).retryAfterMs;
  if (typeof direct === 'number' && Number.isFinite(direct) && direct >= 0) return direct;
  const header = headerOf(error) ?? headerOf((error as { response?: unknown }).response);
  return header === undefined ? undefined : parseRetryAfter(header, wallNow);
}
