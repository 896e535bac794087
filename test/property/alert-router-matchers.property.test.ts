import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConfigError, createAlertRouter, type Notifier } from 'sre-kit';

// Fuzzes the alert router's matcher parser (issue 13, item 19) through its public API: every input is
// either a ConfigError naming the route and the matcher, or a matcher that reads exactly as the
// documented grammar says (name, operator, and a value that is one double-quoted string or an
// unquoted word free of reserved characters), checked by routing alerts built from that reading. So
// no stray quote or doubled operator is ever swallowed into a value that no alert can carry.

const RESERVED = /[\s{}!=~,\\"'`]/u;
const GRAMMAR = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*(=~|!~|!=|=)\s*(.*?)\s*$/su;
// Labels the router sets from the alert itself; a witness alert cannot carry an arbitrary value there.
const ALERT_FIELDS = new Set(['alertname', 'severity', 'service']);

interface Reading {
  readonly name: string;
  readonly op: '=' | '!=' | '=~' | '!~';
  readonly value: string;
}

/** The documented grammar, written apart from the implementation. */
function read(text: string): Reading | undefined {
  const match = GRAMMAR.exec(text);
  if (match === null) return undefined;
  const [, name, op, raw] = match as unknown as [string, string, Reading['op'], string];
  let value: string;
  if (raw.startsWith('"')) {
    try {
      value = JSON.parse(raw) as string;
    } catch {
      return undefined;
    }
  } else if (raw === '' || RESERVED.test(raw)) {
    return undefined;
  } else {
    value = raw;
  }
  if (op === '=~' || op === '!~') {
    try {
      new RegExp(`^(?:${value})$`, 'u');
    } catch {
      return undefined;
    }
  }
  return { name, op, value };
}

const noop: Notifier = { name: 'noop', notify: () => Promise.resolve() };

// A hostile alphabet: the grammar's own characters, quotes, escapes, regex syntax and whitespace.
const hostileChar = fc.constantFrom(
  ...'aZ_1 \t="\'`!~,{}\\.*|()[]^$+?-'.split(''),
  'severity',
  'critical',
  'env',
  '\\"',
);
const hostileText = fc.array(hostileChar, { maxLength: 12 }).map((parts) => parts.join(''));
const quoted = fc.string({ maxLength: 8 }).map((value) => JSON.stringify(value));
// Near misses of well-formed matchers: a valid shape with one part corrupted.
const nearMiss = fc
  .tuple(
    fc.constantFrom('env', 'team', 'x_1', '1a', '', 'severity'),
    fc.constantFrom('', ' '),
    fc.constantFrom('=', '!=', '=~', '!~', '==', '=!', '~', '!', '<>', '=="'),
    fc.constantFrom('', ' '),
    fc.oneof(
      quoted,
      quoted.map((q) => q.slice(0, -1)),
      quoted.map((q) => q.slice(1)),
      quoted.map((q) => `${q}"`),
      quoted.map((q) => `${q} x`),
      quoted.map((q) => `${q.slice(0, 2)}"${q.slice(2)}`),
      hostileText,
    ),
    fc.constantFrom('', ' ', '\n'),
  )
  .map((parts) => parts.join(''));

// Well-formed matchers, so that the accepted side is exercised as much as the rejected one.
const wellFormed = fc
  .tuple(
    fc.constantFrom('env', 'team', 'x_1', '_a'),
    fc.constantFrom('', ' '),
    fc.constantFrom('=', '!=', '=~', '!~'),
    fc.constantFrom('', ' '),
    fc.oneof(quoted, fc.stringMatching(/^[A-Za-z0-9_.*|+-]{1,8}$/)),
  )
  .map((parts) => parts.join(''));

function routes(router: ReturnType<typeof createAlertRouter>, labels: Record<string, string>): boolean {
  const before = router.stats().unrouted;
  router.send({ name: 'Fuzz', severity: 'warning', service: 'svc', summary: '', labels });
  return router.stats().unrouted === before;
}

describe('alert router matchers (fuzzed)', () => {
  it('every input is a ConfigError naming route and matcher, or reads exactly as the grammar says', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(wellFormed, nearMiss, hostileText), async (text) => {
        const reading = read(text);
        let router: ReturnType<typeof createAlertRouter>;
        try {
          router = createAlertRouter({ routes: [{ name: 'fuzzed', matchers: [text], notifiers: [noop] }] });
        } catch (error) {
          expect(error).toBeInstanceOf(ConfigError);
          expect(reading, 'rejected, yet the grammar reads it').toBeUndefined();
          const message = (error as ConfigError).message;
          expect(message).toContain('routes[0].matchers[0]');
          expect(message).toContain('route "fuzzed"');
          const shown = JSON.stringify(text);
          if (shown.length <= 60) expect(message).toContain(shown);
          return;
        }
        try {
          expect(reading, 'accepted, yet the grammar rejects it').toBeDefined();
          if (reading === undefined || ALERT_FIELDS.has(reading.name)) return;
          const { name, op, value } = reading;
          if (op === '=') {
            expect(routes(router, { [name]: value })).toBe(true);
            expect(routes(router, { [name]: `${value}\u0001` })).toBe(false);
          } else if (op === '!=') {
            expect(routes(router, { [name]: value })).toBe(false);
            expect(routes(router, { [name]: `${value}\u0001` })).toBe(true);
          } else {
            const regex = new RegExp(`^(?:${value})$`, 'u');
            for (const sample of [value, '', 'critical', 'env', 'a.b']) {
              expect(routes(router, { [name]: sample })).toBe(regex.test(sample) === (op === '=~'));
            }
          }
        } finally {
          await router.close();
        }
      }),
      { numRuns: 500 },
    );
  });
});
