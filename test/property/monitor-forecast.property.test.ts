import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fitTrend, timeToLimit } from 'sre-kit';

const finite = (min: number, max: number) => fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
/**
 * A slope of 0 or of magnitude 1e-6..1e3. Tinier slopes make `intercept + slope * o` round (or go
 * subnormal) by a good fraction of the line's own rise, so the points are no longer an exact line.
 */
const lineSlope = fc.oneof(
  fc.constant(0),
  fc
    .tuple(fc.boolean(), fc.double({ min: 1e-6, max: 1e3, noNaN: true }))
    .map(([negative, size]) => (negative ? -size : size)),
);

describe('fitTrend', () => {
  it('recovers an exact line exactly, with confidence 1', () => {
    fc.assert(
      fc.property(
        finite(-1e3, 1e3),
        lineSlope,
        fc.uniqueArray(fc.integer({ min: 0, max: 1e6 }), { minLength: 2, maxLength: 50 }),
        fc.integer({ min: 0, max: 2e12 }),
        (intercept, slope, offsets, origin) => {
          // x like epoch ms: a large origin must not cost precision.
          const points = offsets.map((o) => ({ x: origin + o, y: intercept + slope * o }));
          const fit = fitTrend(points);
          expect(fit.samples).toBe(offsets.length);
          expect(fit.slope).toBeCloseTo(slope, 6);
          const predicted = fit.intercept + fit.slope * (origin + (offsets[0] ?? 0));
          // The intercept sits at x = 0, far from the data: allow for the cancellation that costs.
          const scale = 1 + Math.abs(intercept) + Math.abs(slope) * (origin + 1e6);
          expect(Math.abs(predicted - (points[0]?.y ?? 0))).toBeLessThan(1e-9 * scale);
          expect(fit.confidence).toBeGreaterThan(0.999999);
        },
      ),
    );
  });

  it('never returns NaN and keeps confidence in [0, 1], whatever the points', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ x: fc.double(), y: fc.double() }), { maxLength: 40 }), (points) => {
        const fit = fitTrend(points);
        for (const value of [fit.slope, fit.intercept, fit.confidence])
          expect(Number.isNaN(value)).toBe(false);
        expect(fit.confidence).toBeGreaterThanOrEqual(0);
        expect(fit.confidence).toBeLessThanOrEqual(1);
        const left = timeToLimit(fit, 0, 1);
        expect(left === null || left >= 0).toBe(true);
      }),
    );
  });

  it('reaches a limit exactly when a rising line does', () => {
    fc.assert(
      fc.property(finite(0.001, 10), finite(0, 50), finite(51, 1000), (slope, start, limit) => {
        const fit = fitTrend([
          { x: 0, y: start },
          { x: 1, y: start + slope },
        ]);
        expect(timeToLimit(fit, 0, limit)).toBeCloseTo((limit - start) / slope, 3);
        expect(timeToLimit({ ...fit, slope: -slope }, 0, limit)).toBeNull();
        expect(timeToLimit(fit, 0, limit, limit)).toBe(0);
      }),
    );
  });

  it('gives a flat line with confidence 0 below two distinct x', () => {
    expect(fitTrend([])).toEqual({ slope: 0, intercept: 0, confidence: 0, samples: 0 });
    expect(
      fitTrend([
        { x: 5, y: 2 },
        { x: 5, y: 4 },
      ]),
    ).toEqual({ slope: 0, intercept: 3, confidence: 0, samples: 2 });
    expect(
      fitTrend([
        { x: 1, y: 2 },
        { x: 2, y: 2 },
      ]),
    ).toMatchObject({ slope: 0, confidence: 1 });
  });
});
