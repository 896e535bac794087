// Every code block a user can copy from README.md and docs/**/*.md is compiled here, and the runnable
// ones are run, so an example cannot rot. The conventions (also in docs/CONTRIBUTING-docs.md):
//
//   ```ts             a whole module (imports included), type-checked alone against the sources:
//                     `sre-kit`, `sre-kit/express`, ... resolve through tsconfig.json's paths to src/,
//                     with the project's strict compiler options. Top-level await is fine.
//   ```ts continued   carries on from the previous ```ts block of the same page: the chain is checked
//                     (and run) as one module, so a page can build an example step by step.
//   ```ts runnable    also run with tsx (`node --import tsx`) from the repository root; it must exit 0
//                     within 120 s. It marks the whole chain it belongs to.
//   <!-- ts-context   an HTML comment right above a fence (invisible on GitHub and npm): its lines are
//   declare const db: Db;   prepended to the block, to declare the stand-ins a fragment assumes.
//   -->
//   ```json           must parse as JSON.   ```js   must parse (syntax only: CommonJS snippets).
//   ```sh ```text ```yaml ```promql ```md   are prose, not checked.
// Other spellings of TypeScript or JavaScript (```typescript, ```tsx, ```javascript) are refused, so
// nothing slips past the checker by its language tag.
import { execFile } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import ts from 'typescript';
import { beforeAll, describe, expect, it } from 'vitest';
import { projectCompilerOptions } from './api-reference.js';
import { codeBlocks, docFiles, root, type CodeBlock } from './markdown.js';

const run = promisify(execFile);
const KNOWN_LANGS = new Set(['ts', 'js', 'json', 'sh', 'text', 'yaml', 'promql', 'md', '']);
const KNOWN_FLAGS = new Set(['continued', 'runnable']);

/** A module assembled from one or more blocks, and where each of its lines came from. */
interface DocModule {
  readonly name: string;
  readonly blocks: readonly CodeBlock[];
  readonly source: string;
  /** For each 0-based line of `source`: `file:line` in the docs. */
  readonly origin: readonly string[];
  readonly runnable: boolean;
}

function assemble(blocks: readonly CodeBlock[]): DocModule {
  const lines: string[] = [];
  const origin: string[] = [];
  for (const block of blocks) {
    const add = (code: string, line: number): void => {
      code.split('\n').forEach((text, i) => {
        lines.push(text);
        origin.push(`${block.file}:${line + i}`);
      });
    };
    if (block.context !== undefined) add(block.context.code, block.context.line);
    add(block.code, block.line);
  }
  const first = blocks[0] as CodeBlock;
  lines.push('export {};');
  origin.push(`${first.file}:${first.line}`);
  const name = `${first.file.replace(/[^\w]+/g, '-')}-L${first.line}`;
  return {
    name,
    blocks,
    source: lines.join('\n'),
    origin,
    runnable: blocks.some((block) => block.flags.includes('runnable')),
  };
}

const docs = docFiles();
const allBlocks = docs.flatMap(codeBlocks);
const modules: DocModule[] = [];
for (const doc of docs) {
  let chain: CodeBlock[] = [];
  for (const block of codeBlocks(doc).filter((b) => b.lang === 'ts')) {
    if (block.flags.includes('continued') && chain.length > 0) chain.push(block);
    else {
      if (chain.length > 0) modules.push(assemble(chain));
      chain = [block];
    }
  }
  if (chain.length > 0) modules.push(assemble(chain));
}

// Virtual files under the root, so tsconfig's paths and node_modules resolve as for examples/.
const virtualDir = join(root, '.tmp', 'docs-blocks');
const fileOf = (module: DocModule): string => join(virtualDir, `${module.name}.ts`);

function createDocsProgram(): ts.Program {
  const options = projectCompilerOptions();
  const host = ts.createCompilerHost(options, true);
  const virtual = new Map(modules.map((module) => [fileOf(module), module.source]));
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, languageVersion, onError, shouldCreate) => {
    const text = virtual.get(fileName);
    return text === undefined
      ? getSourceFile(fileName, languageVersion, onError, shouldCreate)
      : ts.createSourceFile(fileName, text, languageVersion, true);
  };
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (fileName) => virtual.has(fileName) || fileExists(fileName);
  const readFile = host.readFile.bind(host);
  host.readFile = (fileName) => virtual.get(fileName) ?? readFile(fileName);
  return ts.createProgram({ rootNames: [...virtual.keys()], options, host });
}

function describeDiagnostic(module: DocModule, diagnostic: ts.Diagnostic): string {
  const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n  ');
  if (diagnostic.file === undefined || diagnostic.start === undefined)
    return `TS${diagnostic.code}: ${message}`;
  const { line } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
  return `${module.origin[line] ?? module.name}: TS${diagnostic.code}: ${message}`;
}

describe('code blocks in the docs', () => {
  it('use only the languages and flags the checker knows', () => {
    const unknown = allBlocks
      .filter(
        (block) =>
          !KNOWN_LANGS.has(block.lang) ||
          block.flags.some((flag) => !KNOWN_FLAGS.has(flag)) ||
          (block.lang !== 'ts' && block.flags.length > 0),
      )
      .map((block) => `${block.file}:${block.line - 1}: \`\`\`${block.lang} ${block.flags.join(' ')}`);
    expect(unknown).toEqual([]);
  });

  it('never continue a page that has no ts block before them', () => {
    const orphans = modules
      .filter((module) => module.blocks[0]?.flags.includes('continued'))
      .map((module) => module.name);
    expect(orphans).toEqual([]);
  });

  it('json blocks parse', () => {
    const bad = allBlocks
      .filter((block) => block.lang === 'json')
      .flatMap((block) => {
        try {
          JSON.parse(block.code);
          return [];
        } catch (error) {
          return [`${block.file}:${block.line}: ${(error as Error).message}`];
        }
      });
    expect(bad).toEqual([]);
  });

  it('js blocks parse', () => {
    const bad = allBlocks
      .filter((block) => block.lang === 'js')
      .flatMap((block) => {
        const file = ts.createSourceFile(
          'block.cjs',
          block.code,
          ts.ScriptTarget.ES2022,
          true,
          ts.ScriptKind.JS,
        );
        const diagnostics = (file as unknown as { parseDiagnostics: ts.Diagnostic[] }).parseDiagnostics;
        return diagnostics.map(
          (d) => `${block.file}:${block.line}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`,
        );
      });
    expect(bad).toEqual([]);
  });
});

describe('ts blocks type-check', () => {
  let program: ts.Program;
  beforeAll(() => {
    program = createDocsProgram();
  }, 240_000);

  it.each(modules.map((module) => [module.name, module] as const))('%s', (_name, module) => {
    const file = program.getSourceFile(fileOf(module));
    expect(file, `${module.name} was not compiled`).toBeDefined();
    const diagnostics = [
      ...program.getSyntacticDiagnostics(file),
      ...program.getSemanticDiagnostics(file),
    ].map((d) => describeDiagnostic(module, d));
    expect(diagnostics).toEqual([]);
  });
});

describe('runnable ts blocks run', () => {
  const runnable = modules.filter((module) => module.runnable);
  beforeAll(() => {
    rmSync(virtualDir, { recursive: true, force: true });
    mkdirSync(virtualDir, { recursive: true });
    for (const module of runnable) writeFileSync(fileOf(module), module.source);
  });

  it.each(runnable.map((module) => [module.name, module] as const))('%s exits 0', async (_name, module) => {
    const outcome = await run(process.execPath, ['--import', 'tsx', fileOf(module)], {
      cwd: root,
      timeout: 120_000,
    }).then(
      ({ stderr }) => ({ code: 0, stderr }),
      (error: { code?: number | string; stderr?: string; message: string }) => ({
        code: error.code ?? 'killed',
        stderr: error.stderr ?? error.message,
      }),
    );
    expect(outcome.code, `${module.name} (${module.blocks[0]?.file}):\n${outcome.stderr}`).toBe(0);
  });
});
