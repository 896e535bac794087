// Reads the SLOs `sre-kit rules` generates rules for: OpenSLO v1 documents (one or many in a YAML
// stream), or sre-kit's own YAML — a list of SLO options, or `{ slos, rules }` with rule options too.
import { readFile } from 'node:fs/promises';
import { parseAllDocuments } from 'yaml';
import { fromOpenSlo, type PrometheusRulesOptions, type SloTrackerOptions } from '../slo/index.js';
import { CliError, oneLine } from './io.js';

/** What an SLO file holds. */
export interface SloFile {
  /** `openslo` or `sre-kit`: which format the file was read as. */
  readonly format: 'openslo' | 'sre-kit';
  readonly slos: SloTrackerOptions[];
  /** Rule options from an sre-kit file's `rules:` section. */
  readonly rules: PrometheusRulesOptions;
}

/** Reads and converts an SLO file; every failure is a one-line CliError naming the file. */
export async function readSloFile(path: string): Promise<SloFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CliError(`cannot read ${path}: ${code === 'ENOENT' ? 'no such file' : oneLine(String(error))}`);
  }
  const documents = parseAllDocuments(text);
  if (!Array.isArray(documents)) throw new CliError(`${path} holds no YAML document`);
  const values: unknown[] = [];
  for (const document of documents) {
    const error = document.errors[0];
    if (error !== undefined) throw new CliError(`${path} is not valid YAML: ${oneLine(error.message)}`);
    const value: unknown = document.toJS();
    if (value !== null && value !== undefined) values.push(value);
  }
  if (values.length === 0) throw new CliError(`${path} holds no SLO`);

  const isOpenSlo = values.some(
    (value) =>
      typeof value === 'object' &&
      value !== null &&
      String((value as { apiVersion?: unknown }).apiVersion).startsWith('openslo/'),
  );
  if (isOpenSlo) return { format: 'openslo', slos: fromOpenSlo(values), rules: {} };
  if (values.length > 1)
    throw new CliError(
      `${path} holds ${values.length} YAML documents without an OpenSLO apiVersion: an sre-kit SLO file is one document`,
    );
  const [value] = values;
  if (Array.isArray(value)) return { format: 'sre-kit', slos: value as SloTrackerOptions[], rules: {} };
  if (typeof value === 'object' && value !== null && 'slos' in value) {
    const { slos, rules, ...rest } = value as { slos: unknown; rules?: unknown };
    const unknown = Object.keys(rest)[0];
    if (unknown !== undefined)
      throw new CliError(
        `${path}: unknown top-level key ${JSON.stringify(unknown)} (expected slos and rules)`,
      );
    if (!Array.isArray(slos)) throw new CliError(`${path}: slos must be a list of SLOs`);
    if (rules !== undefined && (typeof rules !== 'object' || rules === null || Array.isArray(rules)))
      throw new CliError(
        `${path}: rules must be a map of rule options (metric, alertName, labels, interval)`,
      );
    return {
      format: 'sre-kit',
      slos: slos as SloTrackerOptions[],
      rules: rules ?? {},
    };
  }
  throw new CliError(
    `${path} is neither OpenSLO (apiVersion: openslo/v1) nor an sre-kit SLO file (a list of SLOs, or slos: [...])`,
  );
}
