// The fingerprint of a thrown value: what makes two errors "the same problem". After Sentry's
// newstyle grouping, with one addition for stacks that say too little:
//   1. an explicit `err.fingerprint` (a string or strings; "{{ default }}" stands for the rule below);
//   2. else the error type (name, and a string `code` such as ECONNREFUSED or 23505, from the error or
//      its cause) and the top in-app frames as function + root-relative file, no line or column;
//   3. with no in-app frame, the top library / node:internal frames, plus the parameterised message
//      (a library frame says where, not what: two redis replies parse in the same function);
//   4. when every in-app frame is anonymous, the parameterised message as well (two anonymous route
//      handlers in one file throw from the "same" frame);
//   5. with no frames at all, the type and the parameterised message.
// Computing one costs tens of microseconds; the caller caches it per distinct stack string.

import { parameterize } from './parameterize.js';
import { parseStack, type Frame } from './stack-frames.js';

/** What grouping needs to know of one thrown value; computed once per distinct stack. */
export interface Fingerprint {
  /** 16 hex digits identifying the group. */
  readonly id: string;
  /** The error's name (`TypeError`, `DatabaseError`), or the type of a non-error value. */
  readonly type: string;
  /** The error's (or its cause's) string code, when it has one. */
  readonly code: string | undefined;
  /** The message with ids, numbers, addresses and the like replaced by placeholders. */
  readonly message: string;
  /** `file:function` of the top in-app frame (or of the top frame when none is in-app). */
  readonly location: string | undefined;
  /** Whether `err.fingerprint` decided the group. */
  readonly explicit: boolean;
  /** The top frames as `file:function` when `settings.keepFrames`, else empty. */
  readonly frames: readonly string[];
}

/** Settings the fingerprint reads; fixed per error-groups instance. */
export interface FingerprintSettings {
  /** The application root, normalised with a trailing slash. */
  readonly root: string;
  /** How many in-app frames identify a group. */
  readonly frames: number;
  readonly maxMessageLength: number;
  /** Keep the top frames on the fingerprint (for `exposeDetails`); otherwise they are not kept. */
  readonly keepFrames: boolean;
}

const NO_FRAMES: readonly string[] = Object.freeze([]);

const MAX_TYPE_LENGTH = 100;
const MAX_CODE_LENGTH = 40;
const MAX_EXPLICIT_PARTS = 16;
const DEFAULT_PLACEHOLDER = '{{ default }}';

/** The name of a thrown value's type, cut to a sane length. */
export function typeOf(value: unknown): string {
  if (typeof value !== 'object' || value === null) return value === null ? 'null' : typeof value;
  const name = (value as { name?: unknown }).name;
  if (typeof name === 'string' && name !== '') return name.slice(0, MAX_TYPE_LENGTH);
  const ctor = (value as { constructor?: { name?: unknown } }).constructor?.name;
  return typeof ctor === 'string' && ctor !== '' ? ctor.slice(0, MAX_TYPE_LENGTH) : 'Error';
}

/** The string code of an error or, failing that, of its cause (`fetch failed` → ECONNREFUSED). */
export function codeOf(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const own = asCode((value as { code?: unknown }).code);
  if (own !== undefined) return own;
  const cause = (value as { cause?: unknown }).cause;
  return typeof cause === 'object' && cause !== null ? asCode((cause as { code?: unknown }).code) : undefined;
}

function asCode(code: unknown): string | undefined {
  if (typeof code === 'number' && Number.isInteger(code)) return String(code);
  return typeof code === 'string' && code !== '' && code.length <= MAX_CODE_LENGTH ? code : undefined;
}

/** The explicit fingerprint parts of `value`, or undefined when it has none usable. */
export function explicitFingerprint(value: unknown): readonly string[] | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const given = (value as { fingerprint?: unknown }).fingerprint;
  if (typeof given === 'string' && given !== '') return [given];
  if (Array.isArray(given) && given.length > 0 && given.length <= MAX_EXPLICIT_PARTS) {
    const parts = given.filter((p): p is string => typeof p === 'string');
    return parts.length === given.length ? parts : undefined;
  }
  return undefined;
}

/** Computes the fingerprint of a thrown value (an Error or anything else). */
export function fingerprintOf(value: unknown, settings: FingerprintSettings): Fingerprint {
  const type = typeOf(value);
  const code = codeOf(value);
  const rawMessage = messageOf(value);
  const message = parameterize(rawMessage, settings.maxMessageLength);
  const stack =
    typeof value === 'object' && value !== null ? (value as { stack?: unknown }).stack : undefined;
  const all = typeof stack === 'string' ? parseStack(stack, settings.root) : [];
  const app = all.filter((f) => f.kind === 'app').slice(0, settings.frames);
  const chosen = app.length > 0 ? app : all.slice(0, settings.frames);
  const typeKey = code === undefined ? type : `${type}[${code}]`;
  const defaultParts = [typeKey, ...chosen.map(frameKey)];
  // Frames that cannot tell call sites apart (no in-app frame at all, or only anonymous ones): the
  // message has to.
  if (app.every((f) => f.fn === '')) defaultParts.push(message);
  const explicit = explicitFingerprint(value);
  const parts =
    explicit === undefined
      ? defaultParts
      : ['explicit', ...explicit.flatMap((p) => (p === DEFAULT_PLACEHOLDER ? defaultParts : [p]))];
  const top = chosen[0];
  return {
    id: hash64(parts.join('\n')),
    type,
    code,
    message,
    location: top === undefined ? undefined : frameKey(top),
    explicit: explicit !== undefined,
    frames: settings.keepFrames ? all.slice(0, Math.max(settings.frames, 5)).map(frameKey) : NO_FRAMES,
  };
}

function frameKey(frame: Frame): string {
  return frame.fn === '' ? frame.file : `${frame.file}:${frame.fn}`;
}

function messageOf(value: unknown): string {
  if (typeof value === 'object' && value !== null) {
    const message = (value as { message?: unknown }).message;
    if (typeof message === 'string') return message;
    // A thrown plain object: its keys say what it is; its values may be anything, secrets included.
    try {
      return `{${Object.keys(value).slice(0, 10).join(', ')}}`;
    } catch {
      return '';
    }
  }
  try {
    return String(value);
  } catch {
    return '';
  }
}

/**
 * 64 bits of two independent 32-bit multiplicative string hashes (cyrb53's mixing), as 16 hex digits.
 * Not cryptographic: group ids need to be stable and unlikely to collide (about 1 in 10^14 for 500
 * groups), and this costs well under a microsecond where a crypto hash costs several.
 */
function hash64(text: string): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (h1 >>> 0).toString(16).padStart(8, '0') + (h2 >>> 0).toString(16).padStart(8, '0');
}
