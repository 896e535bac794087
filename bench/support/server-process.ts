// Runs one bench server in its own `node` process (its own JIT, heap and event loop, away from the
// load generator) and stops it again. The server prints its port on stdout when it listens, and exits
// when its stdin closes, so a crashed bench leaves no server behind. Asked on stdin, it reports its CPU
// time, which the machine's other load disturbs far less than throughput.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

/** CPU time in µs, as `process.cpuUsage()` reports it. */
export interface CpuTime {
  readonly user: number;
  readonly system: number;
}

const NO_CPU: CpuTime = { user: Number.NaN, system: Number.NaN };

/** A started server: where to send load, and how to stop it. */
export interface ServerProcess {
  readonly url: string;
  /** The server process's CPU time so far, in µs: user (JavaScript, GC) and system (the kernel: sockets). */
  cpuMicros(): Promise<CpuTime>;
  stop(): Promise<void>;
}

const STARTUP_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 5_000;

/**
 * Starts `node <args> <variant>` (a server from build-servers.ts) and resolves once it prints its
 * port; `name` labels errors.
 */
export function startServer(name: string, args: readonly string[], variant: string): Promise<ServerProcess> {
  const child = spawn(process.execPath, [...args, variant], { stdio: ['pipe', 'pipe', 'inherit'] });
  return new Promise<ServerProcess>((resolve, reject) => {
    const fail = (why: string): void => {
      child.kill('SIGKILL');
      reject(new Error(`${name} ${variant}: ${why}`));
    };
    const timer = setTimeout(() => fail('no port printed in time'), STARTUP_TIMEOUT_MS);
    child.once('error', (error) => fail(error.message));
    child.once('exit', (code, signal) => fail(`exited early (${code ?? signal})`));
    const lines = createInterface({ input: child.stdout });
    // Answers to `cpu` questions, in order: the server answers one at a time.
    const waiting: Array<(cpu: CpuTime) => void> = [];
    lines.once('line', (line) => {
      clearTimeout(timer);
      child.removeAllListeners('exit');
      const port = Number(line.trim());
      if (!Number.isInteger(port) || port <= 0) return fail(`printed "${line}" instead of a port`);
      lines.on('line', (answer) => {
        const [tag, user, system] = answer.split(' ');
        if (tag === 'cpu') waiting.shift()?.({ user: Number(user), system: Number(system) });
      });
      // A server that dies answers no more questions: NaN shows up in the table instead of a hang.
      child.once('exit', () => {
        for (const done of waiting.splice(0)) done(NO_CPU);
      });
      resolve({
        url: `http://127.0.0.1:${port}`,
        cpuMicros: () =>
          new Promise<CpuTime>((done) => {
            if (child.exitCode !== null || child.signalCode !== null) return done(NO_CPU);
            waiting.push(done);
            child.stdin.write('cpu\n');
          }),
        stop: () => stopChild(child),
      });
    });
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise<void>((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.stdin?.end();
  });
}
