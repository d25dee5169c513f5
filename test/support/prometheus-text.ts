// A /metrics scrape in the Prometheus text format (0.0.4), parsed into samples, so tests assert
// on series by name and labels: `scrapeMetrics(url)` then `value(name, labels)`.

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface Scrape {
  samples: Sample[];
  /** Sum of the samples of `name` whose labels include `labels`; undefined when none matches. */
  value(name: string, labels?: Record<string, string>): number | undefined;
}

/** GET `url` (a /metrics address); fails on anything but 200. */
export async function scrapeMetrics(url: string): Promise<Scrape> {
  const response = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`GET ${url}: ${response.status} ${text}`);
  return parsedScrape(text);
}

export function parsedScrape(text: string): Scrape {
  const samples = text
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map(parseLine);
  return {
    samples,
    value(name, labels = {}) {
      const matching = samples.filter(
        (s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v),
      );
      return matching.length === 0 ? undefined : matching.reduce((sum, s) => sum + s.value, 0);
    },
  };
}

/** `name{a="x",b="y"} value [timestamp]`; label values with \\, \" and \n escapes. */
function parseLine(line: string): Sample {
  const name = /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(line)?.[0];
  if (!name) throw new Error(`not a sample line: ${line}`);
  let i = name.length;
  const labels: Record<string, string> = {};
  if (line[i] === '{') {
    i++;
    while (line[i] !== '}') {
      const key = /^[a-zA-Z_][a-zA-Z0-9_]*="/.exec(line.slice(i))?.[0];
      if (!key) throw new Error(`bad labels in: ${line}`);
      i += key.length;
      let value = '';
      for (; line[i] !== '"'; i++) {
        if (i >= line.length) throw new Error(`unterminated label value in: ${line}`);
        if (line[i] === '\\') value += { n: '\n', '\\': '\\', '"': '"' }[line[++i]!] ?? line[i];
        else value += line[i];
      }
      labels[key.slice(0, -2)] = value;
      i++;
      if (line[i] === ',') i++;
    }
    i++;
  }
  const text = line.slice(i).trim().split(/\s+/)[0]!;
  const value = text === '+Inf' ? Infinity : text === '-Inf' ? -Infinity : Number(text);
  if (Number.isNaN(value) && !/^nan$/i.test(text)) throw new Error(`bad value in: ${line}`);
  return { name, labels, value };
}
