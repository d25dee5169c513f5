// The `file` plugin against NSD, query by query: NSD serves the zone files of
// test/fixtures/zones/ on a loopback port, edge-dns answers the same questions through
// `resolve()` with the plugin in a server block, and every reply must agree in rcode, AA and the
// answer, authority and additional sections (RRsets compared whole, records in any order, TTLs
// equal, names without regard to case, RFC 4343). NSD runs with its defaults for answers
// (`minimal-responses: no`, `refuse-any: no`), response rate limiting off.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import dnsPacket from 'dns-packet';
import type { Answer, DecodedPacket, RecordType } from 'dns-packet';
import { resolve } from '../functions/core/resolver.ts';
import { chainOf } from '../functions/core/plugin.ts';
import { emptySections } from '../functions/core/sections.ts';
import { MemoryStore } from '../functions/store/memory.ts';
import { filePlugin } from '../functions/file/file-plugin.ts';
import { FileZone } from '../functions/file/file-zone.ts';
import { ZoneData } from '../functions/file/zone-data.ts';
import { parseZoneFile } from '../sync/zonefile/parse-zone-file.ts';
import { REPO_ROOT } from './support/container.ts';
import { makeQuery, queryUdp, rcodeOf } from './support/dns-client.ts';
import { NSD_ENV, startNsd, type NsdServer } from './support/nsd-server.ts';
import { toPresentation } from './support/presentation.ts';
import { requireTool } from './support/tools.ts';

const FIXTURES = join(REPO_ROOT, 'test/fixtures/zones');
const ZONES = [
  { name: 'example.org', file: 'example.org.zone' },
  { name: 'example.net', file: 'example.net.zone' },
];
/** dns-packet's names for the types asked: SVCB and HTTPS are numbers to it (RFC 9460). */
const TYPES = [
  ...['A', 'NS', 'CNAME', 'SOA', 'PTR', 'MX', 'TXT', 'AAAA', 'SRV', 'DNAME', 'CAA', 'DS', 'ANY'],
  ...['UNKNOWN_64', 'UNKNOWN_65', 'UNKNOWN_65280', 'NAPTR'],
];

/**
 * Where NSD and edge-dns differ by a documented choice: query -> reason. Empty: on every query
 * compared, the two agree.
 */
const ALLOWED = new Map<string, string>();

const skip = requireTool('nsd', NSD_ENV);
let nsd: NsdServer | undefined;

before(async () => {
  if (!skip) nsd = await startNsd(FIXTURES, ZONES);
});
after(() => nsd?.stop());

test('the file plugin answers as NSD does, query by query', async (t) => {
  if (skip) return t.skip(skip);
  const records = ZONES.map((z) => ({ name: z.name, records: readZone(z.name, z.file) }));
  const fileZone = new FileZone(
    ZONES.map((z) => z.name),
    records.map((z) => new ZoneData(z.name, z.records)),
  );
  const ctx = {
    store: new MemoryStore(),
    zones: [],
    blocks: [
      {
        zones: ZONES.map((z) => z.name),
        next: chainOf([filePlugin(fileZone)], () => Promise.resolve(emptySections('SERVFAIL'))),
      },
    ],
  };
  const questions = questionSet(records.flatMap((z) => z.records));
  const differences: string[] = [];
  for (let i = 0; i < questions.length; i += 32) {
    await Promise.all(
      questions.slice(i, i + 32).map(async (q) => {
        const query = dnsPacket.encode({
          ...makeQuery(q.name, q.type as RecordType, { edns: 1232 }),
          questions: [{ name: q.name, type: q.type as RecordType, class: q.class as 'IN' }],
        });
        const theirs = await queryUdp(nsd!.udp, query);
        const ours = dnsPacket.decode((await resolve(query, 'udp', ctx))!);
        const key = `${q.name} ${q.class} ${q.type}`;
        const [a, b] = [view(theirs), view(ours)];
        if (a !== b && !ALLOWED.has(key))
          differences.push(`${key}\n  nsd:      ${a}\n  edge-dns: ${b}`);
      }),
    );
  }
  t.diagnostic(`compared ${questions.length} queries with NSD`);
  assert.equal(
    differences.length,
    0,
    `${differences.length} differ:\n${differences.slice(0, 25).join('\n')}`,
  );
});

function readZone(origin: string, file: string): Answer[] {
  const read = (path: string) => readFileSync(join(FIXTURES, path), 'utf8');
  return parseZoneFile(read(file), { file, origin, read });
}

/**
 * Every owner and empty non-terminal by every type; names that do not exist, below wildcards,
 * delegations and DNAMEs; a DNAME result too long to be a name; names outside the zones; case
 * variants; class ANY.
 */
function questionSet(records: Answer[]): { name: string; type: string; class: string }[] {
  const names = new Set<string>();
  for (const rr of records)
    for (let n = rr.name; n.includes('.'); n = n.slice(n.indexOf('.') + 1)) names.add(n);
  const org = (s: string) => `${s}.example.org`;
  const below = ['nope', 'a.wild', 'a.b.wild', 'a.explicit.wild', 'z.y.wild2', 'q.wild2'];
  below.push('a.wcname', 'host.sub', 'a.b.sub', 'x.nosub', 'www.dn', 'host.dn', 'nope.dn');
  below.push('host.dn2', 'a.b.dn2', 'x.dnout', 'a.www', 'a.alias', 'x.inc', 'ns.sub');
  for (const s of below) names.add(org(s));
  names.add('nope.example.net');
  const long = `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.`;
  names.add(
    `${long}${'d'.repeat(252 - long.length - 'dn2.example.org'.length - 1)}.dn2.example.org`,
  );
  const out = [...names].flatMap((name) => TYPES.map((type) => ({ name, type, class: 'IN' })));
  for (const name of [...names].slice(0, 40))
    out.push({ name: mixedCase(name), type: 'A', class: 'IN' });
  for (const name of ['outside.test', 'example.com']) out.push({ name, type: 'A', class: 'IN' });
  for (const name of [org('www'), org('nope'), org('alias'), org('ent')])
    out.push({ name, type: 'A', class: 'ANY' });
  return out;
}

function mixedCase(name: string): string {
  return [...name].map((c, i) => (i % 2 ? c.toUpperCase() : c)).join('');
}

/** One reply as text: rcode, AA, TC, the answer's RRsets in order, authority and additional sorted. */
function view(reply: DecodedPacket): string {
  const line = (rr: Answer) => toPresentation(lowerNames(rr));
  const answer: string[][] = [];
  let last = '';
  for (const rr of reply.answers ?? []) {
    const set = `${rr.name.toLowerCase()} ${rr.type}`;
    if (set !== last) answer.push([]);
    answer[answer.length - 1]!.push(line(rr));
    last = set;
  }
  const sorted = (rrs: Answer[] = []) =>
    rrs
      .filter((rr) => rr.type !== 'OPT')
      .map(line)
      .sort()
      .join(' | ');
  return [
    `${rcodeOf(reply)} aa=${reply.flag_aa} tc=${reply.flag_tc}`,
    `answer: ${answer.map((s) => s.sort().join(' | ')).join(' || ')}`,
    `authority: ${sorted(reply.authorities)}`,
    `additional: ${sorted(reply.additionals)}`,
  ].join('; ');
}

function lowerNames(rr: Answer): Answer {
  const out = { ...rr, name: rr.name.toLowerCase() } as Answer;
  const d = (rr as { data?: unknown }).data;
  const lower = (s: unknown) => (typeof s === 'string' ? s.toLowerCase() : s);
  if (['NS', 'CNAME', 'DNAME', 'PTR'].includes(rr.type)) Object.assign(out, { data: lower(d) });
  if (rr.type === 'MX')
    Object.assign(out, { data: { ...rr.data, exchange: lower(rr.data.exchange) } });
  if (rr.type === 'SRV')
    Object.assign(out, { data: { ...rr.data, target: lower(rr.data.target) } });
  if (rr.type === 'SOA')
    Object.assign(out, {
      data: { ...rr.data, mname: lower(rr.data.mname), rname: lower(rr.data.rname) },
    });
  return out;
}
