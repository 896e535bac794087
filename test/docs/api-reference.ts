// Generates docs/api/*.md, the reference of every exported name of every entry point, from the sources:
// the TypeScript checker lists each entry's exports (values and types), and each row takes its kind and
// the first sentence of its TSDoc. Rows are grouped by the source folder that declares them, each group
// linking to its guide page. `npm run docs:api` writes the files; test/docs/api-reference.test.ts fails
// when they differ from what this produces, so the reference cannot drift from the code.
import { join, relative, sep } from 'node:path';
import * as prettier from 'prettier';
import ts from 'typescript';
import { root } from './markdown.js';

/** An entry point of the package and the source file behind it. */
export interface Entry {
  readonly specifier: string;
  readonly source: string;
  /** The generated page, relative to docs/. */
  readonly page: string;
}

export const ENTRIES: readonly Entry[] = [
  { specifier: 'sre-kit', source: 'src/index.ts', page: 'api/sre-kit.md' },
  { specifier: 'sre-kit/slo', source: 'src/slo/entry.ts', page: 'api/slo.md' },
  { specifier: 'sre-kit/express', source: 'src/adapters/express/index.ts', page: 'api/express.md' },
  { specifier: 'sre-kit/fastify', source: 'src/adapters/fastify/index.ts', page: 'api/fastify.md' },
  { specifier: 'sre-kit/testing', source: 'src/testing/index.ts', page: 'api/testing.md' },
  { specifier: 'sre-kit/otel', source: 'src/otel/index.ts', page: 'api/otel.md' },
  { specifier: 'sre-kit/mcp', source: 'src/mcp/index.ts', page: 'api/mcp.md' },
  { specifier: 'sre-kit/a2a', source: 'src/a2a/index.ts', page: 'api/a2a.md' },
  { specifier: 'sre-kit/cluster', source: 'src/cluster/index.ts', page: 'api/cluster.md' },
];

/** Source folders (under src/) in reading order, each with its section title and guide page. */
const SECTIONS: readonly { readonly folder: string; readonly title: string; readonly guide: string }[] = [
  { folder: 'health', title: 'Health checks', guide: 'health.md' },
  { folder: 'latency', title: 'Latency', guide: 'latency.md' },
  { folder: 'slo', title: 'SLOs and error budgets', guide: 'slo.md' },
  { folder: 'resilience', title: 'Resilience', guide: 'resilience.md' },
  { folder: 'incidents', title: 'Incidents', guide: 'incidents.md' },
  { folder: 'saturation', title: 'Saturation', guide: 'saturation.md' },
  { folder: 'changes', title: 'Changes, correlation and DORA', guide: 'changes.md' },
  { folder: 'canary', title: 'Canaries, rollouts and performance budgets', guide: 'canary.md' },
  { folder: 'signals', title: 'Golden signals and load shedding', guide: 'signals.md' },
  { folder: 'ratelimit', title: 'Rate limiting', guide: 'ratelimit.md' },
  { folder: 'dependencies', title: 'Dependencies, pools, caches and pipelines', guide: 'dependencies.md' },
  { folder: 'metrics', title: 'Metrics exposition', guide: 'metrics.md' },
  { folder: 'maintenance', title: 'Maintenance windows and jobs', guide: 'maintenance.md' },
  { folder: 'drills', title: 'Drills', guide: 'drills.md' },
  { folder: 'errors', title: 'Error groups', guide: 'errors.md' },
  { folder: 'anomaly', title: 'Anomaly detection', guide: 'anomalies.md' },
  { folder: 'logging', title: 'Structured event logging', guide: 'errors.md#structured-event-logs' },
  { folder: 'monitor/protocol', title: 'Agent protocol', guide: 'agent-protocol.md' },
  { folder: 'monitor', title: 'Monitor', guide: 'monitor.md' },
  { folder: 'status', title: 'Status page', guide: 'status-page.md' },
  { folder: 'otel', title: 'OpenTelemetry bridge', guide: 'otel.md' },
  { folder: 'adapters/express', title: 'Express adapter', guide: 'express.md' },
  { folder: 'adapters/fastify', title: 'Fastify adapter', guide: 'fastify.md' },
  { folder: 'adapters/shared', title: 'Health routes (both adapters)', guide: 'health.md#http-routes' },
  { folder: 'mcp', title: 'MCP server', guide: 'mcp.md' },
  { folder: 'a2a', title: 'A2A agent', guide: 'a2a.md' },
  { folder: 'cluster', title: 'Process groups (node:cluster, worker threads)', guide: 'cluster.md' },
  { folder: 'testing', title: 'Test doubles', guide: 'testing.md' },
  { folder: 'core', title: 'Core: errors, clock, events, dependencies', guide: 'conventions.md' },
];

/** One exported name as the reference lists it. */
export interface ExportRow {
  readonly name: string;
  readonly kind: 'function' | 'class' | 'const' | 'interface' | 'type' | 'enum' | 'namespace';
  /** True for values (usable at runtime); false for names that exist only as types. */
  readonly value: boolean;
  readonly summary: string;
  /** The declaring file, relative to the root. */
  readonly file: string;
  readonly section: string;
}

/** The project's compiler options (tsconfig.json), for programs built by the docs checks. */
export function projectCompilerOptions(): ts.CompilerOptions {
  const configPath = join(root, 'tsconfig.json');
  const config = ts.readConfigFile(configPath, (path) => ts.sys.readFile(path));
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, root, undefined, configPath);
  return { ...parsed.options, noEmit: true };
}

/** A program over the entry points' sources. */
export function createEntryProgram(): ts.Program {
  return ts.createProgram({
    rootNames: ENTRIES.map((entry) => join(root, entry.source)),
    options: projectCompilerOptions(),
  });
}

/** The exports of one entry, sorted by section then name. */
export function exportsOf(program: ts.Program, entry: Entry): ExportRow[] {
  const checker = program.getTypeChecker();
  const file = program.getSourceFile(join(root, entry.source));
  const moduleSymbol = file === undefined ? undefined : checker.getSymbolAtLocation(file);
  if (moduleSymbol === undefined) throw new Error(`cannot read the exports of ${entry.source}`);
  const rows = checker.getExportsOfModule(moduleSymbol).map((symbol) => rowOf(checker, symbol));
  const order = (row: ExportRow): number => SECTIONS.findIndex((s) => s.title === row.section);
  return rows.sort(
    (a, b) =>
      order(a) - order(b) ||
      Number(b.value) - Number(a.value) ||
      (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
  );
}

function rowOf(checker: ts.TypeChecker, exported: ts.Symbol): ExportRow {
  const typeOnlyExport = (exported.declarations ?? []).some(
    (d) => ts.isExportSpecifier(d) && (d.isTypeOnly || d.parent.parent.isTypeOnly),
  );
  const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
  const declaration = symbol.declarations?.[0];
  if (declaration === undefined) throw new Error(`no declaration for ${exported.name}`);
  const file = relative(root, declaration.getSourceFile().fileName);
  const kind = kindOf(declaration);
  const value = !typeOnlyExport && (symbol.flags & ts.SymbolFlags.Value) !== 0;
  return {
    name: exported.name,
    kind: value || kind === 'interface' || kind === 'type' ? kind : 'type',
    value,
    summary: summaryOf(checker, symbol),
    file,
    section: sectionOf(file),
  };
}

function kindOf(declaration: ts.Declaration): ExportRow['kind'] {
  if (ts.isFunctionDeclaration(declaration)) return 'function';
  if (ts.isClassDeclaration(declaration)) return 'class';
  if (ts.isInterfaceDeclaration(declaration)) return 'interface';
  if (ts.isTypeAliasDeclaration(declaration)) return 'type';
  if (ts.isEnumDeclaration(declaration)) return 'enum';
  if (ts.isModuleDeclaration(declaration)) return 'namespace';
  if (ts.isVariableDeclaration(declaration)) {
    const init = declaration.initializer;
    return init !== undefined && (ts.isArrowFunction(init) || ts.isFunctionExpression(init))
      ? 'function'
      : 'const';
  }
  throw new Error(`unexpected declaration kind ${ts.SyntaxKind[declaration.kind]}`);
}

function sectionOf(file: string): string {
  const path = file
    .split(sep)
    .join('/')
    .replace(/^src\//, '');
  const section = SECTIONS.find((s) => path.startsWith(`${s.folder}/`));
  if (section === undefined) throw new Error(`no docs section for ${file}: add its folder to SECTIONS`);
  return section.title;
}

/** The first sentence of a symbol's TSDoc, on one line, `{@link X}` written as `X`; '' when it has none. */
function summaryOf(checker: ts.TypeChecker, symbol: ts.Symbol): string {
  const text = ts
    .displayPartsToString(symbol.getDocumentationComment(checker))
    .split(/\n\s*\n/)[0]
    ?.replace(
      /\{@link(?:code|plain)?\s+([^}|\s]+)(?:\s*\|?\s*([^}]*))?\}/g,
      (_m, name: string, label?: string) =>
        label !== undefined && label.trim() !== '' ? label.trim() : `\`${name}\``,
    )
    .replace(/\s+/g, ' ')
    .trim();
  if (text === undefined || text === '') return '';
  // The first sentence: a period followed by a space and a capital, not after "e.g" or "i.e".
  const end = /(?<!\b(?:e\.g|i\.e|vs|etc))[.!?](?=\s+[A-Z])/.exec(text);
  return end === null ? text : text.slice(0, end.index + 1);
}

const HEADER = (entry: Entry): string =>
  `<!-- Generated by \`npm run docs:api\` from the exports and TSDoc of ${entry.source}. Do not edit: test/docs/api-reference.test.ts fails when it is stale. -->`;

/** The markdown of one entry's reference page, formatted as Prettier would. */
export async function renderEntryPage(program: ts.Program, entry: Entry): Promise<string> {
  const rows = exportsOf(program, entry);
  const out: string[] = [HEADER(entry), '', `# \`${entry.specifier}\` API reference`, ''];
  out.push(
    `Every name \`${entry.specifier}\` exports, grouped by capability; each group links to its guide. ` +
      'Values (usable at runtime) come first, then names that exist only as types. ' +
      'Summaries are the first sentence of each TSDoc comment, which your editor shows in full.',
    '',
  );
  for (const section of SECTIONS) {
    const inSection = rows.filter((row) => row.section === section.title);
    if (inSection.length === 0) continue;
    out.push(
      `## ${section.title}`,
      '',
      `Guide: [${section.guide.replace(/#.*/, '')}](../${section.guide})`,
      '',
    );
    out.push('| export | kind | summary |', '| --- | --- | --- |');
    for (const row of inSection) {
      const summary = row.summary === '' ? '—' : row.summary.replace(/\|/g, '\\|');
      out.push(`| \`${row.name}\` | ${row.kind} | ${summary} |`);
    }
    out.push('');
  }
  const path = join(root, 'docs', entry.page);
  const config = (await prettier.resolveConfig(path)) ?? {};
  return prettier.format(out.join('\n'), { ...config, filepath: path });
}

/** Every generated page: absolute path to content. */
export async function renderApiReference(): Promise<Map<string, string>> {
  const program = createEntryProgram();
  const pages = new Map<string, string>();
  for (const entry of ENTRIES)
    pages.set(join(root, 'docs', entry.page), await renderEntryPage(program, entry));
  return pages;
}
