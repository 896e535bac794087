import { mkdtemp, readFile, rm, writeFile, appendFile, stat, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  ErrorCode,
  createFileIncidentStore,
  createIncidentRecorder,
  createMemoryIncidentStore,
  isSreError,
  readIncidentLog,
} from 'sre-kit';
import { createFakeClock } from 'sre-kit/testing';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sre-kit-incidents-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const clock = () => createFakeClock({ start: '2026-05-01T00:00:00Z' });

describe('createFileIncidentStore', () => {
  it('appends JSONL, replays on open, continues the sequence', async () => {
    const path = join(dir, 'nested', 'incidents.jsonl');
    const c = clock();
    const first = createIncidentRecorder(
      { service: 'api', store: createFileIncidentStore({ path }) },
      { clock: c },
    );
    const a = await first.open({ title: 'a', severity: 'P2', dedupKey: 'k' });
    await first.acknowledge(a.id, { by: 'me' });
    await first.close();
    const lines = (await readFile(path, 'utf8')).trimEnd().split('\n');
    expect(lines.map((l) => JSON.parse(l).type)).toEqual(['header', 'opened', 'acknowledged']);

    const second = createIncidentRecorder(
      { service: 'api', store: createFileIncidentStore({ path }) },
      { clock: c },
    );
    await second.ready();
    expect(second.get(a.id)).toEqual(first.get(a.id));
    expect((await second.open({ title: 'b', severity: 'P3' })).id).toBe('INC-2026-002');
    await second.close();
  });

  it('locks the file against a second writer and releases on close', async () => {
    const path = join(dir, 'incidents.jsonl');
    const one = createFileIncidentStore({ path });
    await one.load();
    const two = createFileIncidentStore({ path });
    const error = await Promise.resolve(two.load()).catch((e: unknown) => e);
    expect(isSreError(error, ErrorCode.STORE_LOCKED)).toBe(true);
    expect(String((error as Error).message)).toContain(String(process.pid));
    await one.close();
    await one.close();
    const three = createFileIncidentStore({ path });
    await three.load();
    await three.close();
    expect(await readdir(dir)).toEqual(['incidents.jsonl']);
  });

  it('takes over a stale lock left by a dead process', async () => {
    const path = join(dir, 'incidents.jsonl');
    await writeFile(`${path}.lock`, '999999999\n');
    const store = createFileIncidentStore({ path });
    await store.load();
    expect(await readFile(`${path}.lock`, 'utf8')).toMatch(
      new RegExp(`^${process.pid} \\d+ [0-9a-f]{24}\n$`),
    );
    await store.close();
  });

  it('a hand-torn last line is reported, truncated, and earlier records kept', async () => {
    const path = join(dir, 'incidents.jsonl');
    const c = clock();
    const rec = createIncidentRecorder(
      { service: 'api', store: createFileIncidentStore({ path }) },
      { clock: c },
    );
    const a = await rec.open({ title: 'a', severity: 'P2' });
    const b = await rec.open({ title: 'b', severity: 'P2' });
    await rec.close();
    const whole = await readFile(path, 'utf8');
    await appendFile(path, '{"type":"resolved","id":"INC-2026-0');
    const onInternalError = vi.fn();
    const again = createIncidentRecorder(
      { service: 'api', store: createFileIncidentStore({ path }, { onInternalError }) },
      { clock: c },
    );
    await again.ready();
    expect(onInternalError).toHaveBeenCalledOnce();
    expect(String(onInternalError.mock.calls[0]![0])).toMatch(/torn tail/);
    expect(again.list().map((i) => i.id)).toEqual([a.id, b.id]);
    expect(await readFile(path, 'utf8')).toBe(whole);
    await again.resolve(a.id);
    await again.close();
    const third = createIncidentRecorder(
      { service: 'api', store: createFileIncidentStore({ path }) },
      { clock: c },
    );
    await third.ready();
    expect(third.get(a.id)?.status).toBe('resolved');
    await third.close();
  });

  it('skips and reports a damaged middle line without losing the rest', async () => {
    const path = join(dir, 'incidents.jsonl');
    const c = clock();
    const rec = createIncidentRecorder(
      { service: 'api', store: createFileIncidentStore({ path }) },
      { clock: c },
    );
    await rec.open({ title: 'a', severity: 'P2' });
    await rec.open({ title: 'b', severity: 'P2' });
    await rec.close();
    const lines = (await readFile(path, 'utf8')).split('\n');
    lines.splice(2, 0, 'garbage');
    await writeFile(path, lines.join('\n'));
    const onInternalError = vi.fn();
    const rec3 = createIncidentRecorder(
      { service: 'api', store: createFileIncidentStore({ path }, { onInternalError }) },
      { clock: c },
    );
    await rec3.ready();
    expect(rec3.list()).toHaveLength(2);
    expect(String(onInternalError.mock.calls[0]![0])).toMatch(/line 3 is not a valid record/);
    await rec3.close();
  });

  it('compacts: snapshot renamed over the log, state and sequence intact, appends continue', async () => {
    const path = join(dir, 'incidents.jsonl');
    const c = clock();
    const rec = createIncidentRecorder(
      { service: 'api', store: createFileIncidentStore({ path, compactAfterBytes: 4_096, fsync: false }) },
      { clock: c },
    );
    const a = await rec.open({ title: 'a', severity: 'P2' });
    for (let i = 0; i < 60; i++) await rec.note(a.id, `note ${i} ${'x'.repeat(40)}`);
    const b = await rec.open({ title: 'b', severity: 'P2' });
    await rec.close();
    const size = (await stat(path)).size;
    expect(size).toBeLessThan(12_000);
    const types = (await readFile(path, 'utf8'))
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l).type);
    expect(types).toContain('snapshot');
    const again = createIncidentRecorder(
      { service: 'api', store: createFileIncidentStore({ path }) },
      { clock: c },
    );
    await again.ready();
    expect(again.get(a.id)).toEqual(rec.get(a.id));
    expect(again.get(b.id)).toEqual(rec.get(b.id));
    expect((await again.open({ title: 'c', severity: 'P2' })).id).toBe('INC-2026-003');
    await again.close();
    expect((await readdir(dir)).sort()).toEqual(['incidents.jsonl']);
  });

  it('refuses a log written by a newer format version', async () => {
    const path = join(dir, 'incidents.jsonl');
    await writeFile(path, '{"type":"header","format":"sre-kit/incidents","version":2}\n');
    const store = createFileIncidentStore({ path });
    await expect(Promise.resolve(store.load())).rejects.toMatchObject({ code: ErrorCode.STORE_FAILED });
    // The failed load released the lock.
    const other = createFileIncidentStore({ path: join(dir, 'other.jsonl') });
    await other.load();
    await other.close();
    expect(await readdir(dir)).not.toContain('incidents.jsonl.lock');
  });

  it('validates options', () => {
    expect(() => createFileIncidentStore({ path: '' })).toThrow(/path/);
    expect(() => createFileIncidentStore({ path: 'x', compactAfterBytes: 0 })).toThrow(/compactAfterBytes/);
  });
});

describe('readIncidentLog', () => {
  it('reads a log its owner holds locked, leaves a write in progress alone, and replays into a recorder', async () => {
    const path = join(dir, 'incidents.jsonl');
    const c = clock();
    const owner = createIncidentRecorder(
      { service: 'api', store: createFileIncidentStore({ path }) },
      { clock: c },
    );
    const a = await owner.open({ title: 'a', severity: 'P2' });
    await owner.resolve(a.id, { resolution: 'restarted' });
    await appendFile(path, '{"type":"noted","id":"INC-2026-001","at":1'); // a line still being written
    const before = await readFile(path);

    const { records, skipped, tailBytes } = await readIncidentLog(path);
    expect(records.map((r) => r.type)).toEqual(['opened', 'resolved']);
    expect(skipped).toEqual([]);
    expect(tailBytes).toBeGreaterThan(0);
    expect(await readFile(path)).toEqual(before); // nothing truncated, no header rewritten

    const replayed = createIncidentRecorder({
      service: 'api',
      store: createMemoryIncidentStore({ records }),
    });
    expect(replayed.get(a.id)).toEqual(owner.get(a.id));
    await owner.close();
    await expect(readIncidentLog(join(dir, 'missing.jsonl'))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
