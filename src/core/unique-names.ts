/** The part of zod's refinement context {@link checkUnique} writes to. */
export interface UniqueIssueSink {
  addIssue(issue: { code: 'custom'; path: PropertyKey[]; message: string }): void;
}

/** What {@link checkUnique} compares, and the words its messages use. */
export interface UniqueCheck {
  /** What one item is, in messages: `breaker`, `SLO`. */
  readonly noun: string;
  /** What an item listed twice is, in messages: `SLO tracker`. @default noun */
  readonly thing?: string;
  /** The item's name; items without a string name are compared by identity only. @default item.name */
  readonly nameOf?: (item: unknown) => unknown;
}

const nameProperty = (item: unknown): unknown =>
  typeof item === 'object' && item !== null ? (item as { name?: unknown }).name : undefined;

/**
 * Adds a zod issue for every item of `items` that repeats an earlier one: a named item whose name was
 * seen before (the same object twice, or two with one name: series Prometheus cannot tell apart, events
 * counted twice), or a nameless item listed twice. Messages name what repeats:
 * `breakers[1]: expected unique breaker names (payments repeats)`.
 */
export function checkUnique(
  ctx: UniqueIssueSink,
  items: readonly unknown[],
  path: readonly PropertyKey[],
  check: UniqueCheck,
): void {
  const nameOf = check.nameOf ?? nameProperty;
  const seen = new Set<unknown>();
  const names = new Set<string>();
  items.forEach((item, i) => {
    const name = nameOf(item);
    if (typeof name === 'string') {
      if (names.has(name))
        ctx.addIssue({
          code: 'custom',
          path: [...path, i],
          message: `unique ${check.noun} names (${name} repeats)`,
        });
      names.add(name);
    } else {
      if (seen.has(item))
        ctx.addIssue({
          code: 'custom',
          path: [...path, i],
          message: `each ${check.thing ?? check.noun} once (the same one is listed twice)`,
        });
      seen.add(item);
    }
  });
}
