// Child process of the crash test: opens, notes and resolves incidents in a loop against a file store
// and prints each write once its promise has resolved. The parent SIGKILLs it at a random moment.
// stdout is a pipe, which Node writes synchronously on Linux: a printed line was acknowledged.
import { createFileIncidentStore, createIncidentRecorder } from '../../src/incidents/index.js';

const path = process.argv[2] as string;
const recorder = createIncidentRecorder({
  service: 'crash',
  // A small compaction threshold, so that kills also land in the middle of compactions.
  store: createFileIncidentStore({ path, compactAfterBytes: 16 * 1024 }),
});
await recorder.ready();
process.stdout.write('ready\n');
for (let i = 0; ; i++) {
  // Three opens at once exercise the batched append path.
  const opened = await Promise.all(
    [0, 1, 2].map(async (j) => {
      const incident = await recorder.open({
        title: `loop ${i}.${j}`,
        severity: 'P3',
        impact: 'x'.repeat(64),
      });
      process.stdout.write(`opened ${incident.id}\n`);
      return incident;
    }),
  );
  for (const incident of opened) {
    await recorder.note(incident.id, `note ${i}`);
    await recorder.resolve(incident.id, { resolution: 'fixed', automated: i % 2 === 0 });
    process.stdout.write(`resolved ${incident.id}\n`);
  }
}
