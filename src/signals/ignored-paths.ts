/**
 * Builds the test behind `isIgnored`: a path (query string dropped) is ignored when it equals one of
 * `paths` or one of its parents does (`/readyz` covers `/readyz/database`). It runs on every request,
 * so it neither slices nor hashes the URL: a path whose second character starts no entry is turned
 * away at once; otherwise the entries are grouped by length, and at each place the path could end (its
 * end, and every `/` after the first character) only entries of exactly that length are compared, in
 * place, with `startsWith`.
 */
export function ignoredPathTest(paths: readonly string[]): (path: string) => boolean {
  if (paths.length === 0) return () => false;
  const maxLength = Math.max(...paths.map((p) => p.length));
  const byLength: (string[] | undefined)[] = new Array<string[] | undefined>(maxLength + 1).fill(undefined);
  for (const p of new Set(paths)) (byLength[p.length] ??= []).push(p);

  const matchesPrefix = (path: string, length: number): boolean => {
    const candidates = byLength[length];
    if (candidates === undefined) return false;
    for (const candidate of candidates) if (path.startsWith(candidate)) return true;
    return false;
  };

  // Every entry but `/` is at least two characters long, so a path can only fall under entries that
  // share its second character: one table look-up turns most requests away before any scan (the
  // usual list, `/livez` … `/metrics`, never shares it with `/api/…` or `/users/…`).
  const secondChars = new Uint8Array(128);
  let prefilter = true;
  for (const p of paths) {
    const code = p.charCodeAt(1);
    if (code < 128) secondChars[code] = 1;
    else prefilter = false; // `/` itself (NaN) or a non-ASCII second character: always scan
  }

  return (path: string): boolean => {
    if (prefilter && secondChars[path.charCodeAt(1)] !== 1) return false;
    const q = path.indexOf('?');
    const end = q === -1 ? path.length : q;
    if (end <= maxLength && matchesPrefix(path, end)) return true;
    // Parents: the path up to each `/` (not the leading one) that comes before its end.
    for (let slash = path.indexOf('/', 1); slash !== -1 && slash < end && slash <= maxLength;) {
      if (matchesPrefix(path, slash)) return true;
      slash = path.indexOf('/', slash + 1);
    }
    return false;
  };
}
