// A histogram family kept as plain numbers (see counter-vec.ts): per cell, a count per bucket,
// the sum and the count; cumulative `_bucket{le}` series are built only at scrape time.
import { grown, type Dimensions, type SeriesFamily, type SeriesValue } from './counter-vec.ts';

/** Go's prometheus.ExponentialBuckets(start, factor, count). */
export function exponentialBuckets(start: number, factor: number, count: number): number[] {
  return Array.from({ length: count }, (_, i) => start * factor ** i);
}

/** CoreDNS plugin.TimeBuckets: 0.25 ms doubling to about 8 s. */
export const TIME_BUCKETS = exponentialBuckets(0.00025, 2, 16);

/** CoreDNS plugin.SizeBuckets (bytes). */
export const SIZE_BUCKETS = [
  0, 100, 200, 300, 400, 511, 1023, 2047, 4095, 8291, 16e3, 32e3, 48e3, 64e3,
];

export class HistogramVec implements SeriesFamily {
  readonly type = 'histogram';
  readonly aggregator = 'sum';
  readonly #bounds: Float64Array;
  readonly #le: string[];
  /** Per cell: one count per bound and one past the last (+Inf), not cumulative. */
  #counts: Float64Array;
  #sums: Float64Array;
  #totals: Float64Array;

  constructor(
    readonly name: string,
    readonly help: string,
    readonly dimensions: Dimensions,
    bounds: readonly number[],
  ) {
    this.#bounds = Float64Array.from(bounds);
    // Go writes bounds with strconv 'g' and shortest digits; JS String gives the same for these.
    this.#le = [...bounds.map(String), '+Inf'];
    const cells = dimensions.inner * Math.max(1, dimensions.dims[0]?.length ?? 1);
    this.#counts = new Float64Array(cells * this.#le.length);
    this.#sums = new Float64Array(cells);
    this.#totals = new Float64Array(cells);
  }

  observe(cell: number, value: number): void {
    if (cell >= this.#totals.length) this.#grow(cell + 1);
    const bounds = this.#bounds;
    let b = 0;
    while (b < bounds.length && value > bounds[b]!) b++;
    this.#counts[cell * this.#le.length + b]! += 1;
    this.#sums[cell]! += value;
    this.#totals[cell]! += 1;
  }

  /** How many observations a cell holds (tests and derived series). */
  count(cell: number): number {
    return this.#totals[cell] ?? 0;
  }

  async get() {
    const values: SeriesValue[] = [];
    const width = this.#le.length;
    for (let cell = 0; cell < this.#totals.length; cell++) {
      if (!this.#totals[cell]) continue;
      const labels = this.dimensions.labels(cell);
      let cumulative = 0;
      for (let b = 0; b < width; b++) {
        cumulative += this.#counts[cell * width + b]!;
        values.push({
          metricName: `${this.name}_bucket`,
          labels: { ...labels, le: this.#le[b]! },
          value: cumulative,
        });
      }
      values.push({ metricName: `${this.name}_sum`, labels, value: this.#sums[cell]! });
      values.push({ metricName: `${this.name}_count`, labels, value: this.#totals[cell]! });
    }
    return {
      name: this.name,
      help: this.help,
      type: this.type,
      aggregator: this.aggregator,
      values,
    };
  }

  reset(): void {
    this.#counts.fill(0);
    this.#sums.fill(0);
    this.#totals.fill(0);
  }

  #grow(cells: number): void {
    this.#totals = grown(this.#totals, cells);
    this.#sums = grown(this.#sums, this.#totals.length);
    this.#counts = grown(this.#counts, this.#totals.length * this.#le.length);
  }
}
