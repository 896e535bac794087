import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigError, isSreError } from 'sre-kit';
import { parseOptions } from '../../src/core/index.js';

const schema = z.strictObject({
  maxKeys: z.number().int().positive().optional(),
  ratio: z.number().gt(0).lt(1).optional(),
  name: z.string().min(1).optional(),
  mode: z.enum(['a', 'b']).optional(),
  window: z
    .union([
      z.literal(false),
      z.strictObject({ durationMs: z.number().positive(), slices: z.number().int().min(1).max(60) }),
    ])
    .optional(),
  thresholdsMs: z.array(z.number().positive()).optional(),
});

const fields = ['maxKeys', 'ratio', 'name', 'mode', 'window', 'thresholdsMs'] as const;

// Values no field of the schema accepts: each is wrong for every field it is put in.
const badValue = fc.oneof(
  fc.constantFrom(Number.NaN, Infinity, -Infinity, -1, 0, 1.5, -0.5, null, true, Symbol('s'), 10n),
  fc
    .string()
    .filter((s) => s !== 'a' && s !== 'b')
    .map((s) => ({ s })),
  fc.array(fc.constantFrom('x', -1, null), { minLength: 1, maxLength: 3 }),
  fc.func(fc.nat()),
  fc.date(),
);

describe('parseOptions properties', () => {
  it('any bad value in any field gives a ConfigError naming that field, never another error', () => {
    fc.assert(
      fc.property(fc.constantFrom(...fields), badValue, (field, value) => {
        let thrown: unknown;
        try {
          parseOptions(schema, { [field]: value }, 'createThing');
        } catch (error) {
          thrown = error;
        }
        expect(thrown).toBeInstanceOf(ConfigError);
        expect(isSreError(thrown, 'ERR_SRE_INVALID_OPTIONS')).toBe(true);
        const error = thrown as ConfigError;
        expect(error.issues.length).toBeGreaterThan(0);
        for (const issue of error.issues) expect(issue.field.startsWith(field)).toBe(true);
        expect(error.message).toContain(`${field}`);
      }),
      { numRuns: 500 },
    );
  });

  it('any input at all either parses or throws a ConfigError', () => {
    fc.assert(
      fc.property(
        fc.anything({ withBigInt: true, withDate: true, withMap: true, withNullPrototype: true }),
        (input) => {
          try {
            parseOptions(schema, input, 'createThing');
          } catch (error) {
            expect(error).toBeInstanceOf(ConfigError);
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it('unknown keys are each named', () => {
    fc.assert(
      fc.property(
        fc
          .string({ minLength: 1 })
          .filter((k) => !(fields as readonly string[]).includes(k) && k !== '__proto__'),
        fc.anything(),
        (key, value) => {
          const input = Object.defineProperty({}, key, { value, enumerable: true });
          expect(() => parseOptions(schema, input, 'createThing')).toThrow(ConfigError);
          try {
            parseOptions(schema, input, 'createThing');
          } catch (error) {
            expect(
              (error as ConfigError).issues.some(
                (issue) => issue.field.includes(key) || issue.field.includes(JSON.stringify(key)),
              ),
            ).toBe(true);
          }
        },
      ),
    );
  });
});
