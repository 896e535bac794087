// Found by the toYaml property test in CI (seed -882176368): a key like `e0` was written plain, and a
// YAML 1.1 reader (the dialect Prometheus's Go reader speaks) takes `e0` or `e-5` for a float, so the
// map came back as { NaN: false }. Such keys must be quoted.
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { toYaml } from '../../src/slo/yaml.js';

describe('toYaml keys', () => {
  it.each(['e0', 'E1', 'e-5', 'e12'])(
    'writes the key %s so a YAML 1.1 reader reads it back as text',
    (key) => {
      const value = { [key]: false };
      expect(parse(toYaml(value), { version: '1.1' })).toEqual(value);
      expect(parse(toYaml(value))).toEqual(value);
    },
  );

  it('still writes ordinary keys plain', () => {
    expect(toYaml({ objective: 1, e_0: 2 })).toBe('objective: 1\ne_0: 2\n');
  });
});
