// Small statistics helpers: medians over runs, percentiles over samples.

export function median(xs) {
  const v = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return NaN;
  const m = v.length >> 1;
  return v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
}

export function min(xs) {
  const v = xs.filter(Number.isFinite);
  return v.length ? Math.min(...v) : NaN;
}

export function max(xs) {
  const v = xs.filter(Number.isFinite);
  return v.length ? Math.max(...v) : NaN;
}

/** Nearest-rank percentile of an unsorted array (p in 0..100). */
export function percentile(samples, p) {
  if (samples.length === 0) return NaN;
  const v = Float64Array.from(samples).sort();
  const rank = Math.min(v.length - 1, Math.max(0, Math.ceil((p / 100) * v.length) - 1));
  return v[rank];
}

/** Fixed-size reservoir so latency sampling stays bounded in memory. */
export class Reservoir {
  constructor(size = 20000) {
    this.size = size;
    this.values = [];
    this.seen = 0;
  }
  add(x) {
    this.seen++;
    if (this.values.length < this.size) this.values.push(x);
    else {
      const j = Math.floor(Math.random() * this.seen);
      if (j < this.size) this.values[j] = x;
    }
  }
}
