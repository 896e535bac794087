// Runs one bench server in its own `node` process (its own JIT, heap and event loop, away from the
// load generator) and stops it again. The server prints its port on stdout when it listens, and exits
// when its stdin closes, so a crashed bench leaves no server behind. Asked on stdin, it reports its CPU
// time, which the machine's other load disturbs far less than throughput.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/** A started server: where to send load, and how to stop it. */
export interface ServerProcess {
  readonly url: string;
  /** The server process's CPU time (user + system) so far, in µs. */
  cpuMicros(): Promise<number>;
  stop(): Promise<void>;
}

const STARTUP_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 5_000;

/** Starts `bench/support/<server>.ts <variant>` and resolves once it prints its port. */
export function startServer(server: string, variant: string): Promise<ServerProcess> {
  const file = fileURLToPath(new URL(`./${server}.ts`, import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', file, variant], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  return new Promise<ServerProcess>((resolve, reject) => {
    const fail = (why: string): void => {
      child.kill('SIGKILL');
      reject(new Error(`${server} ${variant}: ${why}`));
    };
    const timer = setTimeout(() => fail('no port printed in time'), STARTUP_TIMEOUT_MS);
    child.once('error', (error) => fail(error.message));
    child.once('exit', (code, signal) => fail(`exited early (${code ?? signal})`));
    const lines = createInterface({ input: child.stdout });
    // Answers to `cpu` questions, in order: the server answers one at a time.
    const waiting: Array<(micros: number) => void> = [];
    lines.once('line', (line) => {
      clearTimeout(timer);
      child.removeAllListeners('exit');
      const port = Number(line.trim());
      if (!Number.isInteger(port) || port <= 0) return fail(`printed "${line}" instead of a port`);
      lines.on('line', (answer) => {
        if (answer.startsWith('cpu ')) waiting.shift()?.(Number(answer.slice(4)));
      });
      // A server that dies answers no more questions: NaN shows up in the table instead of a hang.
      child.once('exit', () => {
        for (const done of waiting.splice(0)) done(Number.NaN);
      });
      resolve({
        url: `http://127.0.0.1:${port}`,
        cpuMicros: () =>
          new Promise<number>((done) => {
            if (child.exitCode !== null || child.signalCode !== null) return done(Number.NaN);
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
