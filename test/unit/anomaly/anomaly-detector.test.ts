import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  ErrorCode,
  createAnomalyDetector,
  isSreError,
  type AnomalyDetectorOptions,
  type AnomalyStatus,
} from 'sre-kit';
import { createFakeClock } from 'sre-kit/testing';
import { seededRandom } from '../../helpers/synthetic-traffic.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const MONDAY = Date.UTC(2024, 0, 1);

/** A detector on a fake clock, fed one value per minute bucket through the public API. */
function setup(options: AnomalyDetectorOptions = {}, start = MONDAY) {
  const clock = createFakeClock({ start });
  const detector = createAnomalyDetector({ seasonality: 'none', ...options }, { clock });
  const random = seededRandom(7);
  const noise = (): number => {
    // Normal noise, sigma 1 (Box-Muller).
    const u = 1 - random();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
  };
  const feed = (signal: string, value: number): AnomalyStatus => {
    detector.observe(signal, value);
    clock.advance(MINUTE);
    detector.evaluate();
    return detector.status().find((s) => s.signal === signal) as AnomalyStatus;
  };
  return { clock, detector, noise, feed };
}

function judged(status: AnomalyStatus) {
  if (status.state === 'insufficient_data') throw new Error(`not judged yet: ${JSON.stringify(status)}`);
  return status;
}

describe('createAnomalyDetector: options', () => {
  it('rejects bad options with a ConfigError naming the field', () => {
    const bad: Array<[unknown, string]> = [
      [{ sensitivity: 0 }, 'sensitivity'],
      [{ bucketMs: 500 }, 'bucketMs'],
      [{ alertAfter: { anomalous: 4, of: 3 } }, 'alertAfter.anomalous'],
      [{ alertAfter: { anomalous: 3, of: 40 } }, 'alertAfter.of'],
      [{ seasonality: 'hour-of-week', bucketMs: 2 * HOUR }, 'bucketMs'],
      [{ seasonality: 'hour-of-week', minHistory: '3d' }, 'minHistory'],
      [{ minHistory: 'two weeks' }, 'minHistory'],
      [{ timeZone: 'Mars/Olympus_Mons' }, 'timeZone'],
      [{ signals: { latency: { direction: 'sideways' } } }, 'signals.latency.direction'],
      [{ signals: { latency: { floor: -1 } } }, 'signals.latency.floor'],
      [{ windowSize: 3 }, 'windowSize'],
    ];
    for (const [options, field] of bad) {
      let error: unknown;
      try {
        createAnomalyDetector(options as AnomalyDetectorOptions);
      } catch (e) {
        error = e;
      }
      expect(error, JSON.stringify(options)).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).issues.map((i) => i.field)).toContain(field);
    }
  });

  it('accepts durations as text or ms and a real time zone', () => {
    expect(() =>
      createAnomalyDetector({ minHistory: '10d', timeZone: 'Europe/Berlin', seasonality: 'hour-of-week' }),
    ).not.toThrow();
    expect(() => createAnomalyDetector({ seasonality: 'hour-of-day', minHistory: 3 * DAY })).not.toThrow();
  });
});

describe('createAnomalyDetector: judging one signal', () => {
  it('says insufficient_data until the warm-up has passed, with the evidence', () => {
    const { feed } = setup({ warmupBuckets: 10 });
    let status = feed('latency', 100);
    for (let i = 0; i < 9; i++) status = feed('latency', 100 + (i % 3));
    expect(status).toMatchObject({
      signal: 'latency',
      state: 'insufficient_data',
      anomalous: false,
      evidence: { buckets: 10, bucketsNeeded: 11 },
    });
    status = feed('latency', 101);
    expect(judged(status)).toMatchObject({ state: 'ok', anomalous: false, evidence: { buckets: 11 } });
  });

  it('opens an alert after k of n anomalous buckets and clears it after clearAfter normal ones', () => {
    const { feed, detector, noise, clock } = setup({ alertAfter: { anomalous: 3, of: 5 }, clearAfter: 4 });
    const seen: string[] = [];
    detector.on('anomalous', (e) => void seen.push(`anomalous ${e.signal} since ${e.since}`));
    detector.on('recovered', (e) => void seen.push(`recovered ${e.signal} after ${e.anomalousForMs}`));
    for (let i = 0; i < 200; i++) feed('p99', 200 + 5 * noise());
    const before = judged(feed('p99', 200));
    expect(before.band[0]).toBeLessThan(200);
    expect(before.band[1]).toBeGreaterThan(200);
    // Two anomalous buckets are not enough; the third opens the alert.
    const spikeStart = clock.wallNow();
    expect(judged(feed('p99', 400)).anomalous).toBe(false);
    expect(judged(feed('p99', 400)).anomalous).toBe(false);
    const open = judged(feed('p99', 400));
    expect(open).toMatchObject({ state: 'anomalous', anomalous: true, since: spikeStart + 2 * MINUTE });
    expect(open.score).toBeGreaterThan(3);
    expect(open.evidence).toMatchObject({ recentAnomalous: 3, recentWindow: 5 });
    // Hysteresis: three normal buckets keep it open, the fourth clears it.
    for (let i = 0; i < 3; i++) expect(judged(feed('p99', 200)).anomalous).toBe(true);
    expect(judged(feed('p99', 200)).anomalous).toBe(false);
    expect(seen).toEqual([
      `anomalous p99 since ${spikeStart + 2 * MINUTE}`,
      `recovered p99 after ${4 * MINUTE}`,
    ]);
  });

  it('one wild bucket alerts nobody and does not move the baseline', () => {
    const { feed, noise } = setup();
    for (let i = 0; i < 300; i++) feed('rate', 50 + noise());
    const before = judged(feed('rate', 50));
    const wild = judged(feed('rate', 5_000));
    expect(Math.abs(wild.score)).toBeGreaterThan(100);
    expect(wild.anomalous).toBe(false);
    const after = judged(feed('rate', 50));
    expect(after.expected).toBeCloseTo(before.expected, 0);
    expect(after.evidence.scale).toBeCloseTo(before.evidence.scale, 1);
  });

  it('the tail of a spike teaches nothing either: the expectation stays put through it', () => {
    const { feed, noise } = setup();
    for (let i = 0; i < 300; i++) feed('rate', 100 + 2 * noise());
    const before = judged(feed('rate', 100)).expected;
    // A spike that fades: anomalous at first, then only a little above normal.
    for (const lift of [40, 30, 20, 8, 6, 5, 4, 3]) feed('rate', 100 + lift);
    const after = judged(feed('rate', 100)).expected;
    expect(Math.abs(after - before)).toBeLessThan(2);
  });

  it('accepts a level shift as the new normal after adaptAfter anomalous buckets', () => {
    const { feed, noise } = setup({ adaptAfter: 20 });
    for (let i = 0; i < 300; i++) feed('traffic', 1_000 + 10 * noise());
    let status = judged(feed('traffic', 1_500));
    for (let i = 0; i < 25; i++) status = judged(feed('traffic', 1_500 + 10 * noise()));
    expect(status.expected).toBeGreaterThan(1_450);
    for (let i = 0; i < 10; i++) status = judged(feed('traffic', 1_500 + 10 * noise()));
    expect(status).toMatchObject({ state: 'ok', anomalous: false });
  });

  it('watches only the configured side', () => {
    const { feed, noise } = setup({ signals: { errors: { direction: 'up' } } });
    for (let i = 0; i < 200; i++) feed('errors', 20 + noise());
    let status = judged(feed('errors', 0));
    for (let i = 0; i < 5; i++) status = judged(feed('errors', 0));
    expect(status.score).toBeLessThan(-3);
    expect(status.anomalous).toBe(false);
    for (let i = 0; i < 5; i++) status = judged(feed('errors', 40));
    expect(status.anomalous).toBe(true);
  });

  it('a floor keeps a flat signal from calling its first small move an anomaly', () => {
    const bare = setup();
    const floored = setup({ signals: { error_rate: { floor: 0.01 } } });
    for (let i = 0; i < 100; i++) {
      bare.feed('error_rate', 0);
      floored.feed('error_rate', 0);
    }
    let a = judged(bare.feed('error_rate', 0.002));
    let b = judged(floored.feed('error_rate', 0.002));
    for (let i = 0; i < 4; i++) {
      a = judged(bare.feed('error_rate', 0.002));
      b = judged(floored.feed('error_rate', 0.002));
    }
    expect(a.anomalous).toBe(true);
    expect(b.anomalous).toBe(false);
    expect(b.score).toBeGreaterThan(0);
    expect(b.score).toBeLessThanOrEqual(0.2);
  });

  it('combines the values of one bucket as configured', () => {
    const clock = createFakeClock({ start: MONDAY });
    const detector = createAnomalyDetector(
      {
        seasonality: 'none',
        signals: { n: { aggregate: 'sum' }, top: { aggregate: 'max' }, gauge: { aggregate: 'last' } },
      },
      { clock },
    );
    for (const v of [1, 2, 6]) for (const s of ['n', 'top', 'gauge', 'mean']) detector.observe(s, v);
    clock.advance(MINUTE);
    detector.evaluate();
    expect(Object.fromEntries(detector.status().map((s) => [s.signal, s.value]))).toEqual({
      n: 9,
      top: 6,
      gauge: 6,
      mean: 3,
    });
  });
});

describe('createAnomalyDetector: bad input and bounds', () => {
  it('counts and drops bad values, late values and signals beyond maxSignals', () => {
    const { detector, clock } = setup({ maxSignals: 2 });
    detector.observe('a', Number.NaN);
    detector.observe('a', Number.POSITIVE_INFINITY);
    detector.observe('', 1);
    detector.observe('a', 'x' as unknown as number);
    detector.observe('a', 1);
    detector.observe('b', 1);
    detector.observe('c', 1);
    clock.advance(MINUTE);
    detector.observe('a', 2);
    detector.observe('a', 3, MONDAY); // its bucket is closed
    expect(detector.stats()).toMatchObject({
      signals: 2,
      observations: 3,
      droppedValues: 4,
      droppedSignals: 1,
      lateValues: 1,
      bucketsClosed: 1,
    });
    expect(detector.stats().bytesPerSignal).toBeLessThanOrEqual(4096);
  });

  it('reading changes nothing: status and predictions neither close buckets nor learn', () => {
    const { detector, clock, noise, feed } = setup();
    for (let i = 0; i < 100; i++) feed('x', 10 + noise());
    detector.observe('x', 500);
    clock.advance(5 * MINUTE);
    const first = JSON.stringify([detector.status(), detector.predictions(), detector.stats()]);
    const second = JSON.stringify([detector.status(), detector.predictions(), detector.stats()]);
    expect(second).toBe(first);
    expect(detector.stats().bucketsClosed).toBe(100);
    detector.evaluate();
    expect(detector.stats().bucketsClosed).toBe(101);
  });
});

describe('createAnomalyDetector: seasonality', () => {
  // Weekdays busy in office hours (a smooth rise from 07:00 to a 13:00 peak and back by 19:00), nights
  // and weekends quiet; `offsetHours` moves the office to another zone.
  const office = (at: number, noise: () => number, offsetHours = 0): number => {
    const local = new Date(at + offsetHours * HOUR);
    const weekday = local.getUTCDay() >= 1 && local.getUTCDay() <= 5;
    const hour = local.getUTCHours() + local.getUTCMinutes() / 60;
    const busy = weekday && hour > 7 && hour < 19 ? (1 - Math.cos((2 * Math.PI * (hour - 7)) / 12)) / 2 : 0;
    return 50 + 450 * busy + 5 * noise();
  };

  it('after two weeks, judges a value against this hour of the week, not against lately', () => {
    const { clock, detector, noise, feed } = setup({ seasonality: 'hour-of-week', minHistory: '2w' });
    // Three weeks of history, then Monday morning of week 4 up to 10:00.
    while (clock.wallNow() < MONDAY + 21 * DAY + 10 * HOUR) feed('traffic', office(clock.wallNow(), noise));
    // Monday 10:00: 275 and rising after a quiet night and weekend is what Mondays do.
    let status = judged(feed('traffic', office(clock.wallNow(), noise)));
    expect(status.evidence.seasonalWeight).toBe(1);
    expect(status.expected).toBeGreaterThan(250);
    expect(status.expected).toBeLessThan(300);
    expect(status.anomalous).toBe(false);
    // The same Monday-morning values on Sunday at 10:00 are an anomaly, though the signal shows them every weekday.
    while (clock.wallNow() < MONDAY + 27 * DAY + 10 * HOUR) feed('traffic', office(clock.wallNow(), noise));
    for (let i = 0; i < 5; i++) status = judged(feed('traffic', office(clock.wallNow() - 6 * DAY, noise)));
    expect(status).toMatchObject({ anomalous: true });
    expect(status.score).toBeGreaterThan(10);
    expect(status.expected).toBeLessThan(70);
    expect(detector.stats().bytesPerSignal).toBeLessThanOrEqual(4096);
  });

  it('before minHistory the plain baseline alone judges', () => {
    const { clock, noise, feed } = setup({ seasonality: 'hour-of-week' });
    let status = feed('t', 10);
    while (clock.wallNow() < MONDAY + 3 * DAY) status = feed('t', office(clock.wallNow(), noise));
    expect(judged(status).evidence.seasonalWeight).toBe(0);
  });

  it('follows local time in the configured zone', () => {
    // The office is in New York (UTC-5 in January); at 15:00 UTC it is 10:00 there.
    const run = (timeZone: string) => {
      const { clock, noise, feed } = setup({ seasonality: 'hour-of-day', minHistory: '2d', timeZone });
      // A week of history, then up to Tuesday 15:00 UTC of the next week, ending on a spike.
      while (clock.wallNow() < MONDAY + 8 * DAY + 15 * HOUR) feed('t', office(clock.wallNow(), noise, -5));
      return judged(feed('t', office(clock.wallNow(), noise, -5)));
    };
    const local = run('America/New_York');
    const utc = run('UTC');
    // Both learned the same shape, each in its own slots: the same expectation at the same instant.
    expect(local.expected).toBeGreaterThan(250);
    expect(Math.abs(local.expected - utc.expected)).toBeLessThan(30);
    expect(local.evidence.seasonalWeight).toBe(1);
  });

  it('keeps Monday 09:00 at local 09:00 across a daylight-saving change', () => {
    // Berlin moves from UTC+1 to UTC+2 on 2024-03-31. An office opening at 09:00 local opens an hour
    // earlier in UTC from then on; the zone-aware detector expects it, a UTC one does not.
    const start = Date.UTC(2024, 2, 4); // a Monday, four weeks before the change
    const berlinOffset = (at: number) => (at >= Date.UTC(2024, 2, 31, 1) ? 2 : 1);
    const run = (timeZone: string) => {
      const { clock, noise, feed, detector } = setup(
        { seasonality: 'hour-of-week', minHistory: '2w', timeZone },
        start,
      );
      const traffic = () => office(clock.wallNow(), noise, berlinOffset(clock.wallNow()));
      // Four weeks to Monday 2024-04-01 05:00 UTC (07:00 in Berlin, the day after the change)...
      while (clock.wallNow() < Date.UTC(2024, 3, 1, 5)) feed('t', traffic());
      // ...then the morning ramp up to 11:00 UTC.
      let largestDeviation = 0;
      while (clock.wallNow() < Date.UTC(2024, 3, 1, 11)) {
        expect(judged(feed('t', traffic())).anomalous).toBe(false);
        const deviation = detector.snapshot().signals[0]?.seasonal.level ?? Number.NaN;
        largestDeviation = Math.max(largestDeviation, Math.abs(deviation));
      }
      return { largestDeviation };
    };
    const zoned = run('Europe/Berlin');
    const utc = run('UTC');
    // The zone-aware detector's shape already has the office on its new UTC hours: it needs no
    // correction. The UTC one expects it an hour late and gets through the ramp only by carrying a
    // large deviation from its shape (its fast level), as it would after any unexplained change.
    expect(zoned.largestDeviation).toBeLessThan(20);
    expect(utc.largestDeviation).toBeGreaterThan(50);
  });
});

describe('createAnomalyDetector: predictions', () => {
  it('predicts a score accelerating out of its band before it leaves, with the trend as evidence', () => {
    // An error rate (floored at 1 point) that starts doubling every seven minutes: the baseline adapts
    // to slow climbs, so predictions are about growth that outruns it.
    const { feed, detector, clock, noise } = setup({ signals: { errors: { floor: 0.01, direction: 'up' } } });
    const rate = (x: number) => Math.max(0, x + 0.0005 * noise());
    for (let i = 0; i < 300; i++) feed('errors', rate(0.001));
    let first: { minute: number; at: number; confidence: number; t: number } | undefined;
    let crossed: number | undefined;
    for (let i = 1; i <= 100 && crossed === undefined; i++) {
      const status = judged(feed('errors', rate(0.001 * Math.exp(i / 10))));
      if (status.score > 3) crossed = i;
      const [prediction] = detector.predictions();
      if (first === undefined && prediction !== undefined && crossed === undefined) {
        expect(prediction).toMatchObject({ signal: 'errors', direction: 'up' });
        expect(prediction.evidence.slopePerBucket).toBeGreaterThan(0);
        expect(prediction.at).toBeGreaterThan(clock.wallNow());
        first = {
          minute: i,
          at: prediction.at,
          confidence: prediction.confidence,
          t: prediction.evidence.tStatistic,
        };
      }
    }
    expect(first, 'a prediction before the crossing').toBeDefined();
    expect(crossed).toBeDefined();
    expect(crossed! - first!.minute).toBeGreaterThanOrEqual(2);
    expect(first!.confidence).toBeGreaterThan(0.99);
    expect(first!.t).toBeGreaterThanOrEqual(3);
  });

  it('rarely predicts a crossing for a signal that is only noisy', () => {
    const { feed, detector, noise } = setup();
    let predicted = 0;
    for (let i = 0; i < 3_000; i++) {
      feed('flat', 100 + noise());
      if (detector.predictions().length > 0) predicted++;
    }
    // A t >= 3 slope from a score already a sigma out happens by chance in about 0.1 % of buckets.
    expect(predicted / 3_000).toBeLessThan(0.005);
  });
});

describe('createAnomalyDetector: snapshot and restore', () => {
  it('a restored detector carries on exactly where the original was, through JSON', () => {
    const a = setup({ seasonality: 'hour-of-day', minHistory: '2d' });
    const values: number[] = [];
    for (let i = 0; i < 4 * 24 * 60; i++)
      values.push(100 + 50 * Math.sin((2 * Math.PI * i) / 1440) + a.noise());
    for (const v of values.slice(0, 5_000)) a.feed('x', v);
    a.detector.observe('x', 120); // an open bucket travels too
    const snapshot = JSON.parse(JSON.stringify(a.detector.snapshot())) as unknown;

    const b = setup({ seasonality: 'hour-of-day', minHistory: '2d' }, a.clock.wallNow());
    b.detector.restore(snapshot);
    expect(b.detector.status()).toEqual(a.detector.status());
    for (const v of values.slice(5_000)) {
      expect(b.feed('x', v)).toEqual(a.feed('x', v));
    }
  });

  it('refuses a malformed snapshot or one taken with other settings', () => {
    const { detector, feed } = setup();
    for (let i = 0; i < 40; i++) feed('x', i);
    const good = detector.snapshot();
    const cases: unknown[] = [
      null,
      { ...good, version: 2 },
      { ...good, bucketMs: 30_000 },
      { ...good, seasonality: 'hour-of-week' },
      { ...good, signals: [{ ...good.signals[0], flags: -1 }] },
    ];
    for (const bad of cases) {
      let error: unknown;
      try {
        detector.restore(bad);
      } catch (e) {
        error = e;
      }
      expect(isSreError(error, ErrorCode.INVALID_INPUT), JSON.stringify(bad)?.slice(0, 80)).toBe(true);
    }
    // A refused snapshot leaves the state alone.
    expect(detector.snapshot()).toEqual(good);
  });
});
