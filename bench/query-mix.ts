// The benchmark's query mix, as a dnsperf input file (`name TYPE` per line), shuffled with a
// seed so every run sends the same queries in the same order.
import { seededRandom, type QueryNames } from './generate-cluster.ts';

/** Share of each kind of query; the shares sum to 1. */
const mix = [
  { kind: 'A hit', share: 0.7, type: 'A', expect: 'NOERROR' },
  { kind: 'AAAA NODATA', share: 0.1, type: 'AAAA', expect: 'NOERROR' },
  { kind: 'SRV', share: 0.1, type: 'SRV', expect: 'NOERROR' },
  { kind: 'PTR', share: 0.05, type: 'PTR', expect: 'NOERROR' },
  { kind: 'NXDOMAIN', share: 0.05, type: 'A', expect: 'NXDOMAIN' },
] as const;
type MixKind = (typeof mix)[number]['kind'];

/** The names each kind draws from: A hits are ClusterIP and headless services and hostnames. */
function pools(q: QueryNames): Record<MixKind, string[]> {
  return {
    'A hit': [...q.a, ...q.headless, ...q.hostnames],
    'AAAA NODATA': q.aaaaNodata,
    SRV: q.srv,
    PTR: q.ptr,
    NXDOMAIN: q.nxdomain,
  };
}

/** `lines` queries in the mix's shares, shuffled (Fisher-Yates) with `seed`. */
export function queryLines(q: QueryNames, lines = 100_000, seed = 7): string[] {
  return drawMix(mix, pools(q), lines, seed);
}

/** `lines` queries (`name TYPE`) drawn from each kind's pool in its share, shuffled with `seed`. */
export function drawMix<K extends string>(
  shares: readonly { kind: K; share: number; type: string }[],
  from: Record<K, string[]>,
  lines: number,
  seed: number,
): string[] {
  const random = seededRandom(seed);
  const out: string[] = [];
  for (const { kind, share, type } of shares) {
    const pool = from[kind];
    if (pool.length === 0) throw new Error(`no names for ${kind} queries`);
    const count = Math.round(share * lines);
    for (let i = 0; i < count; i++) out.push(`${pool[Math.floor(random() * pool.length)]} ${type}`);
  }
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** The mix kind of a query as dnsperf echoes it (name, type). */
export function classify(name: string, type: string): string {
  if (name.startsWith('missing-')) return 'NXDOMAIN';
  if (type === 'AAAA') return 'AAAA NODATA';
  if (type === 'A') return 'A hit';
  return type;
}
