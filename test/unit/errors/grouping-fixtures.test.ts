// Grouping quality on hand-labelled real-shaped Node errors (see node-error-fixtures.ts). Measured
// over pairs of errors: a pair in the same labelled group and the same fingerprint is a true positive,
// a pair in different groups with one fingerprint a false positive (over-grouping), a pair in one group
// with two fingerprints a false negative (under-grouping).
import { describe, expect, it } from 'vitest';
import { createErrorGroups } from 'sre-kit';
import { FIXTURE_ROOT, KNOWN_LIMITS, NODE_ERRORS, type LabelledError } from './node-error-fixtures.js';

function fingerprints(errors: readonly LabelledError[] = NODE_ERRORS): string[] {
  const groups = createErrorGroups({ inAppRoot: FIXTURE_ROOT });
  return errors.map(({ error }) => groups.capture(error));
}

/** Pairwise confusion of fingerprints against labels. */
function score(errors: readonly LabelledError[]) {
  const ids = fingerprints(errors);
  let tp = 0;
  let fp = 0;
  let fn = 0;
  const wrong: string[] = [];
  for (let i = 0; i < ids.length; i++) {
    for (let j = i + 1; j < ids.length; j++) {
      const sameLabel = errors[i]!.group === errors[j]!.group;
      const sameId = ids[i] === ids[j];
      if (sameLabel && sameId) tp++;
      else if (sameId) {
        fp++;
        wrong.push(`merged: ${errors[i]!.group} + ${errors[j]!.group}`);
      } else if (sameLabel) {
        fn++;
        wrong.push(`split: ${errors[i]!.group} (#${i} vs #${j})`);
      }
    }
  }
  const labels = new Set(errors.map((e) => e.group)).size;
  const summary =
    `${errors.length} errors, ${labels} labelled groups, ${new Set(ids).size} fingerprints; ` +
    `pairs: ${tp} TP, ${fp} FP, ${fn} FN; precision ${(tp / (tp + fp)).toFixed(3)} (${tp}/${tp + fp}), ` +
    `recall ${(tp / (tp + fn)).toFixed(3)} (${tp}/${tp + fn})`;
  return { tp, fp, fn, precision: tp / (tp + fp), recall: tp / (tp + fn), wrong, summary };
}

describe('grouping real-shaped Node errors', () => {
  it('has at least 40 fixtures in groups of two or more', () => {
    expect(NODE_ERRORS.length).toBeGreaterThanOrEqual(40);
    const sizes = new Map<string, number>();
    for (const { group } of NODE_ERRORS) sizes.set(group, (sizes.get(group) ?? 0) + 1);
    for (const [group, size] of sizes) expect(size, group).toBeGreaterThanOrEqual(2);
  });

  it('precision and recall against the hand labels are both >= 0.95', () => {
    const result = score(NODE_ERRORS);
    console.log(result.summary);
    if (result.wrong.length > 0) console.log(result.wrong.join('\n'));
    expect(result.precision).toBeGreaterThanOrEqual(0.95);
    expect(result.recall).toBeGreaterThanOrEqual(0.95);
  });

  it('known limits: two asserts in one function merge, a renamed caller splits', () => {
    const ids = fingerprints(KNOWN_LIMITS);
    // Both invariants fail in createShipment through the same helper: one group.
    expect(new Set(ids.slice(0, 4)).size).toBe(1);
    // fetchOrder (renamed from getOrder) is not grouped with getOrder's "order not found".
    const withRename = score([...NODE_ERRORS, ...KNOWN_LIMITS]);
    console.log(`with the known limits: ${withRename.summary}`);
    expect([...withRename.wrong].sort()).toEqual([
      ...Array<string>(4).fill('merged: shipment address missing + shipment weight not positive'),
      'split: order not found (#40 vs #71)',
      'split: order not found (#41 vs #71)',
    ]);
  });

  it('a line shift does not split a group; one message from two call sites does', () => {
    const ids = fingerprints();
    const idsOf = (group: string) =>
      new Set(NODE_ERRORS.flatMap((e, i) => (e.group === group ? [ids[i]] : [])));
    // Members differ by line and column numbers (a redeploy), and by key values in the message.
    expect(idsOf('pool timeout reading an order').size).toBe(1);
    expect(idsOf('bundle: items not an array').size).toBe(1);
    // "Cannot read properties of undefined (reading 'id')" from formatOrder and from formatUser.
    const fromOrders = [...idsOf('formatOrder reads undefined')];
    const fromUsers = [...idsOf('formatUser reads undefined')];
    expect(fromOrders).toHaveLength(1);
    expect(fromUsers).toHaveLength(1);
    expect(fromOrders[0]).not.toBe(fromUsers[0]);
    // One helper (notFound) thrown for two callers.
    expect(idsOf('order not found')).not.toEqual(idsOf('user not found'));
  });
});
