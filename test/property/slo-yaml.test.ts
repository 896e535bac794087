// The SLO exporters' hand-written YAML writer (src/slo/yaml.ts), read back by a full YAML library:
// whatever plain data it writes, `yaml` parses to the same data, under YAML 1.2 and under YAML 1.1 (the
// dialect Prometheus's Go reader speaks, where `on`, `yes` or `n` would otherwise turn into booleans).
import fc from 'fast-check';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { toYaml } from '../../src/slo/yaml.js';

// JSON values without -0 (YAML writes it as 0) and with keys and strings that tempt a reader: words
// YAML 1.1 treats as booleans or null, numbers as text, comments, quotes, non-ASCII.
const tricky = fc.constantFrom(
  'on',
  'Off',
  'yes',
  'N',
  'null',
  '~',
  '0x1F',
  '1e3',
  '# not a comment',
  "it's",
  'ü',
  '',
);
const text = fc.oneof(fc.string({ maxLength: 12 }), tricky, fc.string({ unit: 'grapheme', maxLength: 6 }));
const data = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    text,
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }).filter((x) => !Object.is(x, -0)),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(text, tie('value'), { maxKeys: 4 }),
  ),
})).value;

describe('toYaml (property)', () => {
  it('writes YAML that a YAML 1.2 and a YAML 1.1 reader parse back to the same data', () => {
    fc.assert(
      fc.property(fc.dictionary(text, data, { maxKeys: 5 }), (value) => {
        const written = toYaml(value);
        expect(parse(written)).toEqual(value);
        expect(parse(written, { version: '1.1' })).toEqual(value);
      }),
      { numRuns: 500 },
    );
  });
});
