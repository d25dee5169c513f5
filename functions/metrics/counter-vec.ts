// A counter family kept as plain numbers, one per label combination, for the query path:
// prom-client's own children hash their label object on every inc(), which costs more than the
// query. Here a caller computes a cell number (mixed radix over the label dimensions, the first
// outermost) and adds to it; the labels are written out only at scrape time, by the registry
// (prom-client's Registry takes any object with name, help, type and get()).
import type { Registry } from 'prom-client';

export interface SeriesValue {
  value: number;
  labels: Record<string, string>;
  metricName?: string;
}

export interface FamilySnapshot {
  name: string;
  help: string;
  type: string;
  aggregator: string;
  values: SeriesValue[];
}

export interface SeriesFamily {
  name: string;
  help: string;
  type: string;
  aggregator: string;
  get(): Promise<FamilySnapshot>;
  reset(): void;
}

/**
 * Label dimensions: `labelNames[i]` takes the values `dims[i]`. The arrays are read at scrape time,
 * so the first one may grow (a listener added after start) without renumbering any cell.
 */
export class Dimensions {
  readonly #inner: number;

  constructor(
    readonly labelNames: readonly string[],
    readonly dims: readonly (readonly string[])[],
  ) {
    this.#inner = dims.slice(1).reduce((n, d) => n * d.length, 1);
  }

  /** Cells per value of the first dimension. */
  get inner(): number {
    return this.#inner;
  }

  /** The cell of one value index per dimension (for code off the query path and tests). */
  cell(...indices: number[]): number {
    let cell = 0;
    indices.forEach((index, i) => (cell = cell * (this.dims[i]?.length ?? 1) + index));
    return cell;
  }

  /** The labels of a cell, in `labelNames` order. */
  labels(cell: number): Record<string, string> {
    const index: number[] = [];
    for (let i = this.dims.length - 1; i > 0; i--) {
      const size = this.dims[i]!.length;
      index[i] = cell % size;
      cell = Math.floor(cell / size);
    }
    index[0] = cell;
    const out: Record<string, string> = {};
    this.labelNames.forEach((name, i) => (out[name] = this.dims[i]?.[index[i]!] ?? ''));
    return out;
  }
}

export class CounterVec implements SeriesFamily {
  readonly type = 'counter';
  readonly aggregator = 'sum';
  #values: Float64Array;

  constructor(
    readonly name: string,
    readonly help: string,
    readonly dimensions: Dimensions,
  ) {
    this.#values = new Float64Array(
      dimensions.inner * Math.max(1, dimensions.dims[0]?.length ?? 1),
    );
  }

  add(cell: number, n = 1): void {
    if (cell >= this.#values.length) this.#values = grown(this.#values, cell + 1);
    this.#values[cell]! += n;
  }

  /** Every cell that counted something, with its value. */
  *cells(): Generator<[cell: number, value: number]> {
    const values = this.#values;
    for (let cell = 0; cell < values.length; cell++) if (values[cell]) yield [cell, values[cell]!];
  }

  async get() {
    const values: SeriesValue[] = [];
    for (const [cell, value] of this.cells())
      values.push({ value, labels: this.dimensions.labels(cell) });
    return {
      name: this.name,
      help: this.help,
      type: this.type,
      aggregator: this.aggregator,
      values,
    };
  }

  reset(): void {
    this.#values.fill(0);
  }
}

/** A copy of `values`, zero-filled, at least `size` long (doubling, so growth stays rare). */
export function grown(values: Float64Array, size: number): Float64Array {
  const out = new Float64Array(Math.max(size, values.length * 2));
  out.set(values);
  return out;
}

/** Registers families kept outside prom-client's own metric classes. */
export function registerFamilies(registry: Registry, families: readonly SeriesFamily[]): void {
  for (const family of families) registry.registerMetric(family as never);
}
