import type { Incident } from '../incidents/index.js';

// Every open incident counts in a verdict; lists of them are bounded, the most severe first.

/** The most open incidents a report lists; the rest are counted, and still count in its verdict. */
export const MAX_LISTED_INCIDENTS = 100;

/** `incidents` most severe first (P1 before P5), the oldest first within a severity. */
export function bySeverity(incidents: readonly Incident[]): Incident[] {
  return [...incidents].sort((a, b) =>
    a.severity < b.severity ? -1 : a.severity > b.severity ? 1 : a.openedAt - b.openedAt,
  );
}
