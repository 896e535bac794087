// V8 stack traces ("    at fn (file:line:col)") reduced to what identifies a call site across
// deploys: the function and the file, never the line or column (a line shift must not split a group).
// Files under the application root become root-relative paths; files in node_modules become
// "<package>/<path>"; Node's own frames (node:, internal/, native, <anonymous>) are internal.

/** Where a frame's code lives. */
export type FrameKind = 'app' | 'library' | 'internal';

/** One reduced stack frame. */
export interface Frame {
  /** The function, without `async `, `new ` or an `[as alias]`; empty for an anonymous function. */
  readonly fn: string;
  /** Root-relative for app frames, `<package>/<path>` for libraries, as printed for internal ones. */
  readonly file: string;
  readonly kind: FrameKind;
}

/** The most frames read from one stack: the top of the stack is what identifies it. */
const MAX_FRAMES = 64;

/** Normalises an application root to forward slashes with a trailing slash. */
export function normalizeRoot(root: string): string {
  const slashed = root.replace(/\\/g, '/');
  return slashed.endsWith('/') ? slashed : `${slashed}/`;
}

/** Parses the frames of a V8 stack trace, top first; lines that are not frames are skipped. */
export function parseStack(stack: string, root: string): Frame[] {
  const frames: Frame[] = [];
  let start = 0;
  while (start < stack.length && frames.length < MAX_FRAMES) {
    let end = stack.indexOf('\n', start);
    if (end === -1) end = stack.length;
    const frame = parseFrame(stack.slice(start, end), root);
    if (frame !== undefined) frames.push(frame);
    start = end + 1;
  }
  return frames;
}

function parseFrame(line: string, root: string): Frame | undefined {
  const text = line.trim();
  if (!text.startsWith('at ')) return undefined;
  const body = text.slice(3);
  let fn = '';
  let location = body;
  // "fn (location)"; the location may itself hold parentheses (eval frames), so take the first " (".
  if (body.endsWith(')')) {
    const open = body.indexOf(' (');
    if (open !== -1) {
      fn = body.slice(0, open);
      location = body.slice(open + 2, -1);
    }
  }
  return { fn: cleanFunction(fn), ...classify(location, root) };
}

function cleanFunction(fn: string): string {
  let out = fn;
  if (out.startsWith('async ')) out = out.slice(6);
  if (out.startsWith('new ')) out = out.slice(4);
  const alias = out.indexOf(' [as ');
  if (alias !== -1) out = out.slice(0, alias);
  // Module top level: "Object.<anonymous>" and "Module.<anonymous>" both mean "no function".
  if (out.endsWith('.<anonymous>') || out === '<anonymous>') return '';
  return withoutRepeatedReceiver(out);
}

// "Injector.Injector.#createError" → "Injector.#createError": V8 prefixes the receiver's type to a
// name it inferred with that type already in it (an arrow function assigned to a field in a
// constructor, under esbuild's keepNames). Without this the same code names two call sites.
function withoutRepeatedReceiver(fn: string): string {
  const dot = fn.indexOf('.');
  if (dot <= 0) return fn;
  const receiver = fn.slice(0, dot + 1);
  return fn.startsWith(receiver, dot + 1) ? fn.slice(dot + 1) : fn;
}

function classify(location: string, root: string): { file: string; kind: FrameKind } {
  if (location.startsWith('eval at ')) return { file: '<eval>', kind: 'internal' };
  let file = withoutLineColumn(location);
  if (file.startsWith('file://')) file = decodeFileUrl(file);
  if (file.includes('\\')) file = file.replace(/\\/g, '/');
  if (
    file.startsWith('node:') ||
    file.startsWith('internal/') ||
    file === 'native' ||
    file === '<anonymous>' ||
    file.startsWith('index ') ||
    !(file.startsWith('/') || isWindowsAbsolute(file))
  ) {
    return { file, kind: 'internal' };
  }
  const modules = file.lastIndexOf('/node_modules/');
  if (modules !== -1) return { file: file.slice(modules + '/node_modules/'.length), kind: 'library' };
  if (file.startsWith(root)) return { file: file.slice(root.length), kind: 'app' };
  // Outside the root and outside node_modules (a globally installed tool, a sibling checkout): a
  // library, named by its last two path segments so the machine's layout does not matter.
  const last = file.lastIndexOf('/');
  return { file: file.slice(file.lastIndexOf('/', last - 1) + 1), kind: 'library' };
}

// "file.js:10:5" → "file.js" (also ":10" alone), scanning back instead of a regex: this runs for
// every frame of every new stack.
function withoutLineColumn(location: string): string {
  let end = location.length;
  for (let part = 0; part < 2; part++) {
    let i = end - 1;
    while (i >= 0 && location.charCodeAt(i) >= 48 && location.charCodeAt(i) <= 57) i--;
    if (i === end - 1 || i < 0 || location.charCodeAt(i) !== 58) break;
    end = i;
  }
  return end === location.length ? location : location.slice(0, end);
}

function decodeFileUrl(url: string): string {
  const path = url.slice('file://'.length);
  try {
    const decoded = decodeURIComponent(path);
    // file:///C:/app → C:/app on Windows.
    return /^\/[A-Za-z]:\//.test(decoded) ? decoded.slice(1) : decoded;
  } catch {
    return path;
  }
}

// "C:/app/..." once backslashes are forward slashes.
function isWindowsAbsolute(file: string): boolean {
  const c = file.charCodeAt(0) | 0x20; // lower-case a letter
  return c >= 97 && c <= 122 && file.charCodeAt(1) === 58 && file.charCodeAt(2) === 47;
}
