import { parseDocument, visit, type DocumentOptions, type ParseOptions, type SchemaOptions } from 'yaml';
import { MAX_REQUEST_TEXT_LENGTH, MAX_YAML_ALIASES } from './constants.js';

// Agent requests arrive as text from other agents: YAML as in DESIGN.md (`request: { agent: …, action:
// … }`) or JSON, which YAML 1.2 reads as its flow style. The text is outside data, so the parser is
// held to what a request needs: one document, the core schema (strings, numbers, booleans, null, maps
// and lists), no tags at all (`!!binary`, `!!js/function` or `!custom` never build anything), unique
// keys, and few alias expansions (an alias bomb fails instead of expanding), after a length check that
// comes before any parsing.

/** The outcome of {@link parseAgentRequestText}: the request as plain data, or why the text is not one. */
export type ParsedRequestText =
  { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly message: string };

const PARSE_OPTIONS: ParseOptions & DocumentOptions & SchemaOptions = {
  schema: 'core',
  customTags: [],
  merge: false,
  uniqueKeys: true,
  strict: true,
  prettyErrors: false,
  intAsBigInt: false,
};

const MAX_REASON_LENGTH = 200;

/**
 * Parses an agent request written as YAML or JSON text into plain data for {@link handleAgentRequest}.
 * Refuses, with a message saying why, text longer than `maxLength` characters (before parsing it), more
 * than one document, a syntax error, a duplicate key, any tag, and more than 20 alias expansions.
 *
 * @example
 * ```ts
 * const parsed = parseAgentRequestText(
 *   'request: { agent: sre-reliability, action: health_check, scope: full_system }',
 * );
 * if (parsed.ok) console.log(await handleAgentRequest(monitor, parsed.value));
 * ```
 */
export function parseAgentRequestText(
  text: string,
  options: { readonly maxLength?: number } = {},
): ParsedRequestText {
  const maxLength = options.maxLength ?? MAX_REQUEST_TEXT_LENGTH;
  if (text.length > maxLength)
    return { ok: false, message: `The request text is longer than ${maxLength} characters` };
  try {
    const doc = parseDocument(text, PARSE_OPTIONS);
    const [error] = doc.errors;
    if (error !== undefined) return invalid(error.message);
    let tag: string | undefined;
    visit(doc, {
      Node(_key, node) {
        if (node.tag === undefined) return undefined;
        tag = node.tag;
        return visit.BREAK;
      },
    });
    if (tag !== undefined) return invalid(`tags are not accepted (found ${truncate(tag, 60)})`);
    return { ok: true, value: doc.toJS({ maxAliasCount: MAX_YAML_ALIASES }) as unknown };
  } catch (error) {
    // toJS throws on an excessive alias count (and any other resolution failure).
    return invalid(error instanceof Error ? error.message : 'it could not be read');
  }
}

function invalid(reason: string): ParsedRequestText {
  const firstLine = reason.split('\n', 1)[0] ?? reason;
  return {
    ok: false,
    message: `The request is not valid YAML or JSON: ${truncate(firstLine, MAX_REASON_LENGTH)}`,
  };
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
