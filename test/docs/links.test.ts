// The front door stays a front door: README.md is short and holds no project-internal material, every
// relative link in the docs reaches a file (and heading) that ships, and every page is in the index.
import { existsSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { codeBlocks, docFiles, root, type DocFile } from './markdown.js';

const docs = docFiles();
const byPath = new Map(docs.map((doc) => [doc.path, doc]));

/** GitHub's anchor for each heading of a page (lowercase, punctuation dropped, spaces to hyphens). */
function anchors(doc: DocFile): Set<string> {
  const seen = new Map<string, number>();
  const out = new Set<string>();
  const fenced = new Set(codeBlocks(doc).flatMap((b) => b.code.split('\n').map((_, i) => b.line + i)));
  doc.lines.forEach((line, i) => {
    const heading = /^#{1,6}\s+(.*)$/.exec(line);
    if (heading === null || fenced.has(i + 1)) return;
    const base = (heading[1] ?? '')
      .replace(/`/g, '')
      .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
      .toLowerCase()
      .replace(/[^\p{L}\p{N} _-]/gu, '')
      .replace(/ /g, '-');
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    out.add(n === 0 ? base : `${base}-${n}`);
  });
  return out;
}

/** Every markdown link of a page outside code blocks, with its line. */
function links(doc: DocFile): { target: string; line: number }[] {
  const fenced = new Set(
    codeBlocks(doc).flatMap((b) => [b.line - 1, ...b.code.split('\n').map((_, i) => b.line + i)]),
  );
  return doc.lines.flatMap((line, i) =>
    fenced.has(i + 1)
      ? []
      : [...line.replace(/`[^`]*`/g, '').matchAll(/\]\(([^)\s]+)\)/g)].map((m) => ({
          target: m[1] ?? '',
          line: i + 1,
        })),
  );
}

describe('README.md', () => {
  const readme = byPath.get('README.md') as DocFile;

  it('is at most 15 KB', () => {
    expect(statSync(join(root, 'README.md')).size).toBeLessThanOrEqual(15 * 1024);
  });

  it('holds no project-internal material: no DESIGN.md, no issue status, no benchmark tables', () => {
    expect(readme.text).not.toMatch(/DESIGN\.md/);
    expect(readme.text).not.toMatch(/\bissue #?\d+/i);
    expect(readme.text).not.toMatch(/req\/s|ops\/s|µs per|ns per/);
  });
});

describe('links in the docs', () => {
  it('reach a file that exists, and a heading when they name one', () => {
    const broken: string[] = [];
    for (const doc of docs) {
      for (const { target, line } of links(doc)) {
        if (/^[a-z]+:/i.test(target)) continue; // https:, mailto:
        const [file = '', anchor] = target.split('#');
        const path = file === '' ? doc.path : normalize(join(dirname(doc.path), file));
        if (!existsSync(join(root, path))) {
          broken.push(`${doc.path}:${line}: ${target} (no ${path})`);
          continue;
        }
        if (anchor === undefined) continue;
        const linked = byPath.get(path);
        if (linked === undefined)
          broken.push(`${doc.path}:${line}: ${target} (anchors only into docs pages)`);
        else if (!anchors(linked).has(anchor))
          broken.push(`${doc.path}:${line}: ${target} (no heading #${anchor})`);
      }
    }
    expect(broken).toEqual([]);
  });

  it('never point at DESIGN.md, which does not ship', () => {
    const design = docs.flatMap((doc) =>
      links(doc)
        .filter((l) => /DESIGN\.md/.test(l.target))
        .map((l) => `${doc.path}:${l.line}`),
    );
    expect(design).toEqual([]);
  });

  it('docs/README.md, the index, links every page under docs/', () => {
    const index = byPath.get('docs/README.md');
    expect(index).toBeDefined();
    const linked = new Set(
      links(index as DocFile).map((l) => normalize(join('docs', l.target.split('#')[0] ?? ''))),
    );
    const pages = docs.map((d) => d.path).filter((p) => p.startsWith('docs/') && p !== 'docs/README.md');
    expect(pages.filter((p) => !linked.has(p)).map((p) => relative('docs', p))).toEqual([]);
  });
});
