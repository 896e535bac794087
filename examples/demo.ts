// The quick-start demo. For now it shows the foundation every primitive builds on: options rejected
// with a message naming the field, stable error codes, and time you can drive by hand in tests.
// (The full demo, a service with traffic and injected faults, arrives with the monitor.)
import { ConfigError, ErrorCode, isSreError, TimeoutError } from 'sre-kit';
import { createFakeClock } from 'sre-kit/testing';

const clock = createFakeClock({ start: '2026-01-01T00:00:00Z' });
const fired: string[] = [];
clock.schedule(30_000, () => fired.push(`retry at ${new Date(clock.wallNow()).toISOString()}`));
clock.schedule(10_000, () => fired.push(`health poll at ${new Date(clock.wallNow()).toISOString()}`));
clock.advance(60_000);
console.log('fake clock fired, in time order:');
for (const line of fired) console.log(`  ${line}`);

const bad = new ConfigError('createLatencyTracker', [
  { field: 'maxKeys', received: '-5', expected: 'a number > 0' },
]);
console.log(`\nConfigError ${bad.code}:\n  ${bad.message}`);

const error: unknown = new TimeoutError(250);
if (isSreError(error, ErrorCode.TIMEOUT))
  console.log(`\nbranch on codes, not messages: ${error.code} (${error.message})`);
