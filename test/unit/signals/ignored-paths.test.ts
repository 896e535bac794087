import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createGoldenSignals } from 'sre-kit';

// The straightforward definition isIgnored must keep: the path without its query string, or the path up
// to any `/` after its first character, is one of the ignored paths.
function reference(ignore: readonly string[], path: string): boolean {
  const set = new Set(ignore);
  const q = path.indexOf('?');
  const bare = q === -1 ? path : path.slice(0, q);
  if (set.has(bare)) return true;
  for (let slash = bare.lastIndexOf('/'); slash > 0; slash = bare.lastIndexOf('/', slash - 1)) {
    if (set.has(bare.slice(0, slash))) return true;
  }
  return false;
}

const segment = fc.constantFrom('', 'a', 'ab', 'readyz', 'livez', 'x?y', '?', 'health', 'db', 'é', 'éa');
const pathArb = fc.array(segment, { minLength: 1, maxLength: 5 }).map((parts) => `/${parts.join('/')}`);

describe('isIgnored', () => {
  it('agrees with the plain definition on any ignore list and path', () => {
    fc.assert(
      fc.property(fc.array(pathArb, { maxLength: 6 }), pathArb, (ignore, path) => {
        expect(createGoldenSignals({ ignore }).isIgnored(path)).toBe(reference(ignore, path));
      }),
      { numRuns: 2_000 },
    );
  });

  it('covers children and query strings of an ignored path, never its siblings', () => {
    const signals = createGoldenSignals({ ignore: ['/readyz', '/internal/'] });
    expect(signals.isIgnored('/readyz/db?verbose')).toBe(true);
    expect(signals.isIgnored('/readyz?x=/y')).toBe(true);
    expect(signals.isIgnored('/readyzz')).toBe(false);
    expect(signals.isIgnored('/internal/')).toBe(true);
    expect(signals.isIgnored('/internal//x')).toBe(true);
    expect(signals.isIgnored('/internal/x')).toBe(false);
    expect(signals.isIgnored('/a?/readyz')).toBe(false);
  });

  it('handles `/` and non-ASCII entries, which the second-character look-up cannot pre-sort', () => {
    const root = createGoldenSignals({ ignore: ['/', '/metrics'] });
    expect(root.isIgnored('/')).toBe(true);
    expect(root.isIgnored('/?q=1')).toBe(true);
    expect(root.isIgnored('/metrics/x')).toBe(true);
    expect(root.isIgnored('/users')).toBe(false);
    const accented = createGoldenSignals({ ignore: ['/état', '/livez'] });
    expect(accented.isIgnored('/état/x')).toBe(true);
    expect(accented.isIgnored('/étage')).toBe(false);
    expect(accented.isIgnored('/livez')).toBe(true);
    expect(createGoldenSignals().isIgnored('/état')).toBe(false);
    expect(createGoldenSignals().isIgnored('')).toBe(false);
  });
});
