import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createFileIncidentStore,
  createIncidentRecorder,
  incidentReportSchema,
  type RelatedChange,
} from 'sre-kit';
import { createFakeClock } from 'sre-kit/testing';

// The changes suspected of causing an incident (the monitor attaches them when it opens): checked on
// update, frozen, shown by the report as related_changes, and replayed from a file store.

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sre-kit-related-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const related: RelatedChange[] = [
  {
    id: 'deploy-812',
    kind: 'deploy',
    service: 'checkout',
    version: 'v2.3.1',
    startedAt: Date.parse('2026-05-01T09:56:00Z'),
    finishedAt: Date.parse('2026-05-01T10:00:00Z'),
    score: 0.72,
    reasons: ['opened 4 min after deploy-812 finished', 'same service (checkout)'],
  },
  {
    id: 'flag-3',
    kind: 'flag',
    service: 'checkout',
    startedAt: Date.parse('2026-05-01T08:00:00Z'),
    score: 0.1,
    reasons: ['opened 2.1 h after flag-3 started'],
  },
];

describe('incidents: related changes', () => {
  it('are kept frozen, reported as related_changes, and survive a restart of a file store', async () => {
    const path = join(dir, 'incidents.jsonl');
    const clock = createFakeClock({ start: '2026-05-01T10:04:00Z' });
    const first = createIncidentRecorder(
      { service: 'checkout', store: createFileIncidentStore({ path }) },
      { clock },
    );
    const incident = await first.open({ title: 'Checkout errors', severity: 'P2' });
    expect(incidentReportSchema.parse(first.report(incident.id)).related_changes).toBeUndefined();
    const updated = await first.update(incident.id, { relatedChanges: related, by: 'monitor' });
    expect(Object.isFrozen(updated.relatedChanges?.[0]?.reasons)).toBe(true);
    expect(updated.relatedChanges).not.toBe(related);
    const report = incidentReportSchema.parse(first.report(incident.id));
    expect(report.related_changes).toEqual([
      {
        change_id: 'deploy-812',
        kind: 'deploy',
        service: 'checkout',
        version: 'v2.3.1',
        started_at: '2026-05-01T09:56:00.000Z',
        score: 0.72,
        reasons: ['opened 4 min after deploy-812 finished', 'same service (checkout)'],
      },
      {
        change_id: 'flag-3',
        kind: 'flag',
        service: 'checkout',
        version: null,
        started_at: '2026-05-01T08:00:00.000Z',
        score: 0.1,
        reasons: ['opened 2.1 h after flag-3 started'],
      },
    ]);
    await first.close();

    const second = createIncidentRecorder(
      { service: 'checkout', store: createFileIncidentStore({ path }) },
      { clock },
    );
    await second.ready();
    expect(second.get(incident.id)?.relatedChanges).toEqual(related);
    await second.close();
  });

  it.each([
    [{ relatedChanges: 'deploy-812' }, 'relatedChanges must be an array'],
    [{ relatedChanges: Array.from({ length: 11 }, () => related[0]) }, 'at most 10'],
    [{ relatedChanges: [{ ...related[0], score: 2 }] }, 'relatedChanges[0].score'],
    [{ relatedChanges: [{ ...related[0], reasons: undefined }] }, 'relatedChanges[0].reasons'],
    [{ relatedChanges: [{ ...related[0], startedAt: Number.NaN }] }, 'relatedChanges[0].startedAt'],
  ])('an update with %j is refused naming the field', async (changes, message) => {
    const recorder = createIncidentRecorder({ service: 'checkout' }, { clock: createFakeClock() });
    const incident = await recorder.open({ title: 't', severity: 'P3' });
    await expect(recorder.update(incident.id, changes as never)).rejects.toThrow(message);
    expect(recorder.get(incident.id)?.relatedChanges).toBeUndefined();
    await recorder.close();
  });
});
