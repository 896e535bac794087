import { describe, expect, it } from 'vitest';
import { ConfigError, createErrorGroups, renderMetrics, type ErrorGroupsOptions } from 'sre-kit';
import { createFakeClock } from 'sre-kit/testing';
import { parameterize } from '../../../src/errors/index.js';

const MINUTE = 60_000;
const START = Date.UTC(2024, 0, 15, 10, 0, 0);

function setup(options: ErrorGroupsOptions = {}) {
  const clock = createFakeClock({ start: START });
  const errors = createErrorGroups({ inAppRoot: process.cwd(), ...options }, { clock });
  return { clock, errors };
}

// Real errors from real call sites in this file.
function loadOrder(id: number): Error {
  return new Error(`Order ${id} not found`);
}
function loadUser(id: number): Error {
  return new Error(`Order ${id} not found`); // the same message, another function
}
function failTwice(): [Error, Error] {
  const first = new TypeError('Cannot read properties of undefined');
  const second = new TypeError('Cannot read properties of undefined');
  return [first, second];
}

describe('createErrorGroups: options', () => {
  it('rejects bad options with a ConfigError naming the field', () => {
    const bad: Array<[unknown, string]> = [
      [{ maxGroups: 0 }, 'maxGroups'],
      [{ frames: 0 }, 'frames'],
      [{ routesPerGroup: 100 }, 'routesPerGroup'],
      [{ maxSeries: -1 }, 'maxSeries'],
      [{ inAppRoot: '' }, 'inAppRoot'],
      [{ exposeDetails: 'yes' }, 'exposeDetails'],
      [{ fingerprintCacheSize: 1.5 }, 'fingerprintCacheSize'],
      [{ maxMessageLength: 5 }, 'maxMessageLength'],
      [{ maxgroups: 10 }, 'maxgroups'],
    ];
    for (const [options, field] of bad) {
      let error: unknown;
      try {
        createErrorGroups(options as ErrorGroupsOptions);
      } catch (e) {
        error = e;
      }
      expect(error, JSON.stringify(options)).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).issues.map((i) => i.field)).toEqual([field]);
    }
  });
});

describe('parameterize', () => {
  it('replaces what varies between occurrences and keeps what names the problem', () => {
    const cases: Array<[string, string]> = [
      ['Order 4411 not found', 'Order <num> not found'],
      ['User 3f2c9a1e-8d4b-4c1a-9e7f-2b6d5a4c3e1f missing', 'User <uuid> missing'],
      ['object 65a1f0c2e4b0a1b2c3d4e5f6 is locked', 'object <hex> is locked'],
      ['bad pointer 0x7ffee4b2a8c0', 'bad pointer <hex>'],
      ['connect ECONNREFUSED 10.0.3.12:5432', 'connect ECONNREFUSED <ip>:5432'],
      ['listen EADDRINUSE: address already in use ::1', 'listen EADDRINUSE: address already in use <ip>'],
      ['peer fe80::1ff:fe23:4567:890a reset', 'peer <ip> reset'],
      ['GET https://api.example.com/v2/orders?id=12&token=abc failed', 'GET <url> failed'],
      ['cannot reach postgres://app:s3cret@db.internal:5432/orders', 'cannot reach <url>'],
      ['mail to bob.smith+tag@example.co.uk bounced', 'mail to <email> bounced'],
      ['expired at 2024-01-15T10:00:00.123Z', 'expired at <date>'],
      ['expired at 2024-01-15 10:00:00', 'expired at <date>'],
      ['since Mon, 15 Jan 2024 10:00:00 GMT', 'since <date>'],
      ['took 10:00:01.250 to run', 'took <time> to run'],
      [
        'token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.dBjftJeZ4CVPmB92K27uhbUJU1p1r_wW1gFWFOEjXk rejected',
        'token <token> rejected',
      ],
      ['api key sk_live_51HGq2CJk8Y3Zd9fQpL0mN7x rejected', 'api key <token> rejected'],
      ['retry 3 of 5 after 1.5 s', 'retry <num> of <num> after <num> s'],
      ['INC-2024-001 escalated', 'INC-<num>-<num> escalated'],
      [
        'utf8 decoder and sha256 hash in v2 of md5-free code',
        'utf8 decoder and sha256 hash in v2 of md5-free code',
      ],
      [
        'duplicate key value violates unique constraint "orders_pkey"',
        'duplicate key value violates unique constraint "orders_pkey"',
      ],
    ];
    for (const [input, expected] of cases) expect(parameterize(input, 300), input).toBe(expected);
  });

  it('cuts long messages and collapses whitespace', () => {
    expect(parameterize(`a  b\n\tc ${'x'.repeat(500)}`, 20)).toBe(`a b c ${'x'.repeat(13)}…`);
    expect(parameterize('y'.repeat(10_000_000), 50)).toHaveLength(50);
  });
});

describe('createErrorGroups: grouping real errors', () => {
  it('groups by type and in-app frames, located root-relative, never by line', () => {
    const { errors } = setup();
    const ids = [loadOrder(1), loadOrder(2), loadOrder(3)].map((e) => errors.capture(e));
    expect(new Set(ids).size).toBe(1);
    const [group] = errors.top();
    expect(group).toMatchObject({
      type: 'Error',
      message: 'Order <num> not found',
      location: 'test/unit/errors/error-groups.test.ts:loadOrder',
      count: 3,
      countError: 0,
    });
  });

  it("names a frame as its source does, without V8's repeated receiver", () => {
    const { errors } = setup({ inAppRoot: '/srv/app' });
    // What V8 prints, under tsx (esbuild's keepNames), for an arrow function assigned to a private
    // field in a constructor: the class once for the receiver and once in the inferred name.
    const frames = (fn: string) =>
      [
        'InjectedFaultError: Injected fault',
        `    at ${fn} (/srv/app/src/faults/injector.ts:105:55)`,
        '    at <anonymous> (/srv/app/src/faults/injector.ts:142:20)',
        '    at invoke (/srv/app/src/faults/invoke.ts:4:20)',
      ].join('\n');
    const error = (fn: string) => Object.assign(new Error('Injected fault'), { stack: frames(fn) });
    const doubled = errors.capture(error('Injector.Injector.#createError'));
    expect(errors.top()[0]?.location).toBe('src/faults/injector.ts:Injector.#createError');
    // The same code run without keepNames: one group.
    expect(errors.capture(error('Injector.#createError'))).toBe(doubled);
    // A name that only starts like its receiver is left alone.
    errors.capture(error('Order.OrderLine.total'));
    expect(errors.top().map((g) => g.location)).toContain('src/faults/injector.ts:Order.OrderLine.total');
  });

  it('splits one message thrown from two functions, and from two lines of one function', () => {
    const { errors } = setup();
    expect(errors.capture(loadOrder(1))).not.toBe(errors.capture(loadUser(1)));
    // Two throw sites in one function share every frame (no line numbers): one group, by design.
    const [a, b] = failTwice();
    expect(errors.capture(a)).toBe(errors.capture(b));
  });

  it('an explicit fingerprint wins, and "{{ default }}" extends the computed one', () => {
    const { errors } = setup();
    const tagged = (message: string, fingerprint: unknown) =>
      Object.assign(new Error(message), { fingerprint });
    expect(errors.capture(tagged('a', 'payments-declined'))).toBe(
      errors.capture(tagged('b', ['payments-declined'])),
    );
    const plain = loadOrder(1);
    const split = (tenant: string) => Object.assign(loadOrder(1), { fingerprint: ['{{ default }}', tenant] });
    expect(errors.capture(split('acme'))).not.toBe(errors.capture(split('globex')));
    expect(errors.capture(split('acme'))).not.toBe(errors.capture(plain));
    // A malformed fingerprint is ignored, not trusted.
    expect(errors.capture(Object.assign(loadOrder(1), { fingerprint: [1, 2] }))).toBe(errors.capture(plain));
  });

  it('the same stack with another error code is another group, not a stale cache hit', () => {
    const { errors } = setup();
    const stack = loadOrder(1).stack;
    const refused = Object.assign(new Error('connect failed'), { code: 'ECONNREFUSED', stack });
    const timedOut = Object.assign(new Error('connect failed'), { code: 'ETIMEDOUT', stack });
    expect(errors.capture(refused)).not.toBe(errors.capture(timedOut));
    expect(errors.capture(refused)).toBe(
      errors.capture(Object.assign(new Error('x'), { code: 'ECONNREFUSED', stack })),
    );
    // One entry per stack: the code that last missed is the one remembered.
    expect(errors.stats()).toMatchObject({ cacheHits: 1, cacheMisses: 3 });
  });

  it('takes anything thrown without throwing itself', () => {
    const { errors } = setup();
    const hostile = new Proxy(
      {},
      {
        get() {
          throw new Error('no reading me');
        },
      },
    );
    for (const value of ['boom', 42, null, undefined, Symbol('s'), { status: 404 }, [1, 2], () => 1]) {
      expect(() => errors.capture(value)).not.toThrow();
    }
    expect(() => errors.capture(hostile)).not.toThrow();
    expect(errors.stats().unreadable).toBe(1);
    expect(
      errors
        .top({ limit: 20 })
        .map((g) => g.type)
        .sort(),
    ).toEqual(
      [
        'Array',
        'Object',
        'UnreadableError',
        'function',
        'null',
        'number',
        'string',
        'symbol',
        'undefined',
      ].sort(),
    );
  });
});

describe('createErrorGroups: what a group records', () => {
  it('counts routes, keeps the latest sample redacted, and ignores bad context fields', () => {
    const { errors } = setup();
    const err = () => new Error('payment 7781 failed for bob@example.com');
    errors.capture(err(), {
      route: 'POST /checkout',
      status: 502,
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
    });
    errors.capture(err(), { route: 'POST /checkout', status: 502 });
    errors.capture(err(), { route: 'POST /retry', status: 503, traceId: '0af7651916cd43dd8448eb211c80319c' });
    errors.capture(err(), { route: 42 as unknown as string, status: 700, traceId: '' });
    errors.capture(err());
    const [group] = errors.top();
    expect(group!.routes).toEqual([
      { route: 'POST /checkout', count: 2 },
      { route: '__none__', count: 2 },
      { route: 'POST /retry', count: 1 },
    ]);
    expect(group!.sample).toEqual({ message: 'payment <num> failed for <email>', at: START });
    expect(JSON.stringify(errors.top())).not.toMatch(/bob@|7781|stack|at loadOrder/);
    expect(errors.stats().invalidContext).toBe(3);
    errors.capture(err(), { route: 'POST /retry', status: 503, traceId: '0af7651916cd43dd8448eb211c80319c' });
    expect(errors.top()[0]!.sample).toEqual({
      message: 'payment <num> failed for <email>',
      route: 'POST /retry',
      status: 503,
      traceId: '0af7651916cd43dd8448eb211c80319c',
      at: START,
    });
  });

  it('keeps per-minute counts for the last hour, and reading them changes nothing', () => {
    const { errors, clock } = setup();
    const capture = () => errors.capture(loadOrder(1));
    capture();
    capture();
    clock.advance(MINUTE);
    capture();
    clock.advance(30 * MINUTE);
    capture();
    let [group] = errors.top();
    expect(group!.perMinute).toHaveLength(60);
    expect(group!.perMinute.slice(-32)).toEqual([2, 1, ...Array<number>(29).fill(0), 1]);
    expect(group!.lastHour).toBe(4);
    // 40 minutes later the first two minutes have left the hour; reading twice gives the same.
    clock.advance(40 * MINUTE);
    expect(errors.top()).toEqual(errors.top());
    [group] = errors.top();
    expect(group!.lastHour).toBe(1);
    expect(group!.perMinute.indexOf(1)).toBe(59 - 40);
    // Two hours of silence, then one error: the ring is cleared, not stale.
    clock.advance(120 * MINUTE);
    capture();
    [group] = errors.top();
    expect(group!.lastHour).toBe(1);
    expect(group!.perMinute[59]).toBe(1);
    expect(group).toMatchObject({ count: 5, firstSeen: START, lastSeen: START + 191 * MINUTE });
  });

  it('filters by last seen and marks groups new since a change', () => {
    const { errors, clock } = setup();
    errors.capture(loadOrder(1));
    clock.advance(10 * MINUTE);
    const deployAt = clock.wallNow();
    errors.capture(loadUser(1));
    expect(errors.top({ since: deployAt }).map((g) => g.location)).toEqual([
      'test/unit/errors/error-groups.test.ts:loadUser',
    ]);
    const marked = errors.top({ newSince: { id: 'deploy-42', at: new Date(deployAt) } });
    expect(marked.map((g) => [g.location, g.newSince])).toEqual([
      ['test/unit/errors/error-groups.test.ts:loadUser', 'deploy-42'],
      ['test/unit/errors/error-groups.test.ts:loadOrder', undefined],
    ]);
    expect(errors.top({ limit: 1 })).toHaveLength(1);
  });

  it('announces a new group once, with its trace id', () => {
    const { errors } = setup();
    const seen: unknown[] = [];
    errors.on('newGroup', (e) => void seen.push(e));
    errors.capture(loadOrder(1), { route: 'GET /orders/:id', status: 500, traceId: 'abc123' });
    errors.capture(loadOrder(2), { route: 'GET /orders/:id', status: 500, traceId: 'def456' });
    expect(seen).toEqual([
      {
        fingerprint: expect.stringMatching(/^[0-9a-f]{16}$/),
        type: 'Error',
        message: 'Order <num> not found',
        location: 'test/unit/errors/error-groups.test.ts:loadOrder',
        route: 'GET /orders/:id',
        status: 500,
        traceId: 'abc123',
        at: START,
      },
    ]);
  });

  it('exposes the raw stack and frames only with exposeDetails', () => {
    const detailed = setup({ exposeDetails: true });
    const error = loadOrder(1);
    detailed.errors.capture(error);
    const sample = detailed.errors.top()[0]!.sample;
    expect(sample.stack).toBe(error.stack);
    expect(sample.frames?.[0]).toBe('test/unit/errors/error-groups.test.ts:loadOrder');
    const plain = setup();
    plain.errors.capture(error);
    expect(Object.keys(plain.errors.top()[0]!.sample)).toEqual(['message', 'at']);
  });
});

describe('createErrorGroups: bounded memory', () => {
  it('keeps maxGroups groups, states the overestimate, and remembers when an evicted group was first seen', () => {
    const { errors, clock } = setup({ maxGroups: 3 });
    const tagged = (key: string) => Object.assign(new Error(key), { fingerprint: key });
    const announced: string[] = [];
    errors.on('newGroup', (e) => void announced.push(e.message));
    for (let i = 0; i < 5; i++) errors.capture(tagged('a'));
    for (let i = 0; i < 3; i++) errors.capture(tagged('b'));
    errors.capture(tagged('c'));
    clock.advance(MINUTE);
    errors.capture(tagged('d')); // displaces c (count 1): d starts at 2 with error 1
    expect(errors.top().map((g) => [g.message, g.count, g.countError])).toEqual([
      ['a', 5, 0],
      ['b', 3, 0],
      ['d', 2, 1],
    ]);
    expect(errors.stats()).toMatchObject({
      captured: 10,
      groups: 3,
      distinct: 4,
      evicted: 1,
      maxCountError: 2,
    });
    clock.advance(MINUTE);
    errors.capture(tagged('c')); // back, displacing d
    const c = errors.top().find((g) => g.message === 'c');
    expect(c).toMatchObject({ count: 3, countError: 2, firstSeen: START });
    expect(announced).toEqual(['a', 'b', 'c', 'd']);
  });
});

describe('createErrorGroups: metrics', () => {
  it('exposes sre_errors_total{type,route} for the top (type, route) pairs only', () => {
    const { errors } = setup({ maxSeries: 2 });
    for (let i = 0; i < 3; i++) errors.capture(new TypeError('x'), { route: 'GET /a' });
    for (let i = 0; i < 2; i++) errors.capture(new RangeError('y'), { route: 'GET /b' });
    errors.capture(new Error('z'), { route: 'GET /c' }); // takes RangeError's slot? no: displaces the smallest (2)
    const text = renderMetrics([errors]);
    expect(text).toContain('# TYPE sre_errors_total counter');
    expect(text).toContain('sre_errors_total{type="TypeError",route="GET /a"} 3');
    // Error/GET /c displaced RangeError/GET /b (count 2): it reports only what is certainly its own.
    expect(text).toContain('sre_errors_total{type="Error",route="GET /c"} 1');
    expect(text).not.toContain('RangeError');
    expect(text).toContain('sre_errors_captured_total 6');
    expect(text).toContain('sre_error_groups 3');
    expect(text).toContain('sre_error_groups_evicted_total 0');
    expect(text.match(/^sre_errors_total\{/gm)).toHaveLength(2);
  });
});
