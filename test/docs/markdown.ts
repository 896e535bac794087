// Reading the user docs (README.md and docs/**/*.md) for the docs checks: fenced code blocks with their
// info strings and line numbers, and the tables that follow a `<!-- table: ... -->` marker.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/** The repository root. */
export const root = join(import.meta.dirname, '..', '..');

/** One markdown file of the user docs, path relative to the root. */
export interface DocFile {
  readonly path: string;
  readonly text: string;
  readonly lines: readonly string[];
}

/** README.md and every .md under docs/, sorted by path. */
export function docFiles(): DocFile[] {
  const paths = ['README.md', ...walk(join(root, 'docs')).map((file) => relative(root, file))];
  return paths.sort().map((path) => {
    const text = readFileSync(join(root, path), 'utf8');
    return { path, text, lines: text.split('\n') };
  });
}

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return walk(path);
    return entry.name.endsWith('.md') ? [path] : [];
  });
}

/** A fenced code block: its language, the words after it, its code and where it sits. */
export interface CodeBlock {
  readonly file: string;
  readonly lang: string;
  /** The words after the language in the info string, e.g. `runnable`, `continued`. */
  readonly flags: readonly string[];
  readonly code: string;
  /** 1-based line of the first code line (the line after the opening fence). */
  readonly line: number;
  /** Hidden code from a `<!-- ts-context ... -->` comment right above the fence, if any. */
  readonly context?: { readonly code: string; readonly line: number };
}

/** Every fenced code block of a file, in order. */
export function codeBlocks(doc: DocFile): CodeBlock[] {
  const blocks: CodeBlock[] = [];
  const { lines } = doc;
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(`{3,}|~{3,})\s*([\w-]*)\s*(.*)$/.exec(lines[i] ?? '');
    if (open === null) continue;
    const [, indent = '', fence = '```', lang = '', rest = ''] = open;
    const start = i + 1;
    let end = start;
    while (end < lines.length && !(lines[end] ?? '').trim().startsWith(fence)) end++;
    const code = lines
      .slice(start, end)
      .map((line) => (line.startsWith(indent) ? line.slice(indent.length) : line))
      .join('\n');
    const context = contextAbove(lines, i);
    blocks.push({
      file: doc.path,
      lang,
      flags: rest.split(/\s+/).filter((flag) => flag !== ''),
      code,
      line: start + 1,
      ...(context === undefined ? {} : { context }),
    });
    i = end;
  }
  return blocks;
}

// `<!-- ts-context` ... `-->` ending on the line just above the fence (blank lines between allowed).
function contextAbove(lines: readonly string[], fenceIndex: number): CodeBlock['context'] {
  let end = fenceIndex - 1;
  while (end >= 0 && (lines[end] ?? '').trim() === '') end--;
  if (end < 0 || (lines[end] ?? '').trim() !== '-->') return undefined;
  let start = end - 1;
  while (start >= 0 && !(lines[start] ?? '').trim().startsWith('<!--')) start--;
  if (start < 0 || (lines[start] ?? '').trim() !== '<!-- ts-context') return undefined;
  return { code: lines.slice(start + 1, end).join('\n'), line: start + 2 };
}

/** A markdown table: header cells and rows of cells, with the line of each row. */
export interface Table {
  readonly file: string;
  /** The marker's argument: `options createLatencyTracker` gives `createLatencyTracker`. */
  readonly subject: string;
  readonly line: number;
  readonly header: readonly string[];
  readonly rows: readonly { readonly cells: readonly string[]; readonly line: number }[];
}

/**
 * Every table announced by `<!-- table: <kind> <subject> -->` on the line(s) above it, for one kind
 * (`options`, `metrics`, `error-codes`).
 */
export function markedTables(doc: DocFile, kind: string): Table[] {
  const tables: Table[] = [];
  const marker = new RegExp(`^<!--\\s*table:\\s*${kind}(?:\\s+(\\S+))?\\s*-->$`);
  doc.lines.forEach((line, i) => {
    const match = marker.exec(line.trim());
    if (match === null) return;
    let start = i + 1;
    while (start < doc.lines.length && (doc.lines[start] ?? '').trim() === '') start++;
    const rows: { cells: string[]; line: number }[] = [];
    let j = start;
    while (j < doc.lines.length && (doc.lines[j] ?? '').trim().startsWith('|')) {
      rows.push({ cells: splitRow(doc.lines[j] ?? ''), line: j + 1 });
      j++;
    }
    const [header, , ...body] = rows;
    if (header === undefined) throw new Error(`${doc.path}:${i + 1}: a table marker with no table below it`);
    tables.push({
      file: doc.path,
      subject: match[1] ?? '',
      line: start + 1,
      header: header.cells,
      rows: body,
    });
  });
  return tables;
}

// Splits `| a | b \| c |` into cells, keeping escaped pipes inside a cell.
function splitRow(line: string): string[] {
  const cells: string[] = [];
  let cell = '';
  const body = line.trim().replace(/^\|/, '').replace(/\|$/, '');
  for (let i = 0; i < body.length; i++) {
    const char = body[i];
    if (char === '\\' && body[i + 1] === '|') {
      cell += '|';
      i++;
    } else if (char === '|') {
      cells.push(cell.trim());
      cell = '';
    } else cell += char;
  }
  cells.push(cell.trim());
  return cells;
}

/** The names in backticks in a table cell: `` `a`, `b` `` gives ['a', 'b']. */
export function codeSpans(cell: string): string[] {
  return [...cell.matchAll(/`([^`]+)`/g)].map((match) => match[1] ?? '');
}
