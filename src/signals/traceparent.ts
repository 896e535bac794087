// W3C Trace Context: version "-" trace-id (32 hex) "-" parent-id (16 hex) "-" flags (2 hex).
const TRACEPARENT = /^[\da-f]{2}-([\da-f]{32})-[\da-f]{16}-[\da-f]{2}/;
const ALL_ZERO_TRACE = '00000000000000000000000000000000';

/** The trace id of a W3C `traceparent` header, or undefined when absent or malformed. */
export function traceIdFromTraceparent(header: string | string[] | undefined): string | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined || value.length < 55) return undefined;
  const match = TRACEPARENT.exec(value);
  const traceId = match?.[1];
  return traceId === undefined || traceId === ALL_ZERO_TRACE ? undefined : traceId;
}
