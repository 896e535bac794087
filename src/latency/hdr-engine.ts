// The one file that touches hdr-histogram-js (pinned at exactly 3.0.1, JS histograms only: the WASM
// build is never initialised). The hot path does not call the library: `HdrLayout.indexOf` computes
// HdrHistogram's counts-array index with Math.clz32, the way the Java original does, because the
// library's own `countsArrayIndex` goes through Math.log2 and Math.pow and costs ~15x more. Counts
// live in our own typed arrays laid out exactly like the library's, so handing them to a library
// histogram at encode time yields byte-identical HdrHistogram V2 encodings. A test checks the index
// against the library's over every bucket edge of every supported precision, and the encodings byte
// for byte.
import {
  Float64Histogram,
  JsHistogram,
  decodeFromCompressedBase64,
  encodeIntoCompressedBase64,
} from 'hdr-histogram-js';
import { ErrorCode, SreError } from '../core/index.js';

const TWO_POW_32 = 4_294_967_296;

/** Counts of one histogram, laid out like HdrHistogram's counts array. */
export type CountsArray = Uint32Array | Float64Array;

/**
 * HdrHistogram's bucket layout for integer values in [0, highest] at `digits` significant digits,
 * with a lowest discernible value of 1. Parameters are derived with the library's own formulas.
 */
export class HdrLayout {
  /** Significant decimal digits kept (1..5). */
  readonly digits: number;
  /** The highest value tracked; larger values are clamped to it by the caller. */
  readonly highest: number;
  /** Length of the counts array, as the library allocates it. */
  readonly length: number;
  /** The index `highest` falls in: the last index a clamped value can reach. */
  readonly highestIndex: number;
  readonly subBucketHalfCountMagnitude: number;
  readonly subBucketHalfCount: number;
  readonly subBucketCount: number;
  readonly subBucketMask: number;
  // 31 - subBucketHalfCountMagnitude - unitMagnitude (0): the 32-bit form of Java's leadingZeroCountBase.
  readonly #bucketBase: number;

  constructor(highest: number, digits: number) {
    this.digits = digits;
    this.highest = highest;
    // Same arithmetic as JsHistogram.init, with lowestDiscernibleValue = 1 (so unitMagnitude = 0).
    const largestValueWithSingleUnitResolution = 2 * Math.floor(Math.pow(10, digits));
    const subBucketCountMagnitude = Math.ceil(Math.log2(largestValueWithSingleUnitResolution));
    this.subBucketHalfCountMagnitude = (subBucketCountMagnitude > 1 ? subBucketCountMagnitude : 1) - 1;
    this.subBucketCount = Math.pow(2, this.subBucketHalfCountMagnitude + 1);
    this.subBucketHalfCount = this.subBucketCount / 2;
    this.subBucketMask = this.subBucketCount - 1;
    let smallestUntrackable = this.subBucketCount;
    let bucketsNeeded = 1;
    while (smallestUntrackable <= highest) {
      smallestUntrackable *= 2;
      bucketsNeeded++;
    }
    this.length = (bucketsNeeded + 1) * this.subBucketHalfCount;
    this.#bucketBase = 31 - this.subBucketHalfCountMagnitude;
    this.highestIndex = this.indexOf(highest);
  }

  /** The counts-array index of an integer value in [0, 2^53); the hot path of every record. */
  indexOf(value: number): number {
    if (value < TWO_POW_32) {
      // `value | mask` keeps small values in bucket 0; clz32 reads it as unsigned, so values >= 2^31 work.
      const bucket = this.#bucketBase - Math.clz32(value | this.subBucketMask);
      return (
        ((bucket + 1) << this.subBucketHalfCountMagnitude) + (value >>> bucket) - this.subBucketHalfCount
      );
    }
    return this.#indexOfLarge(value);
  }

  #indexOfLarge(value: number): number {
    const bucket = this.#bucketBase + 32 - Math.clz32(Math.floor(value / TWO_POW_32));
    const subBucket = Math.floor(value / Math.pow(2, bucket));
    return (bucket + 1) * this.subBucketHalfCount + subBucket - this.subBucketHalfCount;
  }

  /** The lowest value counted at `index` (the library's `valueFromIndex`). */
  lowestAt(index: number): number {
    let bucket = Math.floor(index / this.subBucketHalfCount) - 1;
    let subBucket = (index % this.subBucketHalfCount) + this.subBucketHalfCount;
    if (bucket < 0) {
      subBucket -= this.subBucketHalfCount;
      bucket = 0;
    }
    return subBucket * Math.pow(2, bucket);
  }

  /** The highest value counted at `index` (the library's `highestEquivalentValue(valueFromIndex(i))`). */
  highestAt(index: number): number {
    const bucket = Math.max(Math.floor(index / this.subBucketHalfCount) - 1, 0);
    return this.lowestAt(index) + Math.pow(2, bucket) - 1;
  }

  /** The middle of the values counted at `index`, rounded up (the library's `medianEquivalentValue`). */
  medianAt(index: number): number {
    const bucket = Math.max(Math.floor(index / this.subBucketHalfCount) - 1, 0);
    return this.lowestAt(index) + Math.floor(Math.pow(2, bucket) / 2);
  }
}

/**
 * Encodes counts laid out by `layout` as an HdrHistogram V2 compressed base64 string, through the
 * library, so any HdrHistogram implementation can decode it. Only indices in [from, to] are read.
 */
export function encodeCounts(layout: HdrLayout, counts: ArrayLike<number>, from: number, to: number): string {
  const histogram = new Float64Histogram(1, layout.highest, layout.digits);
  for (let i = from; i <= to; i++) {
    const count = counts[i] as number;
    if (count !== 0) histogram.setCountAtIndex(i, count);
  }
  // Sets the max, min and total the encoder reads (it writes counts up to the max value's index).
  histogram.establishInternalTackingValues();
  return encodeIntoCompressedBase64(histogram);
}

/** Another histogram's content, re-bucketed into our layout by {@link decodeCounts}. */
export interface DecodedCounts {
  /** Counts in our layout (length `layout.length`). */
  readonly counts: Float64Array;
  /** Lowest and highest non-zero index in `counts`; `from > to` when empty. */
  readonly from: number;
  readonly to: number;
  /** Total count. */
  readonly total: number;
  /** How many values were above `layout.highest` and were clamped to it. */
  readonly overflow: number;
  /** Sum of values estimated from bucket midpoints (the encoding carries no exact sum). */
  readonly sumEstimate: number;
}

/**
 * Decodes an HdrHistogram V2 compressed base64 string (from {@link encodeCounts}, hdr-histogram-js or
 * HdrHistogram in another language) and re-buckets its counts into `layout`, clamping values above
 * `layout.highest`.
 *
 * @throws {SreError} with code `ERR_SRE_INVALID_ENCODING` when the input is not such a histogram.
 */
export function decodeCounts(layout: HdrLayout, encoded: string): DecodedCounts {
  const decoded = decodeHistogram(encoded);
  const counts = new Float64Array(layout.length);
  // Same shape (precision and unit) means index i holds the same values on both sides.
  const sameShape =
    decoded.subBucketHalfCountMagnitude === layout.subBucketHalfCountMagnitude && decoded.unitMagnitude === 0;
  let from = layout.length;
  let to = -1;
  let total = 0;
  let overflow = 0;
  let sumEstimate = 0;
  for (let i = 0; i < decoded.countsArrayLength; i++) {
    const count = decoded.getCountAtIndex(i);
    if (!(count > 0)) continue;
    let index: number;
    let value: number;
    if (sameShape && i <= layout.highestIndex) {
      index = i;
      value = Math.min(layout.medianAt(i), layout.highest);
    } else {
      // As the library's add() does for differing layouts: each bucket lands at its lowest value.
      const lowest = decoded.valueFromIndex(i);
      if (lowest > layout.highest) {
        index = layout.highestIndex;
        value = layout.highest;
        overflow += count;
      } else {
        index = layout.indexOf(lowest);
        value = Math.min(decoded.medianEquivalentValue(lowest), layout.highest);
      }
    }
    counts[index] = (counts[index] as number) + count;
    total += count;
    sumEstimate += value * count;
    if (index < from) from = index;
    if (index > to) to = index;
  }
  return { counts, from, to, total, overflow, sumEstimate };
}

/** A decoded histogram's non-empty buckets, ascending: each one's value range (µs) and count. */
export interface SparseCounts {
  /** The lowest value each bucket counts. */
  readonly lowest: Float64Array;
  /** The highest value each bucket counts. */
  readonly highest: Float64Array;
  readonly counts: Float64Array;
  readonly total: number;
  /** The histogram's significant decimal digits. */
  readonly digits: number;
}

/**
 * Decodes an HdrHistogram V2 compressed base64 string into its non-empty buckets at its own
 * resolution, in O(counts array): what a two-sample comparison of histograms reads.
 *
 * @throws {SreError} with code `ERR_SRE_INVALID_ENCODING` when the input is not such a histogram.
 */
export function decodeSparse(encoded: string): SparseCounts {
  const decoded = decodeHistogram(encoded);
  const lowest: number[] = [];
  const highest: number[] = [];
  const counts: number[] = [];
  let total = 0;
  for (let i = 0; i < decoded.countsArrayLength; i++) {
    const count = decoded.getCountAtIndex(i);
    if (!(count > 0)) continue;
    const low = decoded.valueFromIndex(i);
    lowest.push(low);
    highest.push(decoded.highestEquivalentValue(low));
    counts.push(count);
    total += count;
  }
  return {
    lowest: Float64Array.from(lowest),
    highest: Float64Array.from(highest),
    counts: Float64Array.from(counts),
    total,
    digits: decoded.numberOfSignificantValueDigits,
  };
}

function decodeHistogram(encoded: string): JsHistogram {
  if (typeof encoded !== 'string') {
    throw new SreError(
      ErrorCode.INVALID_ENCODING,
      `Expected an HdrHistogram base64 string, received ${typeof encoded}`,
    );
  }
  try {
    // 64-bit counts: another process's lifetime histogram may hold more than 2^32 in one bucket.
    const histogram = decodeFromCompressedBase64(encoded, 64, false);
    if (!(histogram instanceof JsHistogram)) throw new Error('decoded to a non-JS histogram');
    return histogram;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new SreError(
      ErrorCode.INVALID_ENCODING,
      `Not an HdrHistogram V2 compressed base64 string: ${reason}`,
      {
        cause: error,
      },
    );
  }
}
