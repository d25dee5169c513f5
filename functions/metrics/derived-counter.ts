// A counter family summed at scrape time from another over fewer labels: the pre-1.7 CoreDNS
// names old alerts still use (coredns_dns_request_count_total and friends) cost nothing per query.
import type { CounterVec, SeriesFamily, SeriesValue } from './counter-vec.ts';

export class DerivedCounter implements SeriesFamily {
  readonly type = 'counter';
  readonly aggregator = 'sum';

  constructor(
    readonly name: string,
    readonly help: string,
    readonly source: CounterVec,
    /** The source's labels kept, in this order; the others are summed over. */
    readonly labelNames: readonly string[],
  ) {}

  async get() {
    const sums = new Map<string, SeriesValue>();
    for (const [cell, value] of this.source.cells()) {
      const all = this.source.dimensions.labels(cell);
      const labels = Object.fromEntries(this.labelNames.map((n) => [n, all[n] ?? '']));
      const key = this.labelNames.map((n) => labels[n]).join('\u0000');
      const seen = sums.get(key);
      if (seen) seen.value += value;
      else sums.set(key, { value, labels });
    }
    const values = [...sums.values()];
    return {
      name: this.name,
      help: this.help,
      type: this.type,
      aggregator: this.aggregator,
      values,
    };
  }

  /** Derived: nothing of its own to reset. */
  reset(): void {}
}
