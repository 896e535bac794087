import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigError } from 'sre-kit';
import { describeValue, parseOptions } from '../../../src/core/index.js';

const schema = z.strictObject({
  maxKeys: z.number().int().positive().default(500),
  mode: z.enum(['fast', 'exact']).default('fast'),
  thresholdsMs: z.array(z.number().positive()).min(1).optional(),
  window: z
    .union([
      z.literal(false),
      z.strictObject({ durationMs: z.number().gt(0), slices: z.number().int().min(1) }),
    ])
    .optional(),
  objective: z
    .discriminatedUnion('kind', [
      z.strictObject({ kind: z.literal('availability'), target: z.number().gt(0).lt(1) }),
      z.strictObject({
        kind: z.literal('latency'),
        target: z.number().gt(0).lt(1),
        thresholdMs: z.number().positive(),
      }),
    ])
    .optional(),
});

function messageOf(input: unknown): string {
  try {
    parseOptions(schema, input, 'createThing');
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).message;
  }
  throw new Error('expected a ConfigError');
}

describe('parseOptions', () => {
  it('returns parsed, defaulted and deep-frozen options', () => {
    const parsed = parseOptions(schema, { window: { durationMs: 1000, slices: 4 } }, 'createThing');
    expect(parsed).toEqual({ maxKeys: 500, mode: 'fast', window: { durationMs: 1000, slices: 4 } });
    expect(Object.isFrozen(parsed)).toBe(true);
    expect(Object.isFrozen(parsed.window)).toBe(true);
  });

  it.each([
    [{ maxKeys: -3 }, 'Invalid options for createThing: maxKeys: expected a number > 0, received -3'],
    [{ maxKeys: 1.5 }, 'maxKeys: expected an integer, received 1.5'],
    [{ maxKeys: Number.NaN }, 'maxKeys: expected a number, received NaN'],
    [{ maxKeys: Infinity }, 'maxKeys: expected a number, received Infinity'],
    [{ maxKeys: '10' }, 'maxKeys: expected a number, received "10"'],
    [{ mode: 'slow' }, 'mode: expected one of "fast" | "exact", received "slow"'],
    [{ thresholdsMs: [] }, 'thresholdsMs: expected at least 1 items, received []'],
    [{ thresholdsMs: [200, -1] }, 'thresholdsMs[1]: expected a number > 0, received -1'],
    [{ maxkeys: 5 }, 'maxkeys: expected no such option (unknown key), received 5'],
    [{ window: 3 }, 'window: expected false or an object, received 3'],
    [{ window: { durationMs: 0, slices: 6 } }, 'window.durationMs: expected a number > 0, received 0'],
    [
      { objective: { kind: 'freshness' } },
      'objective.kind: expected one of "availability" | "latency", received "freshness"',
    ],
    [
      { objective: { kind: 'latency', target: 1.2 } },
      'objective.target: expected a number < 1, received 1.2',
    ],
    [null, '(options): expected an object, received null'],
  ])('rejects %j with a message naming the field', (input, expected) => {
    expect(messageOf(input)).toContain(expected);
  });

  it('reports every bad field at once', () => {
    const message = messageOf({ maxKeys: 0, mode: 'x' });
    expect(message).toContain('maxKeys:');
    expect(message).toContain('mode:');
  });

  it('wraps a throwing getter in a ConfigError instead of leaking it', () => {
    const hostile = {
      get maxKeys(): number {
        throw new Error('getter exploded');
      },
    };
    expect(() => parseOptions(schema, hostile, 'createThing')).toThrow(ConfigError);
  });
});

describe('describeValue', () => {
  it('renders any value short and never throws', () => {
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    expect(describeValue(circular)).toBe('an object');
    expect(describeValue(10n)).toBe('10n');
    expect(describeValue(() => 1)).toBe('a function');
    expect(describeValue(-0)).toBe('-0');
    expect(describeValue('x'.repeat(500)).length).toBeLessThanOrEqual(60);
    expect(describeValue(new Date(Number.NaN))).toBe('Invalid Date');
  });
});

describe('parseOptions and collaborators', () => {
  it('never freezes an object with methods passed through z.custom', () => {
    const tracker = { record: () => {}, count: 0 };
    const withSink = z.strictObject({
      sink: z.custom<typeof tracker>((v) => typeof v === 'object' && v !== null),
      list: z.array(z.number()),
    });
    const parsed = parseOptions(withSink, { sink: tracker, list: [1] }, 'x');
    expect(parsed.sink).toBe(tracker);
    expect(Object.isFrozen(tracker)).toBe(false);
    expect(Object.isFrozen(parsed.list)).toBe(true);
  });
});
