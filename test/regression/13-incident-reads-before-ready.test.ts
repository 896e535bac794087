// Issue 13, item 18: a recorder on a store that loads asynchronously (the file store) answered
// `list()` and `get()` before the load with an empty recorder: an open P1 on disk read as "no
// incidents". The reads are synchronous, so they cannot wait: before the store is replayed they throw
// ERR_SRE_NOT_READY (after a failed load, with the load's error as the cause).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ErrorCode,
  createFileIncidentStore,
  createIncidentRecorder,
  createMemoryIncidentStore,
  isSreError,
  type IncidentRecord,
  type IncidentRecorder,
  type IncidentStore,
} from 'sre-kit';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sre-kit-not-ready-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

// Every synchronous read of the recorder, by name.
const reads: Record<string, (recorder: IncidentRecorder, id: string) => unknown> = {
  list: (recorder) => recorder.list(),
  get: (recorder, id) => recorder.get(id),
  findOpen: (recorder) => recorder.findOpen('db-down'),
  metrics: (recorder) => recorder.metrics(),
  report: (recorder, id) => recorder.report(id),
};

function thrown(read: () => unknown): unknown {
  try {
    read();
  } catch (error) {
    return error;
  }
  return undefined;
}

// A store whose load resolves (or rejects) when the test says so.
function deferredStore(): IncidentStore & {
  resolve(records: readonly IncidentRecord[]): void;
  reject(error: unknown): void;
} {
  const memory = createMemoryIncidentStore();
  let resolve: (records: readonly IncidentRecord[]) => void = () => undefined;
  let reject: (error: unknown) => void = () => undefined;
  const loaded = new Promise<readonly IncidentRecord[]>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return {
    load: () => loaded,
    append: (record) => memory.append(record),
    get compactionDue() {
      return false;
    },
    compact: (records) => memory.compact(records),
    close: () => memory.close(),
    [Symbol.asyncDispose]: () => memory.close(),
    resolve,
    reject,
  };
}

describe('regression #13 (18): reads before ready() never answer from an empty recorder', () => {
  it('a file store holding an open P1: every read throws ERR_SRE_NOT_READY until ready()', async () => {
    const path = join(dir, 'incidents.jsonl');
    const before = createIncidentRecorder({ service: 'api', store: createFileIncidentStore({ path }) });
    const p1 = await before.open({ title: 'Database down', severity: 'P1', dedupKey: 'db-down' });
    await before.close();

    const recorder = createIncidentRecorder({ service: 'api', store: createFileIncidentStore({ path }) });
    for (const [name, read] of Object.entries(reads)) {
      const error = thrown(() => read(recorder, p1.id));
      expect(isSreError(error, ErrorCode.NOT_READY), `${name}() before ready()`).toBe(true);
      expect(String((error as Error).message)).toMatch(/ready\(\)/);
    }
    await recorder.ready();
    expect(recorder.list().map((incident) => incident.id)).toEqual([p1.id]);
    expect(recorder.get(p1.id)?.severity).toBe('P1');
    expect(recorder.findOpen('db-down')?.id).toBe(p1.id);
    expect(recorder.metrics().count).toBe(1);
    expect(recorder.report(p1.id).incident_id).toBe(p1.id);
    await recorder.close();
  });

  it('after a failed load, reads throw ERR_SRE_NOT_READY with the load error as the cause', async () => {
    const store = deferredStore();
    const recorder = createIncidentRecorder({ service: 'api', store }, { onInternalError: () => undefined });
    expect(
      isSreError(
        thrown(() => recorder.list()),
        ErrorCode.NOT_READY,
      ),
    ).toBe(true);
    const failure = new Error('disk gone');
    store.reject(failure);
    await expect(recorder.ready()).rejects.toBe(failure);
    for (const [name, read] of Object.entries(reads)) {
      const error = thrown(() => read(recorder, 'INC-2026-001'));
      expect(isSreError(error, ErrorCode.NOT_READY), `${name}() after a failed load`).toBe(true);
      expect((error as Error).cause).toBe(failure);
    }
    await recorder.close();
  });

  it('the writes wait for the load by themselves, as before', async () => {
    const store = deferredStore();
    const recorder = createIncidentRecorder({ service: 'api', store });
    const opened = recorder.open({ title: 'x', severity: 'P3' });
    store.resolve([]);
    expect((await opened).id).toMatch(/^INC-\d{4}-001$/);
    expect(recorder.list()).toHaveLength(1);
    await recorder.close();
  });

  it('a store that loads synchronously (the memory store, the default) is readable at once', () => {
    const recorder = createIncidentRecorder({ service: 'api' });
    expect(recorder.list()).toEqual([]);
    expect(recorder.get('INC-2026-001')).toBeUndefined();
  });
});
