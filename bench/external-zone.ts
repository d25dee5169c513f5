// The names outside the cluster for `npm run bench:forward`: a generated zone of 10,000 hosts
// under bench.example (RFC 2606: reserved, never delegated), what an authoritative server answers
// for each question, and the query mix as a dnsperf input file. Deterministic; pure.
import type { Answer } from 'dns-packet';
import { drawMix } from './query-mix.ts';

const APEX = 'bench.example';
/** Long enough that nothing expires during a run (the forward caches cap it: 3600 / 1800 s). */
const TTL = 3600;
/** RFC 2308 §5: a negative answer is cached for min(SOA TTL, SOA MINIMUM). */
const soa: Answer = {
  name: APEX,
  type: 'SOA',
  ttl: TTL,
  class: 'IN',
  data: {
    mname: `ns.${APEX}`,
    rname: `hostmaster.${APEX}`,
    serial: 1,
    refresh: 7200,
    retry: 1800,
    expire: 86400,
    minimum: TTL,
  },
};

export interface Sections {
  rcode: 'NOERROR' | 'NXDOMAIN';
  answers: Answer[];
  authorities: Answer[];
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');
/** Host i: `svc-00042.ns-042.bench.example` (100 "namespaces", as bench:dns has). */
const hostName = (i: number) => `svc-${pad(i, 5)}.ns-${pad(i % 100, 3)}.${APEX}`;
/** One or two addresses in 127.0.0.0/8 (never sent to: dnsperf only reads the replies). */
const addresses = (i: number) =>
  i % 3 === 0
    ? [`127.1.${i >> 8}.${i & 255}`, `127.2.${i >> 8}.${i & 255}`]
    : [`127.1.${i >> 8}.${i & 255}`];
/** One host in 20 is dual-stack: AAAA answers; the rest answer AAAA with NODATA. */
const dualStack = (i: number) => i % 20 === 7;

/**
 * The authoritative answer for a question (name canonical: lower case, no trailing dot), or
 * undefined for names outside bench.example (the upstream answers those REFUSED).
 *   svc-N.ns-M.bench.example        A (1-2), AAAA (1 host in 20) else NODATA, other types NODATA
 *   www.svc-N.ns-M.bench.example    CNAME svc-N.ns-M.bench.example, then its records (RFC 1034 §3.6.2)
 *   _https._tcp.svc-N...            SRV 0 10 443 svc-N...
 *   anything else under the apex    NXDOMAIN with the SOA (its MINIMUM is the negative TTL)
 */
export function answer(name: string, type: string, hosts: number): Sections | undefined {
  if (name !== APEX && !name.endsWith(`.${APEX}`)) return undefined;
  const nodata: Sections = { rcode: 'NOERROR', answers: [], authorities: [soa] };
  if (name === APEX)
    return type === 'SOA' ? { rcode: 'NOERROR', answers: [soa], authorities: [] } : nodata;
  const m = /^(www\.|_https\._tcp\.)?svc-(\d{5})\.ns-(\d{3})\.bench\.example$/.exec(name);
  const i = m ? Number(m[2]) : -1;
  if (!m || i >= hosts || m[3] !== pad(i % 100, 3))
    return { rcode: 'NXDOMAIN', answers: [], authorities: [soa] };
  const host = hostName(i);
  const rr = (owner: string, t: Answer['type'], data: unknown) =>
    ({ name: owner, type: t, ttl: TTL, class: 'IN', data }) as Answer;
  const records = (t: string): Answer[] => {
    if (t === 'A') return addresses(i).map((a) => rr(host, 'A', a));
    if (t === 'AAAA' && dualStack(i)) return [rr(host, 'AAAA', `fd00:b::${i.toString(16)}`)];
    return [];
  };
  if (m[1] === '_https._tcp.') {
    return type === 'SRV'
      ? {
          rcode: 'NOERROR',
          answers: [rr(name, 'SRV', { priority: 0, weight: 10, port: 443, target: host })],
          authorities: [],
        }
      : nodata;
  }
  if (m[1] === 'www.') {
    const chain = [rr(name, 'CNAME', host)];
    if (type === 'CNAME') return { rcode: 'NOERROR', answers: chain, authorities: [] };
    const target = records(type);
    return {
      rcode: 'NOERROR',
      answers: [...chain, ...target],
      authorities: target.length ? [] : [soa],
    };
  }
  const found = records(type);
  return found.length ? { rcode: 'NOERROR', answers: found, authorities: [] } : nodata;
}

/** bench:dns's 70/10/10/5/5 shares, with external names; PTR becomes a CNAME chain (see README). */
const forwardMix = [
  { kind: 'A hit', share: 0.7, type: 'A', expect: 'NOERROR' },
  { kind: 'AAAA NODATA', share: 0.1, type: 'AAAA', expect: 'NOERROR' },
  { kind: 'SRV', share: 0.1, type: 'SRV', expect: 'NOERROR' },
  { kind: 'CNAME chain', share: 0.05, type: 'A', expect: 'NOERROR' },
  { kind: 'NXDOMAIN', share: 0.05, type: 'A', expect: 'NXDOMAIN' },
] as const;
type Kind = (typeof forwardMix)[number]['kind'];

/** The names each kind draws from. NXDOMAIN: 1,000 `missing-K.ns-M` names. */
function pools(hosts: number): Record<Kind, string[]> {
  const all = Array.from({ length: hosts }, (_, i) => i);
  return {
    'A hit': all.map(hostName),
    'AAAA NODATA': all.filter((i) => !dualStack(i)).map(hostName),
    SRV: all.map((i) => `_https._tcp.${hostName(i)}`),
    'CNAME chain': all.map((i) => `www.${hostName(i)}`),
    NXDOMAIN: Array.from(
      { length: Math.min(1000, hosts) },
      (_, k) => `missing-${k}.ns-${pad(k % 100, 3)}.${APEX}`,
    ),
  };
}

/** `lines` queries (`name TYPE`) in the mix's shares, shuffled (Fisher-Yates) with `seed`. */
export function forwardQueryLines(hosts = 10_000, lines = 100_000, seed = 7): string[] {
  return drawMix(forwardMix, pools(hosts), lines, seed);
}

/** The mix kind of a query as dnsperf echoes it (name, type). */
export function classifyForward(name: string, type: string): string {
  if (name.startsWith('missing-')) return 'NXDOMAIN';
  if (name.startsWith('www.')) return 'CNAME chain';
  if (type === 'AAAA') return 'AAAA NODATA';
  return type === 'A' ? 'A hit' : type;
}

/** The distinct questions of a query file, each once (the warm-up pass), and how many are positive. */
export function distinctQuestions(
  lines: string[],
  hosts = 10_000,
): { lines: string[]; positive: number; negative: number } {
  const unique = [...new Set(lines)];
  let positive = 0;
  for (const line of unique) {
    const [name = '', type = ''] = line.split(' ');
    const a = answer(name, type, hosts);
    if (a && a.rcode === 'NOERROR' && a.answers.length > 0) positive++;
  }
  return { lines: unique, positive, negative: unique.length - positive };
}
