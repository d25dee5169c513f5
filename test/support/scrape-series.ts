// Scrapes of a real /metrics endpoint (Prometheus text exposition format 0.0.4) turned into
// promtool input series: each sample line a series, with the labels Prometheus adds at scrape time
// (job, instance); one value per scrape, a minute apart, then continued for `minutes` at the
// pace the scrapes showed (counters: their mean increase per scrape; gauges: their last value),
// so that rules with windows and `for` durations see the run's label sets and ratios.

export interface Scrape {
  /** `name{labels}` -> value. */
  samples: Map<string, number>;
  /** Metric family -> counter, gauge, histogram, summary or untyped. */
  types: Map<string, string>;
}

/** Reads one exposition; the series keys are as promtool writes series: `name{a="b",...}`. */
export function parseScrape(text: string): Scrape {
  const samples = new Map<string, number>();
  const types = new Map<string, string>();
  for (const line of text.split('\n')) {
    const type = /^# TYPE (\S+) (\S+)/.exec(line);
    if (type) types.set(type[1]!, type[2]!);
    if (line === '' || line.startsWith('#')) continue;
    const sample = /^([a-zA-Z_:][\w:]*)(\{.*\})? (\S+)(?: \d+)?$/.exec(line);
    if (!sample) throw new Error(`not a sample line: ${line}`);
    samples.set(`${sample[1]}${sample[2] ?? '{}'}`, Number(sample[3]));
  }
  return { samples, types };
}

/** The family a sample belongs to (`x_bucket`, `x_count`, `x_sum` belong to `x`). */
function family(name: string, types: Map<string, string>): string {
  if (types.has(name)) return name;
  const base = name.replace(/_(bucket|count|sum|total|created)$/, '');
  return types.has(base) ? base : name;
}

/**
 * promtool `input_series` from scrapes taken in order (at least two), with `extra` labels added
 * to every series (`job="edge-dns",instance="a"`), `minutes` values long.
 */
export function inputSeries(
  scrapes: Scrape[],
  extra: string,
  minutes: number,
): Record<string, string> {
  if (scrapes.length < 2) throw new Error('two scrapes at least: a rate needs two samples');
  const keys = new Set(scrapes.flatMap((s) => [...s.samples.keys()]));
  const out: Record<string, string> = {};
  for (const key of keys) {
    const name = key.slice(0, key.indexOf('{'));
    const labels = key.slice(key.indexOf('{') + 1, -1);
    const type = scrapes[0]!.types.get(family(name, scrapes[0]!.types)) ?? 'untyped';
    // A series first seen in a later scrape did not exist before it: promtool's `_` is no sample.
    // NaN (a gauge with nothing to average yet, as the event-loop lag's) is no sample either.
    const values = scrapes.map((s) => {
      const v = s.samples.get(key);
      return v === undefined || Number.isNaN(v) ? undefined : v;
    });
    if (values.every((v) => v === undefined)) continue;
    const known = values.filter((v) => v !== undefined);
    const last = known.at(-1)!;
    const counter = type === 'counter' || type === 'histogram' || type === 'summary';
    const step = counter && known.length > 1 ? (last - known[0]!) / (known.length - 1) : 0;
    const rest = minutes - values.length;
    const tail = step === 0 ? `${last}x${rest}` : `${last + step}+${step}x${rest - 1}`;
    const head = values.map((v) => (v === undefined ? '_' : String(v))).join(' ');
    out[`${name}{${[extra, labels].filter(Boolean).join(',')}}`] = `${head} ${tail}`;
  }
  return out;
}
