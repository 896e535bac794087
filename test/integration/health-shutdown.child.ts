// Run by health-shutdown.test.ts as a child process: a plain node:http server with a slow route and
// /readyz, shut down by gracefulShutdown when the parent sends SIGTERM.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHealthRegistry, gracefulShutdown, toProbeText } from 'sre-kit';

const health = createHealthRegistry({ service: 'child' });
health.register('self', () => {});

const server: Server = createServer((req, res) => {
  if (req.url === '/readyz') {
    void health.check({ probe: 'readiness' }).then((result) => {
      const { body, httpStatus } = toProbeText(result, { verbose: true });
      res.writeHead(httpStatus, { 'content-type': 'text/plain; charset=utf-8' }).end(body);
    });
    return;
  }
  if (req.url === '/slow') {
    console.log('slow request started');
    setTimeout(() => res.end('slow done'), Number(process.env.SLOW_MS ?? 1_500));
    return;
  }
  res.writeHead(404).end();
});

// Long enough that only gracefulShutdown's idle sweeps, not the server's own timeout, can free the
// parent's keep-alive sockets before the shutdown deadline.
server.keepAliveTimeout = 60_000;

const exitCode = process.env.EXIT_CODE === undefined ? undefined : Number(process.env.EXIT_CODE);
gracefulShutdown(server, {
  health,
  drainDelayMs: 500,
  timeoutMs: 10_000,
  onShutdown: [() => console.log('hook ran'), () => health.close()],
  ...(exitCode === undefined ? {} : { exitCode }),
});

server.listen(0, '127.0.0.1', () => {
  console.log(`listening ${(server.address() as AddressInfo).port}`);
});
