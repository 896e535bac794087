// Message parameterisation, after Sentry's (grouping/parameterization.py): the parts of a message
// that change from one occurrence to the next (ids, uuids, hashes, addresses, urls, numbers, dates,
// emails, tokens) are replaced by a placeholder, so "order 4411 not found" and "order 4412 not found"
// read the same, and a sample never carries a customer's email or a token. Runs once per distinct
// stack, never per capture.

// Each rule: the pattern, its placeholder, and a character the text must contain for the pattern to
// possibly match, so a message without digits or colons skips most of the scans.
type Rule = readonly [pattern: RegExp, placeholder: string, needs: 'digit' | ':' | '@' | '.' | 'any'];

// Order matters: wider patterns first, so a url's digits are not numbers and a uuid's not hex.
const RULES: readonly Rule[] = [
  // Urls with a scheme (postgres://user:secret@host/db carries a password).
  [/\b[a-z][a-z0-9+.-]{1,20}:\/\/[^\s'"<>()]+/gi, '<url>', ':'],
  [/\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b/g, '<email>', '@'],
  // JSON web tokens.
  [/\beyJ[\w-]+\.[\w-]+\.[\w-]+/g, '<token>', '.'],
  [/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, '<uuid>', 'digit'],
  // ISO 8601 dates and times, with optional time, fraction and zone.
  [
    /\b\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?\b/g,
    '<date>',
    'digit',
  ],
  // RFC 2822 / Date#toString dates: "Mon, 15 Jan 2024 10:00:00 GMT", "Mon Jan 15 2024 10:00:00 GMT+0100".
  [
    /\b(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun),? (?:\d{1,2} )?(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) (?:\d{1,2} )?\d{4} \d{2}:\d{2}:\d{2}(?: (?:GMT|UTC)(?:[+-]\d{4})?(?: \([^)]*\))?)?/g,
    '<date>',
    'digit',
  ],
  [/\b\d{2}:\d{2}:\d{2}(?:\.\d+)?\b/g, '<time>', ':'],
  // IPv4 and IPv6 (full, or compressed with ::).
  [/\b(?:\d{1,3}\.){3}\d{1,3}\b/g, '<ip>', 'digit'],
  [/(?<![\w:])(?:[0-9a-f]{1,4}:){7}[0-9a-f]{1,4}(?![\w:])/gi, '<ip>', ':'],
  [
    /(?<![\w:])(?:[0-9a-f]{1,4}(?::[0-9a-f]{1,4})*)?::(?:[0-9a-f]{1,4}(?::[0-9a-f]{1,4})*)?(?![\w:])/gi,
    '<ip>',
    ':',
  ],
  [/\b0x[0-9a-f]+\b/gi, '<hex>', 'digit'],
  // Hashes and object ids: 8+ hex digits with at least one digit and one letter.
  [/\b(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{8,}\b/gi, '<hex>', 'digit'],
  // Long opaque strings mixing letters and digits: api keys, session ids.
  [/\b(?=[\w-]*\d)(?=[\w-]*[a-z])[\w-]{24,}\b/gi, '<token>', 'digit'],
  // Numbers not glued to a letter ("utf8", "sha256" and "v2" stay; "order_4411" and "404" do not).
  // A port after an address stays: 5432 and 6379 name the service that refused.
  [/(?<![a-z\d.]|<ip>:)[-+]?\d+(?:\.\d+)?(?![a-z\d])/gi, '<num>', 'digit'],
];

const HAS_DIGIT = /\d/;

/** Replaces the variable parts of `message` with placeholders and cuts it to `maxLength` characters. */
export function parameterize(message: string, maxLength: number): string {
  // Cut first (generously) so a megabyte message costs no more than a long one.
  let out = message.length > maxLength * 4 ? message.slice(0, maxLength * 4) : message;
  const digits = HAS_DIGIT.test(out);
  for (const [pattern, placeholder, needs] of RULES) {
    if (needs === 'digit' ? !digits : needs !== 'any' && !out.includes(needs)) continue;
    out = out.replace(pattern, placeholder);
  }
  out = out.replace(/\s+/g, ' ').trim();
  return out.length > maxLength ? `${out.slice(0, maxLength - 1)}…` : out;
}
