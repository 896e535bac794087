// The fleet configuration in the docs is the configuration the end-to-end test runs
// (test/integration/fleet.test.ts, built by test/helpers/fleet-config.ts). A YAML block announced by
//
//   <!-- fleet-test: slos.yaml | prometheus.yml | alertmanager.yml -->
//
// must parse to the same value as the test's file, with the docs' fixed addresses (the primary on
// 127.0.0.1:9464, Alertmanager on 127.0.0.1:9093, rules.yml beside prometheus.yml) and the token shown
// as a placeholder. README.md's "Running a fleet" must show prometheus.yml and alertmanager.yml.
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  FLEET_OPENSLO,
  fleetAlertmanagerConfig,
  fleetPrometheusConfig,
  type FleetAddresses,
} from '../helpers/fleet-config.js';
import { codeBlocks, docFiles, type DocFile } from './markdown.js';

const AT: FleetAddresses = {
  admin: '127.0.0.1:9464',
  alertmanager: '127.0.0.1:9093',
  rulesFile: 'rules.yml',
};
const TOKEN = '<SRE_KIT_ALERTMANAGER_TOKEN of the service>';
const expected: Record<string, unknown> = {
  'slos.yaml': parse(FLEET_OPENSLO),
  'prometheus.yml': fleetPrometheusConfig(AT),
  'alertmanager.yml': fleetAlertmanagerConfig(AT, TOKEN),
};

interface Shown {
  readonly at: string;
  readonly file: string;
  readonly value: unknown;
}

/** The blocks of `doc` announced as one of the test's files: the first yaml block after each marker. */
function shown(doc: DocFile): Shown[] {
  const blocks = codeBlocks(doc).filter((block) => block.lang === 'yaml');
  return doc.lines.flatMap((line, i) => {
    const match = /^<!--\s*fleet-test:\s*(\S+)\s*-->$/.exec(line.trim());
    if (match === null) return [];
    const block = blocks.find((b) => b.line > i + 1);
    if (block === undefined) throw new Error(`${doc.path}:${i + 1}: a fleet-test marker with no yaml below`);
    return [{ at: `${doc.path}:${block.line}`, file: match[1] ?? '', value: parse(block.code) as unknown }];
  });
}

const all = docFiles().flatMap(shown);

describe('the fleet configuration in the docs', () => {
  it('is what the end-to-end test runs, block for block', () => {
    expect(all.length).toBeGreaterThan(0);
    for (const { at, file, value } of all) {
      expect(Object.keys(expected), `${at}: unknown file ${file}`).toContain(file);
      expect(value, at).toEqual(expected[file]);
    }
  });

  it('README.md and docs/operations/fleet.md both show Prometheus and Alertmanager', () => {
    for (const path of ['README.md', 'docs/operations/fleet.md']) {
      const files = all.filter((s) => s.at.startsWith(`${path}:`)).map((s) => s.file);
      expect(files, path).toEqual(expect.arrayContaining(['prometheus.yml', 'alertmanager.yml']));
    }
  });
});
