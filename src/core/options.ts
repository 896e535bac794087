import type { z } from 'zod';
import { ConfigError, type ConfigIssue } from './errors.js';

type Issue = z.core.$ZodIssue;
type Path = readonly PropertyKey[];

const MAX_RECEIVED_LENGTH = 60;

/**
 * Validates `input` against `schema` once, at construction, and returns the parsed value deep-frozen.
 *
 * @param where Names the API the options belong to, e.g. `createLatencyTracker`; it starts the message.
 * @throws {ConfigError} naming every bad field, the value received and what was expected. Any other
 *   failure while validating (a throwing getter, a hostile proxy) is wrapped in a ConfigError as well.
 */
export function parseOptions<S extends z.ZodType>(schema: S, input: unknown, where: string): z.output<S> {
  let result: z.ZodSafeParseResult<z.output<S>>;
  try {
    result = schema.safeParse(input, { reportInput: true });
  } catch (error) {
    const issue = { field: '(options)', received: describeValue(input), expected: 'readable options' };
    throw new ConfigError(where, [issue], { cause: error });
  }
  if (!result.success) throw new ConfigError(where, toConfigIssues(result.error.issues, [], input));
  return freezeDeep(result.data);
}

function toConfigIssues(issues: readonly Issue[], prefix: Path, root: unknown): ConfigIssue[] {
  return issues.flatMap((issue) => describeIssue(issue, [...prefix, ...issue.path], root));
}

function describeIssue(issue: Issue, path: Path, root: unknown): ConfigIssue[] {
  switch (issue.code) {
    case 'unrecognized_keys':
      return issue.keys.map((key) => {
        const keyPath = [...path, key];
        return {
          field: formatPath(keyPath),
          received: receivedAt(root, keyPath, undefined),
          expected: 'no such option (unknown key)',
        };
      });
    case 'invalid_union':
      return describeUnion(issue, path, root);
    default:
      return [
        {
          field: formatPath(path),
          received: receivedAt(root, path, issue.input),
          expected: expectedOf(issue),
        },
      ];
  }
}

function describeUnion(issue: z.core.$ZodIssueInvalidUnion, path: Path, root: unknown): ConfigIssue[] {
  const field = formatPath(path);
  const received = receivedAt(root, path, issue.input);
  const discriminatorOptions = (issue as { options?: unknown[] }).options;
  if (Array.isArray(discriminatorOptions)) {
    return [{ field, received, expected: `one of ${discriminatorOptions.map(describeLiteral).join(' | ')}` }];
  }
  const branches = issue.errors;
  if (branches.length === 0) return [{ field, received, expected: expectedOf(issue) }];
  // When every alternative failed at the value itself, list the alternatives ("false or an object").
  // Otherwise the value matched one shape most closely: report that branch's own field errors.
  if (branches.every((branch) => branch.length === 1 && branch[0]?.path.length === 0)) {
    const expected = [...new Set(branches.map((branch) => expectedOf(branch[0] as Issue)))].join(' or ');
    return [{ field, received, expected }];
  }
  const closest = branches.reduce((best, branch) => (branch.length < best.length ? branch : best));
  return toConfigIssues(closest, path, root);
}

function expectedOf(issue: Issue): string {
  switch (issue.code) {
    case 'invalid_type':
      return withArticle(issue.expected === 'int' ? 'integer' : issue.expected);
    case 'too_small':
    case 'too_big': {
      const small = issue.code === 'too_small';
      const bound = small ? issue.minimum : issue.maximum;
      const op = small ? (issue.inclusive ? '>=' : '>') : issue.inclusive ? '<=' : '<';
      if (issue.origin === 'array' || issue.origin === 'set')
        return `${small ? 'at least' : 'at most'} ${bound} items`;
      if (issue.origin === 'string') return `${small ? 'at least' : 'at most'} ${bound} characters`;
      return `a ${issue.origin} ${op} ${String(bound)}`;
    }
    case 'invalid_value':
      return issue.values.length === 1
        ? describeLiteral(issue.values[0])
        : `one of ${issue.values.map(describeLiteral).join(' | ')}`;
    case 'not_multiple_of':
      return `a multiple of ${String(issue.divisor)}`;
    case 'invalid_format':
      return `a string in ${issue.format} format`;
    case 'custom':
      return issue.message;
    default:
      return issue.message.replace(/^Invalid input:?\s*/, '') || 'a valid value';
  }
}

function withArticle(noun: string): string {
  return /^[aeiou]/i.test(noun) ? `an ${noun}` : `a ${noun}`;
}

function describeLiteral(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

// Zod reports some inputs after coercion (NaN arrives as null), so read the raw value where we can.
function receivedAt(root: unknown, path: Path, fallback: unknown): string {
  let current: unknown = root;
  try {
    for (const key of path) {
      if (typeof current !== 'object' || current === null) return describeValue(fallback);
      current = (current as Record<PropertyKey, unknown>)[key];
    }
  } catch {
    return describeValue(fallback);
  }
  return describeValue(current);
}

function formatPath(path: Path): string {
  if (path.length === 0) return '(options)';
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else if (typeof key === 'string' && /^[A-Za-z_$][\w$]*$/.test(key)) out += out === '' ? key : `.${key}`;
    else out += `[${typeof key === 'symbol' ? key.toString() : JSON.stringify(key)}]`;
  }
  return out;
}

/** Renders any value short and safe to put in an error message (never throws). */
export function describeValue(value: unknown): string {
  try {
    switch (typeof value) {
      case 'string':
        return truncate(JSON.stringify(value));
      case 'number':
        return Object.is(value, -0) ? '-0' : String(value);
      case 'bigint':
        return `${value}n`;
      case 'function':
        return 'a function';
      case 'symbol':
        return value.toString();
      case 'undefined':
        return 'undefined';
      case 'boolean':
        return String(value);
      default:
        if (value === null) return 'null';
        if (value instanceof Date)
          return Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString();
        return truncate(JSON.stringify(value) ?? Object.prototype.toString.call(value));
    }
  } catch {
    return Array.isArray(value) ? 'an array' : 'an object';
  }
}

function truncate(text: string): string {
  return text.length <= MAX_RECEIVED_LENGTH ? text : `${text.slice(0, MAX_RECEIVED_LENGTH - 1)}…`;
}

/**
 * Freezes plain data recursively: plain objects and arrays. Functions, class instances, signals and
 * any object with a method of its own (a collaborator such as a tracker passed through `z.custom`) are
 * left alone, so validating options never freezes an object the caller still owns.
 */
export function freezeDeep<T>(value: T): T {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return value;
  const proto = Object.getPrototypeOf(value) as unknown;
  if (!Array.isArray(value) && proto !== Object.prototype && proto !== null) return value;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  if (!Array.isArray(value) && keys.some((key) => typeof record[key] === 'function')) return value;
  Object.freeze(value);
  for (const key of keys) freezeDeep(record[key]);
  return value;
}
