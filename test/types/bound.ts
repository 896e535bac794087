import type { z } from 'zod';

// An options interface is bound to its schema: the same keys, and every value the interface allows
// is one the schema's input type accepts (readonly arrays aside: zod infers mutable ones).
type Writable<T> = T extends readonly (infer U)[] ? U[] : T;
type WritableFields<T> = { [K in keyof T]: Writable<T[K]> };

/** `true` when interface `I` and schema `S` agree; otherwise a string saying how they differ. */
export type Bound<I, S extends z.ZodType> = [keyof I] extends [keyof z.input<S>]
  ? [keyof z.input<S>] extends [keyof I]
    ? WritableFields<I> extends z.input<S>
      ? true
      : 'interface allows a value the schema rejects'
    : 'schema has a key the interface lacks'
  : 'interface has a key the schema lacks';
