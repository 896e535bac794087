// Crash test for the file incident store: a child process opens, notes and resolves incidents in a
// loop and is SIGKILLed at a random moment, many times. After each kill the store reopens (taking over
// the dead child's lock), every write the child saw acknowledged is there, nothing is duplicated, and
// ids keep increasing across runs. Finally a hand-torn file (half a line) reopens cleanly.
import { spawn } from 'node:child_process';
import { appendFile, readFile, truncate, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFileIncidentStore, createIncidentRecorder, type InternalErrorHandler } from 'sre-kit';
import { bundleChild, type ChildBundle } from '../helpers/child-bundle.js';

const BUDGET_MS = 25_000;
const MIN_RUNS = 12;
const MAX_RUNS = 60;

let bundle: ChildBundle;
let dir: string;
let child: string;

beforeAll(async () => {
  bundle = await bundleChild(join(import.meta.dirname, 'incidents-crash-child.ts'), 'sre-kit-crash-');
  ({ dir, entry: child } = bundle);
});

afterAll(() => bundle.remove());

interface Run {
  opened: string[];
  resolved: string[];
}

// Runs the child until a random moment after it is ready, then SIGKILLs it.
function runAndKill(path: string, killAfterMs: number): Promise<Run> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [child, path], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    proc.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      if (out === '' && chunk.startsWith('ready')) setTimeout(() => proc.kill('SIGKILL'), killAfterMs);
      out += chunk;
    });
    proc.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
    proc.on('error', reject);
    proc.on('exit', (code, signal) => {
      if (signal !== 'SIGKILL') return reject(new Error(`child exited ${code ?? signal}: ${err}`));
      const lines = out.split('\n');
      // The last line may itself be cut off by the kill: only whole lines count.
      const whole = out.endsWith('\n') ? lines : lines.slice(0, -1);
      resolve({
        opened: whole.filter((l) => l.startsWith('opened ')).map((l) => l.slice(7)),
        resolved: whole.filter((l) => l.startsWith('resolved ')).map((l) => l.slice(9)),
      });
    });
  });
}

const seqOf = (id: string): number => Number(id.slice(id.lastIndexOf('-') + 1));

describe('file incident store under SIGKILL', () => {
  it('keeps every acknowledged write, duplicates nothing, and never reuses an id', async () => {
    const path = join(dir, 'incidents.jsonl');
    const started = Date.now();
    const ackedOpen = new Set<string>();
    const ackedResolved = new Set<string>();
    let maxSeq = 0;
    let runs = 0;
    let tornTails = 0;
    let compacted = 0;
    let records = 0;
    while (runs < MAX_RUNS && (runs < MIN_RUNS || Date.now() - started < BUDGET_MS)) {
      runs++;
      const run = await runAndKill(path, 20 + Math.floor(Math.random() * 400));
      // Ids the child saw acknowledged: new, and above every id seen before (never reused).
      for (const id of run.opened) {
        expect(ackedOpen.has(id)).toBe(false);
        expect(seqOf(id)).toBeGreaterThan(maxSeq);
      }
      for (const id of run.opened) {
        ackedOpen.add(id);
        maxSeq = Math.max(maxSeq, seqOf(id));
      }
      for (const id of run.resolved) ackedResolved.add(id);

      const errors: unknown[] = [];
      const onInternalError: InternalErrorHandler = (error) => errors.push(error);
      const recorder = createIncidentRecorder(
        { service: 'crash', store: createFileIncidentStore({ path }, { onInternalError }) },
        { onInternalError },
      );
      await recorder.ready();
      for (const error of errors) {
        // The only thing a crash may leave is a torn tail; it is reported and cut away.
        expect(String(error)).toMatch(/torn tail/);
        tornTails++;
      }
      const held = new Map(recorder.list().map((incident) => [incident.id, incident]));
      for (const id of ackedOpen)
        expect(held.has(id), `acknowledged ${id} lost after run ${runs}`).toBe(true);
      for (const id of ackedResolved) expect(held.get(id)?.status, id).toBe('resolved');
      // Nothing duplicated: one opening (or snapshot) per id in the log.
      const lines = (await readFile(path, 'utf8')).trimEnd().split('\n');
      const seen = new Set<string>();
      for (const line of lines) {
        const record = JSON.parse(line);
        if (record.type === 'snapshot') compacted++;
        if (record.type !== 'opened' && record.type !== 'snapshot') continue;
        expect(seen.has(record.incident.id)).toBe(false);
        seen.add(record.incident.id);
      }
      records = lines.length;
      // The store's sequence is at least every id ever handed out.
      const next = await recorder.open({ title: 'probe', severity: 'P5' });
      expect(seqOf(next.id)).toBeGreaterThan(maxSeq);
      maxSeq = seqOf(next.id);
      ackedOpen.add(next.id);
      await recorder.close();
    }
    expect(runs).toBeGreaterThanOrEqual(MIN_RUNS);
    expect(ackedOpen.size).toBeGreaterThan(runs);
    console.log(
      `crash test: ${runs} SIGKILLs, ${ackedOpen.size} acknowledged opens and ${ackedResolved.size} resolves all ` +
        `recovered, ${tornTails} torn tails repaired, ${compacted > 0 ? 'compactions seen' : 'no compaction seen'}, ` +
        `${records} records in the final log, ${Date.now() - started} ms`,
    );

    // A hand-torn file: cut the last line in half.
    const size = (await stat(path)).size;
    const text = await readFile(path, 'utf8');
    const lastStart = text.lastIndexOf('\n', text.length - 2) + 1;
    await truncate(path, lastStart + Math.floor((size - lastStart) / 2));
    const errors: unknown[] = [];
    const recorder = createIncidentRecorder({
      service: 'crash',
      store: createFileIncidentStore({ path }, { onInternalError: (error) => errors.push(error) }),
    });
    await recorder.ready();
    expect(errors.map(String)).toEqual([expect.stringMatching(/torn tail/)]);
    expect(recorder.list().length).toBeGreaterThan(0);
    await recorder.close();
    expect((await readFile(path, 'utf8')).endsWith('\n')).toBe(true);
    // And a file that gained garbage after its last line.
    await appendFile(path, '{"type":"opened","at":1,"incident":{"id":"INC-');
    const again = createIncidentRecorder({
      service: 'crash',
      store: createFileIncidentStore({ path }, { onInternalError: () => {} }),
    });
    await again.ready();
    await again.close();
  });
});
