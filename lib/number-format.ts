/**
 * Numbers as people read them, for every layer that prints one: the harness's
 * progress line and the report renderers. Below both, so neither imports the other.
 */

/** A number for people: three significant figures, thousands without exponent, exponent below 0.001 (rare events per op). */
export function formatNumber(x: number): string {
  if (!Number.isFinite(x)) return '—';
  const a = Math.abs(x);
  if (a === 0) return '0';
  if (a >= 1000) return Math.round(x).toLocaleString('en-US');
  if (a >= 100) return x.toFixed(0);
  if (a >= 10) return x.toFixed(1);
  if (a >= 1) return x.toFixed(2);
  if (a >= 0.001) return x.toPrecision(3);
  return x.toExponential(2);
}

/** A ratio as people say it: `38×`, `1.4×`. */
export function formatRatio(r: number): string {
  if (!Number.isFinite(r)) return '—';
  return r >= 10 ? `${r.toFixed(0)}×` : `${r.toFixed(r >= 2 ? 1 : 2)}×`;
}
