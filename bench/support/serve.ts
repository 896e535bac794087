// What every bench server shares: the routes' answers, listening on loopback, telling the bench its
// port, answering its CPU-time questions, and exiting when the bench closes our stdin or sends SIGTERM
// (so no server outlives a crashed bench).
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createInterface } from 'node:readline';

/** The small JSON body of `GET /users/:id`. */
export const userBody = (id: string): { id: string; name: string; active: boolean } => ({
  id,
  name: `user ${id}`,
  active: true,
});

/** The small JSON body of `GET /orgs/:org/repos/:repo`. */
export const repoBody = (org: string, repo: string): { org: string; repo: string; stars: number } => ({
  org,
  repo,
  stars: repo.length,
});

/** The variant named on the command line, checked against the ones this server knows. */
export function variantArg<V extends string>(known: readonly V[]): V {
  const variant = process.argv[2];
  if (!known.includes(variant as V)) {
    console.error(`usage: <server>.ts ${known.join('|')}`);
    process.exit(2);
  }
  return variant as V;
}

/**
 * Prints the listening port (the bench's signal that we are ready), answers each `cpu` line on stdin
 * with this process's CPU time so far (`cpu <user µs> <system µs>`), and exits cleanly when stdin closes.
 */
export function announce(server: Server, close: () => Promise<void>): void {
  const { port } = server.address() as AddressInfo;
  process.stdout.write(`${port}\n`);
  let closing = false;
  const stop = (): void => {
    if (closing) return;
    closing = true;
    server.closeAllConnections();
    close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', stop);
  const lines = createInterface({ input: process.stdin });
  lines.on('line', (line) => {
    if (line.trim() !== 'cpu') return;
    const { user, system } = process.cpuUsage();
    process.stdout.write(`cpu ${user} ${system}\n`);
  });
  lines.once('close', stop);
}
