import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  budgetRemaining,
  burnRate,
  burnRateAlerts,
  errorBudget,
  timeToExhaustion,
} from 'sre-kit/slo';

const DAY = 86_400_000;
const HOUR = 3_600_000;

function configMessage(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).message;
  }
  throw new Error('expected a ConfigError');
}

describe('golden vectors (Google SRE Workbook)', () => {
  it('99.9 % over 30 days allows 43.2 minutes of downtime', () => {
    const budget = errorBudget({ target: 0.999, windowMs: 30 * DAY });
    expect(budget.ratio).toBe(0.001);
    expect(budget.allowedDowntimeMs).toBe(43.2 * 60_000);
  });

  it('burning at 14.4x for one hour consumes 2 % of a 30-day budget', () => {
    const page = burnRateAlerts({ windowMs: 30 * DAY })[0]!;
    expect(page).toEqual({
      severity: 'page',
      longWindowMs: HOUR,
      shortWindowMs: 5 * 60_000,
      burnRate: 14.4,
      budgetConsumed: 0.02,
    });
    // The same from the pure functions: an hour at 14.4x is 1/720 of the window at 14.4x the budget.
    const hourOfEvents = 720_000; // the window holds 720 such hours; 1000 events per 5 s
    const bad = hourOfEvents * 0.001 * 14.4;
    const consumed = budgetRemaining({
      target: 0.999,
      good: 720 * hourOfEvents - bad,
      total: 720 * hourOfEvents,
    });
    expect(consumed.consumed).toBeCloseTo(0.02, 12);
  });

  it('60 % consumed leaves 40 %, which a burn rate of 6 exhausts in 48 hours', () => {
    const usage = budgetRemaining({ target: 0.999, good: 999_400, total: 1_000_000 });
    expect(usage.consumed).toBeCloseTo(0.6, 12);
    expect(usage.remaining).toBeCloseTo(0.4, 12);
    expect(timeToExhaustion({ windowMs: 30 * DAY, remaining: 0.4, burnRate: 6 })).toBe(48 * HOUR);
  });

  it('the three Google alerts consume 2 %, 5 % and 10 % of a 30-day budget', () => {
    expect(
      burnRateAlerts({ windowMs: 30 * DAY, preset: 'google' }).map((a) => [a.burnRate, a.budgetConsumed]),
    ).toEqual([
      [14.4, 0.02],
      [6, 0.05],
      [1, 0.1],
    ]);
  });

  it('Sloth derives 13.44 / 5.6 / 0.933 for a 28-day window (budget share × period ÷ long window)', () => {
    const alerts = burnRateAlerts({ windowMs: 28 * DAY, preset: 'sloth' });
    expect(alerts.map((a) => a.severity)).toEqual(['page', 'page', 'ticket', 'ticket']);
    expect(alerts[0]!.burnRate).toBe(13.44);
    expect(alerts[1]!.burnRate).toBe(5.6);
    expect(alerts[2]!.burnRate).toBe(2.8);
    expect(alerts[3]!.burnRate).toBeCloseTo(0.933, 3);
    expect(alerts.map((a) => a.budgetConsumed)).toEqual([0.02, 0.05, 0.1, 0.1]);
    expect(alerts.map((a) => [a.longWindowMs / HOUR, a.shortWindowMs / 60_000])).toEqual([
      [1, 5],
      [6, 30],
      [24, 120],
      [72, 360],
    ]);
  });

  it('Sloth and Google agree on a 30-day window', () => {
    const sloth = burnRateAlerts({ windowMs: 30 * DAY, preset: 'sloth' });
    expect(sloth.map((a) => a.burnRate)).toEqual([14.4, 6, 3, 1]);
  });
});

describe('errorBudget', () => {
  it('computes the budget in decimal, without binary noise', () => {
    expect(errorBudget({ target: 0.9995, windowMs: DAY }).ratio).toBe(0.0005);
    expect(errorBudget({ target: 0.95, windowMs: DAY }).ratio).toBe(0.05);
    expect(errorBudget({ target: 0.99999, windowMs: DAY }).ratio).toBe(0.00001);
  });

  it('gives 40.32 minutes for a 28-day February at 99.9 %', () => {
    expect(errorBudget({ target: 0.999, windowMs: 28 * DAY }).allowedDowntimeMs).toBe(40.32 * 60_000);
  });

  it.each([0, 1, -0.5, 1.5, Number.NaN])('rejects target %s with a ConfigError naming it', (target) => {
    expect(configMessage(() => errorBudget({ target, windowMs: DAY }))).toMatch(
      /^Invalid options for errorBudget: target: expected/,
    );
  });

  it('rejects a window that is not positive, and unknown fields', () => {
    expect(configMessage(() => errorBudget({ target: 0.99, windowMs: 0 }))).toContain('windowMs');
    expect(configMessage(() => errorBudget({ target: 0.99, windowMs: DAY, extra: 1 } as never))).toContain(
      'extra: expected no such option',
    );
  });
});

describe('burnRate and budgetRemaining', () => {
  it('is the error ratio over the budget', () => {
    expect(burnRate({ target: 0.999, good: 9_900, total: 10_000 })).toBeCloseTo(10, 12);
    expect(burnRate({ target: 0.99, good: 0, total: 5 })).toBe(100);
  });

  it('is exactly 1 when the error ratio equals the budget', () => {
    expect(burnRate({ target: 0.999, good: 999, total: 1000 })).toBe(1);
    expect(burnRate({ target: 0.95, good: 95, total: 100 })).toBe(1);
  });

  it('answers no traffic with burn 0 and the whole budget left', () => {
    expect(burnRate({ target: 0.999, good: 0, total: 0 })).toBe(0);
    expect(budgetRemaining({ target: 0.999, good: 0, total: 0 })).toEqual({ consumed: 0, remaining: 1 });
  });

  it('lets remaining go negative when the budget is overspent', () => {
    expect(budgetRemaining({ target: 0.99, good: 90, total: 100 }).remaining).toBeCloseTo(-9, 12);
  });

  it('rejects good > total, negative counts and bad targets', () => {
    expect(configMessage(() => burnRate({ target: 0.99, good: 11, total: 10 }))).toContain(
      'good: expected a number <= total (10), received 11',
    );
    expect(configMessage(() => budgetRemaining({ target: 0.99, good: -1, total: 10 }))).toContain('good:');
    expect(configMessage(() => burnRate({ target: 1, good: 1, total: 1 }))).toContain('target:');
  });
});

describe('timeToExhaustion', () => {
  it('is 0 once the budget is spent and Infinity when nothing burns', () => {
    expect(timeToExhaustion({ windowMs: DAY, remaining: 0, burnRate: 3 })).toBe(0);
    expect(timeToExhaustion({ windowMs: DAY, remaining: -0.5, burnRate: 3 })).toBe(0);
    expect(timeToExhaustion({ windowMs: DAY, remaining: 0.5, burnRate: 0 })).toBe(Number.POSITIVE_INFINITY);
  });

  it('rejects a negative burn rate', () => {
    expect(configMessage(() => timeToExhaustion({ windowMs: DAY, remaining: 1, burnRate: -1 }))).toContain(
      'burnRate',
    );
  });
});

describe('burnRateAlerts', () => {
  it('drops preset windows longer than the SLO window', () => {
    expect(burnRateAlerts({ windowMs: DAY }).map((a) => a.longWindowMs)).toEqual([HOUR, 6 * HOUR]);
    expect(burnRateAlerts({ windowMs: DAY, preset: 'sloth' }).map((a) => a.longWindowMs)).toEqual([
      HOUR,
      6 * HOUR,
      DAY,
    ]);
    expect(burnRateAlerts({ windowMs: 30 * 60_000 })).toEqual([]);
  });

  it('rejects an unknown preset', () => {
    expect(configMessage(() => burnRateAlerts({ windowMs: DAY, preset: 'pyrra' as never }))).toContain(
      'preset: expected one of "google" | "sloth", received "pyrra"',
    );
  });
});
