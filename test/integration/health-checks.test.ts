// The network checks against real servers on 127.0.0.1: HTTP and TCP (including a server that accepts
// and never answers) and TLS certificate expiry with certificates generated here.
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createNetServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { generate } from 'selfsigned';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checks, createHealthRegistry, toHealthJson, type HealthCheckDefinition } from 'sre-kit';
import { createFakeClock } from 'sre-kit/testing';

const servers: Server[] = [];
const sockets = new Set<Socket>();

async function listen<S extends Server>(server: S): Promise<number> {
  servers.push(server);
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
});

const run = (check: HealthCheckDefinition, signal = new AbortController().signal) =>
  Promise.resolve(check.run({ signal }));

let okPort: number;
let failingPort: number;
let silentPort: number;
let closedPort: number;
const silentConnections: Socket[] = [];

beforeAll(async () => {
  okPort = await listen(
    createHttpServer((req, res) => {
      res.writeHead(req.url === '/created' ? 201 : 200, { 'content-type': 'text/plain' }).end('ok');
    }),
  );
  failingPort = await listen(
    createHttpServer((_req, res) => res.writeHead(503, { 'retry-after': '5' }).end('down')),
  );
  // Accepts the connection, reads the request, never writes a byte.
  silentPort = await listen(
    createNetServer((socket) => {
      silentConnections.push(socket);
      socket.resume();
    }),
  );
  const closed = createNetServer();
  closedPort = await listen(closed);
  await new Promise((resolve) => closed.close(resolve));
});

describe('checks.http', () => {
  it('passes on a 2xx and reports the response time in ms', async () => {
    const result = await run(checks.http({ url: `http://127.0.0.1:${okPort}/livez` }));
    expect(result).toMatchObject({ status: 'pass', observedUnit: 'ms' });
    expect((result as { observedValue: number }).observedValue).toBeGreaterThanOrEqual(0);
  });

  it('fails on an unexpected status and honours expectStatus', async () => {
    expect(await run(checks.http({ url: `http://127.0.0.1:${failingPort}/` }))).toMatchObject({
      status: 'fail',
      output: 'unexpected HTTP status 503 (retry after 5)',
    });
    expect(
      await run(checks.http({ url: `http://127.0.0.1:${okPort}/`, expectStatus: [201, 204] })),
    ).toMatchObject({ status: 'fail', output: 'unexpected HTTP status 200' });
    expect(
      await run(checks.http({ url: `http://127.0.0.1:${okPort}/created`, expectStatus: 201 })),
    ).toMatchObject({ status: 'pass' });
  });

  it('fails at the registry timeout against a server that accepts and never answers, and hangs up', async () => {
    const health = createHealthRegistry({ defaultTimeoutMs: 200, exposeDetails: true });
    health.register('silent', checks.http({ url: `http://127.0.0.1:${silentPort}/` }));
    const before = silentConnections.length;
    const result = await health.check();
    expect(result.checks[0]).toMatchObject({
      status: 'fail',
      output: 'timed out',
      measurement: 'responseTime',
    });
    expect(toHealthJson(result).httpStatus).toBe(503);
    // The aborted request's socket is closed, not left hanging on the dependency.
    const socket = silentConnections[before];
    expect(socket).toBeDefined();
    await new Promise<void>((resolve) =>
      socket?.closed === true ? resolve() : socket?.once('close', resolve),
    );
    health.close();
  });

  it('fails at its own timeoutMs when shorter than the registry’s', async () => {
    const result = await run(checks.http({ url: `http://127.0.0.1:${silentPort}/`, timeoutMs: 100 }));
    expect(result).toEqual({ status: 'fail', observedValue: 100, observedUnit: 'ms', output: 'timed out' });
  });

  it('fails with the error of a refused connection', async () => {
    await expect(run(checks.http({ url: `http://127.0.0.1:${closedPort}/` }))).rejects.toThrow(
      /ECONNREFUSED/,
    );
    const health = createHealthRegistry({ exposeDetails: true });
    health.register('down', checks.http({ url: `http://127.0.0.1:${closedPort}/` }));
    const [check] = (await health.check()).checks;
    expect(check?.status).toBe('fail');
    expect(check?.output).toMatch(/ECONNREFUSED/);
  });
});

describe('checks.tcp', () => {
  it('passes when the port accepts, even if the server never answers', async () => {
    for (const port of [okPort, silentPort]) {
      const result = await run(checks.tcp({ host: '127.0.0.1', port }));
      expect(result).toMatchObject({ status: 'pass', observedUnit: 'ms' });
    }
  });

  it('fails on a refused connection', async () => {
    const health = createHealthRegistry({ exposeDetails: true });
    health.register('db', checks.tcp({ host: '127.0.0.1', port: closedPort }), {
      componentType: 'datastore',
    });
    const result = await health.check();
    expect(result.status).toBe('fail');
    expect(result.checks[0]?.output).toMatch(/ECONNREFUSED/);
    expect(toHealthJson(result, { exposeDetails: false }).body.checks).toEqual({
      'db:responseTime': [{ componentType: 'datastore', status: 'fail', time: result.checks[0]?.time }],
    });
  });

  it('stops connecting when its signal aborts', async () => {
    const controller = new AbortController();
    // 192.0.2.0/24 is TEST-NET-1: never routed, so the connect hangs until aborted (or fails fast offline).
    const pending = run(checks.tcp({ host: '192.0.2.1', port: 9 }), controller.signal);
    controller.abort(new Error('check timed out'));
    await expect(pending).rejects.toThrow();
  });
});

describe('checks.tlsCertificate', () => {
  const now = Date.now();
  const DAY = 86_400_000;
  const httpsPorts = new Map<number, number>();
  // Each certificate is self-signed, so it is its own CA: the check is given its PEM to trust.
  const certs = new Map<number, string>();

  beforeAll(async () => {
    for (const days of [60, 10, 3, -1]) {
      const cert = await generate([{ name: 'commonName', value: 'localhost' }], {
        keyType: 'ec',
        algorithm: 'sha256',
        notBeforeDate: new Date(now - 30 * DAY),
        notAfterDate: new Date(now + days * DAY),
      });
      const port = await listen(
        createHttpsServer({ key: cert.private, cert: cert.cert }, (_req, res) => res.end('ok')) as HttpServer,
      );
      httpsPorts.set(days, port);
      certs.set(days, cert.cert);
    }
  });
  const clock = createFakeClock({ start: now });
  const check = (days: number, extra: object = {}) =>
    checks.tlsCertificate(
      { host: '127.0.0.1', port: httpsPorts.get(days) ?? 0, ca: certs.get(days) ?? '', ...extra },
      { clock },
    );

  it('passes far from expiry, warns within 30 days, fails within 7', async () => {
    expect(await run(check(60))).toEqual({ status: 'pass', observedValue: 60, observedUnit: 'days' });
    expect(await run(check(10))).toMatchObject({ status: 'warn', observedValue: 10, observedUnit: 'days' });
    const failed = await run(check(3));
    expect(failed).toMatchObject({ status: 'fail', observedValue: 3, observedUnit: 'days' });
    expect((failed as { output: string }).output).toMatch(/^certificate expires in 3 days, at \d{4}-/);
  });

  it('trusts a CA given as bytes: a Buffer, a plain Uint8Array, or a list of them', async () => {
    const pem = certs.get(60) ?? '';
    const port = httpsPorts.get(60) ?? 0;
    for (const ca of [Buffer.from(pem), new TextEncoder().encode(pem), [new TextEncoder().encode(pem)]]) {
      expect(await run(checks.tlsCertificate({ host: '127.0.0.1', port, ca }, { clock }))).toEqual({
        status: 'pass',
        observedValue: 60,
        observedUnit: 'days',
      });
    }
  });

  it('fails an expired certificate, reporting negative days', async () => {
    const result = await run(check(-1, { rejectUnauthorized: false }));
    expect(result).toMatchObject({ status: 'fail', observedValue: -1 });
    expect((result as { output: string }).output).toMatch(/^certificate expired at /);
  });

  it('fails an untrusted certificate unless told to only read its expiry', async () => {
    const untrusted = { host: '127.0.0.1', port: httpsPorts.get(10) ?? 0 };
    expect(await run(checks.tlsCertificate(untrusted, { clock }))).toMatchObject({
      status: 'fail',
      observedValue: 10,
      output: expect.stringMatching(/^certificate not trusted: /) as unknown,
    });
    expect(
      await run(checks.tlsCertificate({ ...untrusted, rejectUnauthorized: false }, { clock })),
    ).toMatchObject({
      status: 'warn',
      observedValue: 10,
    });
  });

  it('renders through the registry as certificateExpiry in days', async () => {
    const health = createHealthRegistry({ exposeDetails: true });
    health.register('tls', check(10), { critical: false });
    const { body, httpStatus } = toHealthJson(await health.check());
    expect(httpStatus).toBe(200);
    expect(body.status).toBe('warn');
    expect(body.checks?.['tls:certificateExpiry']?.[0]).toMatchObject({
      status: 'warn',
      observedValue: 10,
      observedUnit: 'days',
    });
  });
});
