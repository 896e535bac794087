// The drill registry: journals bounded by maxJournals, and its option validated like every other.
import { describe, expect, it } from 'vitest';
import { ConfigError, createDrill, createDrillRegistry, createMonitor } from 'sre-kit';
import { createFakeClock } from 'sre-kit/testing';

describe('createDrillRegistry', () => {
  it('keeps the most recent maxJournals journals', async () => {
    const clock = createFakeClock({ start: '2026-06-10T10:00:00Z' });
    const monitor = createMonitor({ service: 'orders' }, { clock });
    const drill = createDrill(
      {
        kind: 'backup',
        name: 'orders-restore',
        monitor,
        restore: () => 2,
        verify: ({ restored }) => [{ name: 'orders row count', expected: 2, actual: restored as number }],
      },
      { clock },
    );
    const registry = createDrillRegistry({ maxJournals: 2 });
    for (let i = 0; i < 3; i++) {
      registry.record(await drill.run());
      await clock.advanceAsync(60_000);
    }
    const kept = registry.journals();
    expect(kept).toHaveLength(2);
    expect(kept.map((j) => j.id)).toEqual(
      monitor.drills
        .journals()
        .slice(1)
        .map((j) => j.id),
    );
    await monitor.close();
  });

  it('refuses a maxJournals that would leave the journals unbounded or empty, naming it', () => {
    for (const maxJournals of [Number.NaN, 0, -1, 1.5, Number.POSITIVE_INFINITY])
      expect(() => createDrillRegistry({ maxJournals })).toThrow(ConfigError);
    expect(() => createDrillRegistry({ maxJournals: Number.NaN })).toThrow(/maxJournals/);
    expect(() => createDrillRegistry({ maxJournal: 5 } as never)).toThrow(/maxJournal/);
  });
});
