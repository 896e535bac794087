// Guards the fast path: our Math.clz32 bucket index and layout must match hdr-histogram-js 3.0.1 exactly,
// or encodings would stop being byte-identical (and other processes would merge wrong buckets).
import {
  build,
  decodeFromCompressedBase64,
  encodeIntoCompressedBase64,
  type Histogram,
} from 'hdr-histogram-js';
import { describe, expect, it } from 'vitest';
import { ErrorCode, isSreError } from 'sre-kit';
import { HdrLayout, decodeCounts, encodeCounts } from '../../../src/latency/hdr-engine.js';

interface LibHistogram extends Histogram {
  countsArrayIndex(value: number): number;
  valueFromIndex(index: number): number;
  highestEquivalentValue(value: number): number;
  medianEquivalentValue(value: number): number;
  getCountAtIndex(index: number): number;
  countsArrayLength: number;
  subBucketHalfCountMagnitude: number;
  subBucketHalfCount: number;
  subBucketCount: number;
  subBucketMask: number;
}

const libHistogram = (highest: number, digits: number, bitBucketSize: 32 | 64 = 64): LibHistogram =>
  build({
    bitBucketSize,
    autoResize: false,
    lowestDiscernibleValue: 1,
    highestTrackableValue: highest,
    numberOfSignificantValueDigits: digits as 1 | 2 | 3 | 4 | 5,
  }) as LibHistogram;

// Default range (60 s in µs), around 2^31 and 2^32 (where 32-bit tricks break), and the one-day maximum.
const HIGHEST = [2, 1_000, 60_000_000, 2 ** 31 + 7, 2 ** 32 + 5, 86_400_000_000];
const CONFIGS = [1, 2, 3, 4, 5].flatMap((digits) =>
  HIGHEST.filter((highest) => digits <= 3 || highest === 60_000_000 || highest === 2 ** 32 + 5).map(
    (highest) => [digits, highest] as const,
  ),
);

describe('HdrLayout', () => {
  it.each(CONFIGS)('derives the library parameters at %i digits up to %i', (digits, highest) => {
    const layout = new HdrLayout(highest, digits);
    const lib = libHistogram(highest, digits);
    expect({
      subBucketHalfCountMagnitude: layout.subBucketHalfCountMagnitude,
      subBucketHalfCount: layout.subBucketHalfCount,
      subBucketCount: layout.subBucketCount,
      subBucketMask: layout.subBucketMask,
      length: layout.length,
    }).toEqual({
      subBucketHalfCountMagnitude: lib.subBucketHalfCountMagnitude,
      subBucketHalfCount: lib.subBucketHalfCount,
      subBucketCount: lib.subBucketCount,
      subBucketMask: lib.subBucketMask,
      length: lib.countsArrayLength,
    });
  });

  it.each(CONFIGS)(
    'indexes every bucket edge like countsArrayIndex at %i digits up to %i',
    (digits, highest) => {
      const layout = new HdrLayout(highest, digits);
      const lib = libHistogram(highest, digits);
      // Inside a bucket the index is a plain shift, so past ~100k buckets (4 and 5 digits) checking each
      // bucket's first and last 64 sub-buckets and a stride in between covers every code path.
      const half = layout.subBucketHalfCount;
      const sampled = layout.length > 100_000;
      let mismatches = 0;
      for (let index = 0; index < layout.length; index++) {
        const offset = index % half;
        if (sampled && offset >= 64 && offset < half - 64 && index % 97 !== 0) continue;
        const lowest = layout.lowestAt(index);
        if (lowest > highest) break;
        const top = layout.highestAt(index);
        if (lowest !== lib.valueFromIndex(index)) mismatches++;
        if (top !== lib.highestEquivalentValue(lowest)) mismatches++;
        if (layout.medianAt(index) !== lib.medianEquivalentValue(lowest)) mismatches++;
        // Both edges of the bucket, their outside neighbours and the middle.
        for (const value of [lowest, top, lowest + Math.floor((top - lowest) / 2), top + 1, lowest - 1]) {
          if (value < 0 || value > highest) continue;
          if (layout.indexOf(value) !== lib.countsArrayIndex(value)) mismatches++;
        }
      }
      expect(mismatches).toBe(0);
      expect(layout.highestIndex).toBe(lib.countsArrayIndex(highest));
    },
  );

  it('indexes every value below 2^17 like the library', () => {
    const layout = new HdrLayout(60_000_000, 2);
    const lib = libHistogram(60_000_000, 2);
    let mismatches = 0;
    for (let value = 0; value < 2 ** 17; value++)
      if (layout.indexOf(value) !== lib.countsArrayIndex(value)) mismatches++;
    expect(mismatches).toBe(0);
  });
});

describe('encodeCounts', () => {
  it.each([1, 2, 3, 5])(
    'is byte-identical to the library recording the same values (%i digits)',
    (digits) => {
      const highest = 60_000_000;
      const layout = new HdrLayout(highest, digits);
      const lib = libHistogram(highest, digits, 32);
      const counts = new Uint32Array(layout.length);
      let seed = 12345;
      const random = (): number => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
      for (let n = 0; n < 20_000; n++) {
        const value = Math.floor(Math.exp(random() * Math.log(highest)));
        lib.recordValue(value);
        counts[layout.indexOf(value)]!++;
      }
      lib.recordValue(highest);
      counts[layout.highestIndex]!++;
      expect(encodeCounts(layout, counts, 0, layout.length - 1)).toBe(encodeIntoCompressedBase64(lib));
    },
  );

  it('encodes an empty histogram like the library', () => {
    const layout = new HdrLayout(60_000_000, 2);
    expect(encodeCounts(layout, [], 0, -1)).toBe(encodeIntoCompressedBase64(libHistogram(60_000_000, 2, 32)));
  });
});

describe('decodeCounts', () => {
  it('reads back what encodeCounts wrote, index for index', () => {
    const layout = new HdrLayout(60_000_000, 2);
    const counts = new Float64Array(layout.length);
    counts[10] = 3;
    counts[700] = 5;
    counts[layout.highestIndex] = 1;
    const decoded = decodeCounts(layout, encodeCounts(layout, counts, 0, layout.length - 1));
    expect([...decoded.counts]).toEqual([...counts]);
    expect(decoded).toMatchObject({ from: 10, to: layout.highestIndex, total: 9, overflow: 0 });
  });

  it('re-buckets a histogram with another precision and range, clamping what is above ours', () => {
    const layout = new HdrLayout(1_000_000, 2);
    const lib = build({ numberOfSignificantValueDigits: 3 }); // auto-resizing, like most users build it
    lib.recordValueWithCount(1_234, 4);
    lib.recordValueWithCount(5_000_000, 2);
    const decoded = decodeCounts(layout, encodeIntoCompressedBase64(lib));
    expect(decoded.total).toBe(6);
    expect(decoded.overflow).toBe(2);
    expect(decoded.counts[layout.indexOf(1_234)]).toBe(4);
    expect(decoded.counts[layout.highestIndex]).toBe(2);
  });

  it('keeps counts past 2^32 in one bucket', () => {
    const layout = new HdrLayout(60_000_000, 2);
    const lib = libHistogram(60_000_000, 2, 64);
    lib.recordValueWithCount(1_000, 5e9);
    const decoded = decodeCounts(layout, encodeIntoCompressedBase64(lib));
    expect(decoded.counts[layout.indexOf(1_000)]).toBe(5e9);
  });

  it.each([['not base64 at all!'], [''], ['AAAA'], [Buffer.from('hello world').toString('base64')], [42]])(
    'throws ERR_SRE_INVALID_ENCODING for %j',
    (input) => {
      const layout = new HdrLayout(60_000_000, 2);
      let thrown: unknown;
      try {
        decodeCounts(layout, input as string);
      } catch (error) {
        thrown = error;
      }
      expect(isSreError(thrown, ErrorCode.INVALID_ENCODING)).toBe(true);
    },
  );

  it('agrees with the library decoder on totals', () => {
    const layout = new HdrLayout(60_000_000, 2);
    const lib = libHistogram(60_000_000, 2);
    for (let v = 1; v < 60_000_000; v = Math.ceil(v * 1.37)) lib.recordValue(v);
    const encoded = encodeIntoCompressedBase64(lib);
    expect(decodeCounts(layout, encoded).total).toBe(decodeFromCompressedBase64(encoded).totalCount);
  });
});
