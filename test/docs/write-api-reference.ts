// `npm run docs:api`: regenerates docs/api/*.md from the entry points' exports and TSDoc.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import { renderApiReference } from './api-reference.js';
import { root } from './markdown.js';

for (const [path, content] of await renderApiReference()) {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
  console.log(`wrote ${relative(root, path)}`);
}
