// Real-shaped Node errors for the grouping test, hand-labelled: errors with the same `group` are the
// same problem (one fix makes them all go away); different groups are different problems. Stacks are
// written as V8 prints them for an app deployed at /srv/app, from pg, pg-pool, redis, undici/fetch,
// zod, node:net and the app itself, unminified and minified; members of a group differ in ids, uuids,
// timestamps, addresses and line/column numbers (a redeploy shifts lines).

/** The application root the fixtures were "deployed" at. */
export const FIXTURE_ROOT = '/srv/app';

/** One labelled error. */
export interface LabelledError {
  readonly group: string;
  readonly error: unknown;
}

type Extra = { code?: unknown; cause?: unknown; fingerprint?: unknown; detail?: string };

function make(
  Ctor: ErrorConstructor,
  name: string,
  message: string,
  frames: readonly string[],
  extra: Extra = {},
) {
  const error = new Ctor(message);
  if (error.name !== name)
    Object.defineProperty(error, 'name', { value: name, configurable: true, writable: true });
  error.stack = `${name}: ${message}\n${frames.map((f) => `    at ${f}`).join('\n')}`;
  return Object.assign(error, extra);
}

const E = (name: string, message: string, frames: readonly string[], extra?: Extra) =>
  make(Error, name, message, frames, extra);
const T = (message: string, frames: readonly string[], extra?: Extra) =>
  make(TypeError, 'TypeError', message, frames, extra);

// ---- frames ---------------------------------------------------------------------------------------

const pgParse = [
  'Parser.parseErrorMessage (/srv/app/node_modules/pg-protocol/dist/parser.js:283:98)',
  'Parser.handlePacket (/srv/app/node_modules/pg-protocol/dist/parser.js:122:29)',
  'Parser.parse (/srv/app/node_modules/pg-protocol/dist/parser.js:35:38)',
  'Socket.<anonymous> (/srv/app/node_modules/pg-protocol/dist/index.js:11:42)',
  'Socket.emit (node:events:519:28)',
];
const insertOrder = (a: number, b: number) => [
  ...pgParse,
  `async insertOrder (/srv/app/src/db/orders.ts:${a}:5)`,
  `async createOrder (/srv/app/src/routes/orders.ts:${b}:19)`,
];
const netConnect = ['TCPConnectWrap.afterConnect [as oncomplete] (node:net:1607:16)'];
const poolQuery = (a: number, b: number, caller: string) => [
  '/srv/app/node_modules/pg-pool/index.js:45:11',
  'process.processTicksAndRejections (node:internal/process/task_queues:95:5)',
  `async query (/srv/app/src/db/pool.ts:${a}:18)`,
  caller.replace('LINE', String(b)),
];
const redisParser = [
  'parseError (/srv/app/node_modules/redis-parser/lib/parser.js:179:12)',
  'parseType (/srv/app/node_modules/redis-parser/lib/parser.js:302:14)',
  'JavascriptRedisParser.execute (/srv/app/node_modules/redis-parser/lib/parser.js:563:20)',
  'Socket.<anonymous> (/srv/app/node_modules/ioredis/built/DataHandler.js:31:20)',
  'Socket.emit (node:events:519:28)',
];
const undici = [
  'node:internal/deps/undici/undici:13502:13',
  'process.processTicksAndRejections (node:internal/process/task_queues:105:5)',
];
const zodParse = [
  'get error [as error] (/srv/app/node_modules/zod/lib/types.js:55:31)',
  'ZodObject.parse (/srv/app/node_modules/zod/lib/types.js:160:22)',
];
const zodIssues = (field: string, expected: string, received: string) =>
  JSON.stringify(
    [
      {
        code: 'invalid_type',
        expected,
        received,
        path: [field],
        message: `Expected ${expected}, received ${received}`,
      },
    ],
    null,
    2,
  );

// ---- the fixtures ---------------------------------------------------------------------------------

export const NODE_ERRORS: readonly LabelledError[] = [
  // pg: unique violation on insert, across a deploy (line shift) and with different keys.
  ...[
    [88, 41, '(external_id)=(ord_8f3a2c)'],
    [88, 41, '(external_id)=(ord_11b9e0)'],
    [93, 44, '(external_id)=(ord_77d201)'],
  ].map(([a, b, key]) => ({
    group: 'pg unique violation on order insert',
    error: E(
      'error',
      'duplicate key value violates unique constraint "orders_external_id_key"',
      insertOrder(a as number, b as number),
      {
        code: '23505',
        detail: `Key ${key as string} already exists.`,
      },
    ),
  })),
  // pg: a deadlock in the same insert is another problem.
  ...[88, 93].map((a) => ({
    group: 'pg deadlock on order insert',
    error: E('error', `deadlock detected`, insertOrder(a, 41), {
      code: '40P01',
      detail: 'Process 4120 waits for ShareLock on transaction 99120; blocked by process 4188.',
    }),
  })),
  // Postgres refusing connections: only node:net frames; replicas differ by address.
  ...['10.0.3.12', '10.0.3.13', '10.0.3.12'].map((ip) => ({
    group: 'postgres refuses connections',
    error: E('Error', `connect ECONNREFUSED ${ip}:5432`, netConnect, { code: 'ECONNREFUSED' }),
  })),
  // Redis refusing connections: the same frames and code, another service (port).
  ...['127.0.0.1', '10.0.4.2'].map((ip) => ({
    group: 'redis refuses connections',
    error: E('Error', `connect ECONNREFUSED ${ip}:6379`, netConnect, { code: 'ECONNREFUSED' }),
  })),
  // Postgres timing out on connect: same frames, another code.
  ...['10.0.3.12', '10.0.3.14'].map((ip) => ({
    group: 'postgres connect timeout',
    error: E('Error', `connect ETIMEDOUT ${ip}:5432`, netConnect, { code: 'ETIMEDOUT' }),
  })),
  // pg-pool exhausted while reading an order, across a deploy.
  ...[
    [22, 40],
    [24, 40],
    [24, 43],
  ].map(([a, b]) => ({
    group: 'pool timeout reading an order',
    error: E(
      'Error',
      'timeout exceeded when trying to connect',
      poolQuery(a as number, b as number, 'async getOrder (/srv/app/src/services/orders.ts:LINE:5)'),
    ),
  })),
  // The same pool timeout while listing users: another call site, another group.
  ...[61, 66].map((b) => ({
    group: 'pool timeout listing users',
    error: E(
      'Error',
      'timeout exceeded when trying to connect',
      poolQuery(22, b, 'async listUsers (/srv/app/src/services/users.ts:LINE:12)'),
    ),
  })),
  // redis replies: only library frames, so the message tells them apart.
  ...['user:4411:cart', 'user:90210:cart'].map((key) => ({
    group: 'redis WRONGTYPE',
    error: E('ReplyError', 'WRONGTYPE Operation against a key holding the wrong kind of value', redisParser, {
      command: { name: 'lpush', args: [key] },
    } as Extra),
  })),
  ...[1, 2].map(() => ({
    group: 'redis max clients',
    error: E('ReplyError', 'ERR max number of clients reached', redisParser),
  })),
  // fetch to the inventory service: DNS failure vs reset, told apart by the cause's code.
  ...[
    [18, 77],
    [18, 77],
    [19, 80],
  ].map(([a, b]) => ({
    group: 'inventory host not found',
    error: T(
      'fetch failed',
      [
        ...undici,
        `async fetchInventory (/srv/app/src/clients/inventory.ts:${a}:20)`,
        `async reserveStock (/srv/app/src/services/orders.ts:${b}:3)`,
      ],
      {
        cause: Object.assign(new Error('getaddrinfo ENOTFOUND inventory.internal'), {
          code: 'ENOTFOUND',
          hostname: 'inventory.internal',
        }),
      },
    ),
  })),
  ...[18, 19].map((a) => ({
    group: 'inventory connection reset',
    error: T(
      'fetch failed',
      [
        ...undici,
        `async fetchInventory (/srv/app/src/clients/inventory.ts:${a}:20)`,
        'async reserveStock (/srv/app/src/services/orders.ts:77:3)',
      ],
      {
        cause: Object.assign(new Error('read ECONNRESET'), {
          code: 'ECONNRESET',
          errno: -104,
          syscall: 'read',
        }),
      },
    ),
  })),
  // fetch failing the same way from the pricing client: a different call site.
  ...[31, 33].map((a) => ({
    group: 'pricing host not found',
    error: T(
      'fetch failed',
      [
        ...undici,
        `async fetchPrice (/srv/app/src/clients/pricing.ts:${a}:22)`,
        'async quote (/srv/app/src/routes/quotes.ts:12:17)',
      ],
      {
        cause: Object.assign(new Error('getaddrinfo ENOTFOUND pricing.internal'), { code: 'ENOTFOUND' }),
      },
    ),
  })),
  // undici's own headers timeout, from the payments client.
  ...[52, 55].map((a) => ({
    group: 'payments headers timeout',
    error: E(
      'HeadersTimeoutError',
      'Headers Timeout Error',
      [
        'Timeout.onParserTimeout [as callback] (/srv/app/node_modules/undici/lib/dispatcher/client-h1.js:645:28)',
        'Timeout.onTimeout [as _onTimeout] (/srv/app/node_modules/undici/lib/util/timers.js:162:13)',
        'listOnTimeout (node:internal/timers:594:17)',
        `async charge (/srv/app/src/clients/payments.ts:${a}:18)`,
        'async checkout (/srv/app/src/routes/checkout.ts:29:5)',
      ],
      { code: 'UND_ERR_HEADERS_TIMEOUT' },
    ),
  })),
  // zod: different issues from one call site are one problem (the create-user payload check).
  ...[
    ['email', 'string', 'number', 14],
    ['name', 'string', 'undefined', 14],
    ['email', 'string', 'null', 15],
  ].map(([field, expected, received, line]) => ({
    group: 'create user payload invalid',
    error: E('ZodError', zodIssues(field as string, expected as string, received as string), [
      ...zodParse,
      `createUser (/srv/app/src/routes/users.ts:${line as number}:36)`,
      'Layer.handle [as handle_request] (/srv/app/node_modules/express/lib/router/layer.js:95:5)',
    ]),
  })),
  ...[22, 23].map((line) => ({
    group: 'update profile payload invalid',
    error: E('ZodError', zodIssues('bio', 'string', 'number'), [
      ...zodParse,
      `updateProfile (/srv/app/src/routes/users.ts:${line}:36)`,
      'Layer.handle [as handle_request] (/srv/app/node_modules/express/lib/router/layer.js:95:5)',
    ]),
  })),
  // TypeError: one message from two call sites is two problems.
  ...[
    [12, "reading 'id'"],
    [12, "reading 'id'"],
    [15, "reading 'total'"],
  ].map(([line, what]) => ({
    group: 'formatOrder reads undefined',
    error: T(`Cannot read properties of undefined (${what as string})`, [
      `formatOrder (/srv/app/src/services/orders.ts:${line as number}:24)`,
      'Array.map (<anonymous>)',
      'listOrders (/srv/app/src/routes/orders.ts:60:28)',
    ]),
  })),
  ...[8, 9].map((line) => ({
    group: 'formatUser reads undefined',
    error: T("Cannot read properties of undefined (reading 'id')", [
      `formatUser (/srv/app/src/services/users.ts:${line}:19)`,
      'Array.map (<anonymous>)',
      'listUsers (/srv/app/src/routes/users.ts:31:26)',
    ]),
  })),
  // One helper throwing for two callers: the caller is the problem (sentry #42006 over-grouping).
  ...['4411', '4498'].map((id) => ({
    group: 'order not found',
    error: E('NotFoundError', `Order ${id} not found`, [
      'notFound (/srv/app/src/lib/http-errors.ts:7:9)',
      'getOrder (/srv/app/src/services/orders.ts:33:11)',
      'async show (/srv/app/src/routes/orders.ts:22:17)',
    ]),
  })),
  ...['3f2c9a1e-8d4b-4c1a-9e7f-2b6d5a4c3e1f', '0b9e6c2d-1a3f-4e5b-8c7d-6f5e4d3c2b1a'].map((id) => ({
    group: 'user not found',
    error: E('NotFoundError', `User ${id} not found`, [
      'notFound (/srv/app/src/lib/http-errors.ts:7:9)',
      'getUser (/srv/app/src/services/users.ts:18:11)',
      'async profile (/srv/app/src/routes/users.ts:40:17)',
    ]),
  })),
  // A minified bundle: columns move with every build, names are short but stable within a build.
  ...[48213, 48390].map((column) => ({
    group: 'bundle: items not an array',
    error: T('e.map is not a function', [
      `Ur (/srv/app/dist/server.min.js:1:${column})`,
      'async Object.handler (/srv/app/dist/server.min.js:1:90312)',
    ]),
  })),
  // Anonymous frames only in the bundle: the message tells the problems apart.
  ...[1234, 1301].map((column) => ({
    group: 'bundle: payments url missing',
    error: E('Error', 'Missing config key PAYMENTS_URL', [
      `/srv/app/dist/server.min.js:1:${column}`,
      'node:internal/modules/run_main:123:5',
    ]),
  })),
  ...[1234, 1301].map((column) => ({
    group: 'bundle: invalid state',
    error: E('Error', 'Invalid state transition from pending to shipped for order 5512', [
      `/srv/app/dist/server.min.js:1:${column}`,
      'node:internal/modules/run_main:123:5',
    ]),
  })),
  // JSON from an upstream that answered HTML (Node 20 wording), positions vary.
  ...[
    ['<', '"<!DOCTYPE "...', 31],
    ['<', '"<html><hea"...', 31],
    ['<', '"<!DOCTYPE "...', 34],
  ].map(([token, snippet, line]) => ({
    group: 'inventory answered html',
    error: make(
      SyntaxError,
      'SyntaxError',
      `Unexpected token '${token as string}', ${snippet as string} is not valid JSON`,
      [
        'JSON.parse (<anonymous>)',
        `parseBody (/srv/app/src/clients/inventory.ts:${line as number}:15)`,
        'async fetchInventory (/srv/app/src/clients/inventory.ts:19:10)',
      ],
    ),
  })),
  // A socket hang up from the http client: Node frames only.
  ...[1, 2].map(() => ({
    group: 'upstream socket hang up',
    error: E(
      'Error',
      'socket hang up',
      [
        'Socket.socketOnEnd (node:_http_client:524:23)',
        'Socket.emit (node:events:531:35)',
        'endReadableNT (node:internal/streams/readable:1696:12)',
      ],
      { code: 'ECONNRESET' },
    ),
  })),
  // Aborted fetches (DOMException AbortError has a numeric code).
  ...[44, 47].map((line) => ({
    group: 'search aborted',
    error: E(
      'AbortError',
      'This operation was aborted',
      [...undici, `async search (/srv/app/src/clients/search.ts:${line}:16)`],
      { code: 20 },
    ),
  })),
  // A body too large for the parser: library frames only.
  ...['1048577', '2097152'].map((length) => ({
    group: 'payload too large',
    error: E('PayloadTooLargeError', `request entity too large (expected ${length} bytes, limit 1048576)`, [
      'readStream (/srv/app/node_modules/raw-body/index.js:163:17)',
      'getRawBody (/srv/app/node_modules/raw-body/index.js:116:12)',
      'read (/srv/app/node_modules/body-parser/lib/read.js:79:3)',
    ]),
  })),
  // ESM code, stack frames as file URLs.
  ...[10, 11].map((line) => ({
    group: 'health dependency failed',
    error: E('Error', 'Dependency cache is not ready (started 2024-01-15T10:00:00.123Z)', [
      `checkCache (file:///srv/app/src/health/cache.mjs:${line}:9)`,
      'async Promise.all (index 1)',
      'async handler (file:///srv/app/src/health/index.mjs:20:5)',
    ]),
  })),
  // Deep recursion: the top frames are all the same function.
  ...[40, 41].map((line) => ({
    group: 'tree walk recursion',
    error: make(
      RangeError,
      'RangeError',
      'Maximum call stack size exceeded',
      Array.from({ length: 10 }, () => `walk (/srv/app/src/lib/tree.ts:${line}:12)`),
    ),
  })),
  // An explicit fingerprint wins over the stack: declined payments are one problem wherever seen.
  ...[
    ['Card ending 4242 declined: insufficient_funds', 'chargeCard (/srv/app/src/payments/cards.ts:30:11)'],
    ['Card ending 1881 declined: do_not_honor', 'retryCharge (/srv/app/src/payments/retry.ts:12:7)'],
  ].map(([message, frame]) => ({
    group: 'payment declined',
    error: E(
      'PaymentError',
      message as string,
      [frame as string, 'async checkout (/srv/app/src/routes/checkout.ts:29:5)'],
      {
        fingerprint: ['payment-declined'],
      },
    ),
  })),
  // Thrown strings (no stack at all): the text is all there is.
  ...['boom: queue 12 stalled', 'boom: queue 31 stalled'].map((text) => ({
    group: 'thrown queue stall string',
    error: text,
  })),
];

/**
 * Cases the fingerprint gets wrong by design, kept apart and pinned so the limits stay known (and a
 * change that fixes them shows): without source lines, two `assert()`s in one function share every
 * frame; a function renamed by a refactor is a new call site.
 */
export const KNOWN_LIMITS: readonly LabelledError[] = [
  ...['ship_1182', 'ship_2210'].map((id) => ({
    group: 'shipment address missing',
    error: E('AssertionError', `Invariant failed: address missing for ${id}`, [
      'invariant (/srv/app/src/lib/assert.ts:4:11)',
      'createShipment (/srv/app/src/services/shipping.ts:27:3)',
      'async ship (/srv/app/src/routes/shipping.ts:15:20)',
    ]),
  })),
  ...['ship_1182', 'ship_3001'].map((id) => ({
    group: 'shipment weight not positive',
    error: E('AssertionError', `Invariant failed: weight must be positive for ${id}`, [
      'invariant (/srv/app/src/lib/assert.ts:4:11)',
      'createShipment (/srv/app/src/services/shipping.ts:31:3)',
      'async ship (/srv/app/src/routes/shipping.ts:15:20)',
    ]),
  })),
  {
    group: 'order not found',
    error: E('NotFoundError', 'Order 5120 not found', [
      'notFound (/srv/app/src/lib/http-errors.ts:7:9)',
      'fetchOrder (/srv/app/src/services/orders.ts:33:11)',
      'async show (/srv/app/src/routes/orders.ts:22:17)',
    ]),
  },
];
