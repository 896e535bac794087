// Child process of the lock takeover race: on `go <path>` it loads a file incident store there and
// prints `won` or `locked <code>`; a winner holds the lock (so every loser of the race meets a live
// holder) until `release`, then closes the store and prints `released`. It lives for many rounds,
// so a round costs no process start-up, and exits when its stdin closes.
import { createInterface } from 'node:readline';
import { isSreError } from '../../src/core/index.js';
import { createFileIncidentStore, type IncidentStore } from '../../src/incidents/index.js';

let held: IncidentStore | undefined;
process.stdout.write('ready\n');
for await (const line of createInterface({ input: process.stdin })) {
  const [command, path] = line.split(' ');
  if (command === 'go' && path !== undefined) {
    const store = createFileIncidentStore({ path, fsync: false });
    try {
      await store.load();
      held = store;
      process.stdout.write('won\n');
    } catch (error) {
      process.stdout.write(isSreError(error) ? `locked ${error.code}\n` : `error ${String(error)}\n`);
    }
  } else if (command === 'release') {
    await held?.close();
    held = undefined;
    process.stdout.write('released\n');
  }
}
