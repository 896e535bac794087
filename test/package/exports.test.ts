import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { bareImportsOf } from '../helpers/dist-graph.js';

const root = join(import.meta.dirname, '..', '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  exports: Record<string, unknown>;
};
const subpaths = Object.keys(pkg.exports)
  .filter((key) => key !== './package.json')
  .map((key) => (key === '.' ? 'sre-kit' : `sre-kit/${key.slice(2)}`));
const ENGINES = ['opossum', 'p-retry', 'hdr-histogram-js'];
/** The MCP SDK: an optional peer that only `sre-kit/mcp` loads. */
const MCP_SDK = '@modelcontextprotocol/sdk';
/** The A2A SDK: an optional peer that only `sre-kit/a2a` loads (with express). */
const A2A_SDK = '@a2a-js/sdk';
const devDependencies = (
  JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    devDependencies: Record<string, string>;
  }
).devDependencies;

let work: string;
let consumer: string;
let tarball: string;

function node(args: string[], cwd = consumer): string {
  return execFileSync(process.execPath, args, {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}
const importKeys = (spec: string, cwd = consumer): string[] =>
  JSON.parse(
    node(
      [
        '--input-type=module',
        '-e',
        `const m = await import('${spec}'); console.log(JSON.stringify(Object.keys(m).sort()))`,
      ],
      cwd,
    ),
  );
const requireKeys = (spec: string, cwd = consumer): string[] =>
  JSON.parse(node(['-e', `console.log(JSON.stringify(Object.keys(require('${spec}')).sort()))`], cwd));

// Install the tarball npm would publish (packed once by global-setup) into an empty project, as a user would.
beforeAll(() => {
  const packed = inject('packed');
  tarball = packed.tarball;
  work = mkdtempSync(join(packed.dir, 'exports-'));
  consumer = join(work, 'consumer');
  mkdirSync(consumer);
  writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', private: true }));
  // sre-kit/otel's optional peer, as a user of the bridge installs it (express and fastify stay absent).
  const api = JSON.parse(
    readFileSync(join(root, 'node_modules', '@opentelemetry', 'api', 'package.json'), 'utf8'),
  ) as { version: string };
  execFileSync(
    'npm',
    [
      'install',
      tarball,
      `@opentelemetry/api@${api.version}`,
      '--no-audit',
      '--no-fund',
      '--prefer-offline',
      '--no-package-lock',
    ],
    {
      cwd: consumer,
      stdio: 'ignore',
    },
  );
});

afterAll(() => {
  if (work !== undefined) rmSync(work, { recursive: true, force: true });
});

describe('the published package', () => {
  it.each(subpaths.filter((spec) => spec !== 'sre-kit/mcp' && spec !== 'sre-kit/a2a'))(
    '%s loads with import() and require() and exports the same names',
    (spec) => {
      const esm = importKeys(spec);
      const cjs = requireKeys(spec);
      expect(esm.length).toBeGreaterThan(0);
      expect(cjs).toEqual(esm);
    },
  );

  it('recognises an error thrown by the CJS copy from the ESM copy', () => {
    const out = node([
      '--input-type=module',
      '-e',
      `import { createRequire } from 'node:module';
       const cjs = createRequire(process.cwd() + '/')('sre-kit');
       const esm = await import('sre-kit');
       const open = new cjs.CircuitOpenError('db', 250);
       console.log(JSON.stringify([
         esm.isSreError(new cjs.TimeoutError(5), 'ERR_SRE_TIMEOUT'),
         open instanceof esm.CircuitOpenError,
         esm.isSreError(open, esm.ErrorCode.CIRCUIT_OPEN) ? open.retryAfterMs : 'not recognised',
       ]));`,
    ]);
    // Not the same class, yet the guard recognises it and the fields its narrowing promises are there.
    expect(JSON.parse(out)).toEqual([true, false, 250]);
  });

  it('does not need express or fastify (optional peers, not installed here)', () => {
    expect(() => node(['-e', "require.resolve('express')"])).toThrow();
    expect(() => node(['-e', "require.resolve('fastify')"])).toThrow();
    // The adapters are typed against their framework but never load it: the host's copy is the only one.
    for (const spec of [
      'sre-kit',
      'sre-kit/slo',
      'sre-kit/testing',
      'sre-kit/express',
      'sre-kit/fastify',
      'sre-kit/otel',
      'sre-kit/cluster',
    ]) {
      expect(importKeys(spec).length).toBeGreaterThan(0);
      expect(requireKeys(spec).length).toBeGreaterThan(0);
    }
  });

  it('installs the sre-kit command, which runs without express or fastify', () => {
    const bin = join(consumer, 'node_modules', '.bin', 'sre-kit');
    const help = execFileSync(bin, ['--help'], { cwd: consumer, encoding: 'utf8' });
    expect(help).toContain('Usage: sre-kit <command>');
    const budget = JSON.parse(
      execFileSync(bin, ['budget', '--target', '99.9', '--window', '30d', '--json'], {
        cwd: consumer,
        encoding: 'utf8',
      }),
    ) as { budget: { allowedDowntimeMs: number } };
    expect(budget.budget.allowedDowntimeMs).toBe(2_592_000);
    expect(execFileSync(bin, ['--version'], { cwd: consumer, encoding: 'utf8' }).trim()).toBe(
      (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version,
    );
  });

  it('reads YAML with the library parser (yaml, which also reads agent requests sent as YAML)', () => {
    const bin = join(consumer, 'node_modules', '.bin', 'sre-kit');
    const { dependencies } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    expect(Object.keys(dependencies).sort()).toEqual([
      'croner',
      'eventemitter3',
      'hdr-histogram-js',
      'opossum',
      'p-retry',
      'yaml',
      'zod',
    ]);
    expect(existsSync(join(consumer, 'node_modules', 'yaml'))).toBe(true);
    writeFileSync(
      join(consumer, 'slos.yaml'),
      '- name: orders-availability\n  objective: { kind: availability, target: 0.999 }\n',
    );
    const rules = execFileSync(bin, ['rules', 'slos.yaml', '--skip-promtool', '--json'], {
      cwd: consumer,
      encoding: 'utf8',
    });
    expect(JSON.stringify(JSON.parse(rules))).toContain('orders-availability');
  });

  it('loads sre-kit/slo with opossum, p-retry and hdr-histogram-js removed', () => {
    for (const engine of ENGINES)
      rmSync(join(consumer, 'node_modules', engine), { recursive: true, force: true });
    expect(importKeys('sre-kit/slo').length).toBeGreaterThan(0);
    expect(requireKeys('sre-kit/slo').length).toBeGreaterThan(0);
  });
});

describe('sre-kit/mcp, with the MCP SDK installed beside it', () => {
  it('loads with import() and require(), the same names, and serves tools', () => {
    // A consumer of its own: the SDK depends on express, which the first consumer must not have.
    const mcpConsumer = join(work, 'consumer-mcp');
    mkdirSync(mcpConsumer);
    writeFileSync(join(mcpConsumer, 'package.json'), JSON.stringify({ name: 'consumer-mcp', private: true }));
    const sdk = `${MCP_SDK}@${devDependencies[MCP_SDK]}`;
    execFileSync(
      'npm',
      ['install', tarball, sdk, '--no-audit', '--no-fund', '--prefer-offline', '--no-package-lock'],
      {
        cwd: mcpConsumer,
        stdio: 'ignore',
      },
    );
    const esm = importKeys('sre-kit/mcp', mcpConsumer);
    expect(esm).toEqual(['createMcpServer', 'mcpRoute']);
    expect(requireKeys('sre-kit/mcp', mcpConsumer)).toEqual(esm);
    const tools = node(
      [
        '-e',
        `const { createMonitor } = require('sre-kit');
         const { createMcpServer } = require('sre-kit/mcp');
         const monitor = createMonitor({ service: 'checkout' });
         const server = createMcpServer(monitor);
         console.log(server.tools.map((t) => t.name).join(','));
         server.close().then(() => monitor.close());`,
      ],
      mcpConsumer,
    );
    expect(tools.trim().split(',')).toContain('deployment_readiness');
  });
});

describe('sre-kit/a2a, with the A2A SDK and express installed beside it', () => {
  it('loads with import() and require(), the same names, and serves its agent card', () => {
    const a2aConsumer = join(work, 'consumer-a2a');
    mkdirSync(a2aConsumer);
    writeFileSync(join(a2aConsumer, 'package.json'), JSON.stringify({ name: 'consumer-a2a', private: true }));
    const sdk = `${A2A_SDK}@${devDependencies[A2A_SDK]}`;
    const express = `express@${devDependencies['express']}`;
    execFileSync(
      'npm',
      ['install', tarball, sdk, express, '--no-audit', '--no-fund', '--prefer-offline', '--no-package-lock'],
      { cwd: a2aConsumer, stdio: 'ignore' },
    );
    const esm = importKeys('sre-kit/a2a', a2aConsumer);
    expect(esm).toEqual(['AGENT_CARD_PATH', 'a2aRouter']);
    expect(requireKeys('sre-kit/a2a', a2aConsumer)).toEqual(esm);
    const skills = node(
      [
        '-e',
        `const express = require('express');
         const { createMonitor } = require('sre-kit');
         const { a2aRouter, AGENT_CARD_PATH } = require('sre-kit/a2a');
         const monitor = createMonitor({ service: 'checkout' });
         const app = express();
         const server = app.listen(0, '127.0.0.1', async () => {
           const base = 'http://127.0.0.1:' + server.address().port;
           app.use(a2aRouter(monitor, { url: base + '/a2a', token: 'package-test-token-0123' }));
           const card = await (await fetch(base + AGENT_CARD_PATH)).json();
           console.log(card.skills.map((s) => s.id).join(','));
           server.close();
           await monitor.close();
         });`,
      ],
      a2aConsumer,
    );
    expect(skills.trim().split(',')).toContain('deployment_readiness');
  });
});

describe('what each built entry pulls in', () => {
  const dist = join(root, 'dist');
  const forbidden: Record<string, string[]> = {
    index: ['express', 'fastify', MCP_SDK, A2A_SDK],
    slo: ['express', 'fastify', MCP_SDK, A2A_SDK, ...ENGINES],
    express: ['fastify', 'express', MCP_SDK, A2A_SDK],
    fastify: ['express', 'fastify', MCP_SDK, A2A_SDK],
    testing: ['express', 'fastify', MCP_SDK, A2A_SDK, ...ENGINES],
    mcp: ['express', 'fastify', A2A_SDK],
    a2a: ['fastify', MCP_SDK],
    cluster: ['express', 'fastify', MCP_SDK, A2A_SDK],
    cli: ['express', 'fastify', MCP_SDK, A2A_SDK],
    otel: ['express', 'fastify', MCP_SDK, A2A_SDK],
  };
  it.each(
    Object.entries(forbidden).flatMap(([entry, bad]) =>
      ['js', 'cjs'].map((ext) => [`${entry}.${ext}`, bad] as const),
    ),
  )('%s never loads %j', (file, bad) => {
    const loaded = bareImportsOf(join(dist, file));
    for (const name of bad) expect(loaded).not.toContain(name);
  });
});

describe('the OpenTelemetry API stays optional', () => {
  it('only sre-kit/otel loads @opentelemetry/api', () => {
    const dist = join(root, 'dist');
    for (const ext of ['js', 'cjs']) {
      expect(bareImportsOf(join(dist, `otel.${ext}`))).toContain('@opentelemetry/api');
      for (const entry of ['index', 'slo', 'express', 'fastify', 'testing'])
        expect(bareImportsOf(join(dist, `${entry}.${ext}`))).not.toContain('@opentelemetry/api');
    }
  });
});

describe('the import scanner itself', () => {
  it('sees imports through chunks (a positive control for the checks above)', () => {
    const loaded = bareImportsOf(join(root, 'dist', 'index.js'));
    expect(loaded).toContain('node:perf_hooks');
    expect(bareImportsOf(join(root, 'dist', 'index.cjs'))).toContain('node:perf_hooks');
  });
});
