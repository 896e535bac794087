// How canary verdicts write numbers into their sentences.

/** A fraction as a percentage with up to 2 decimals: `1.05 %`. */
export function percent(ratio: number): string {
  return `${trim(ratio * 100, 2)} %`;
}

/** A difference of fractions in percentage points, signed: `+0.42 points`. */
export function points(delta: number): string {
  return `${delta >= 0 ? '+' : '−'}${trim(Math.abs(delta) * 100, 2)} points`;
}

/** A ratio: `1.21×`. */
export function times(ratio: number): string {
  return `${trim(ratio, ratio >= 10 ? 1 : 2)}×`;
}

/** A duration in ms: `412 ms`, `3.4 ms`. */
export function ms(value: number): string {
  return `${trim(value, value >= 100 ? 0 : value >= 10 ? 1 : 2)} ms`;
}

/** A count with thousands separators: `38,000`. */
export function count(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

/** A statistic in 3 significant digits, or exponent form when very large or small: `4.1e9`. */
export function stat(value: number): string {
  if (value === 0 || !Number.isFinite(value)) return String(value);
  const magnitude = Math.abs(value);
  return magnitude >= 1e4 || magnitude < 1e-3 ? value.toExponential(1) : String(Number(value.toPrecision(3)));
}

function trim(value: number, decimals: number): string {
  return String(Math.round(value * 10 ** decimals) / 10 ** decimals);
}
