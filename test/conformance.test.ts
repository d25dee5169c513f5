// DNS conformance: runs the container entry on the sample cluster and checks every case of
// test/conformance/cases.ts over real UDP and real TCP (RFC 1035 §4.2), one server per distinct
// flag set, then the malformed and refused queries of test/conformance/malformed.ts.
// Expectations come from the Kubernetes DNS spec and CoreDNS, never from our output.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { RecordType } from 'dns-packet';
import { cases, type Case } from './conformance/cases.ts';
import { malformed, type MalformedCase } from './conformance/malformed.ts';
import { SAMPLE_CLUSTER, startContainer, type Container } from './support/container.ts';
import { makeQuery, queryTcp, queryUdp, rcodeOf, type Reply } from './support/dns-client.ts';
import { normalizeLine, toPresentation, fqdn } from './support/presentation.ts';

const DEFAULT_ZONES = ['cluster.local', 'in-addr.arpa', 'ip6.arpa'];
const DEFAULT_TTL = 5;

function flag(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

function parseQ(q: string): { name: string; type: RecordType } {
  const [name, type] = q.trim().split(/\s+/);
  assert.ok(name && type, `bad case question: ${q}`);
  return { name, type: type.toUpperCase() as RecordType };
}

/** Longest configured zone containing `name` (docs/architecture.md §6.1). */
function zoneOf(name: string, zones: string[]): string | undefined {
  const n = fqdn(name).toLowerCase();
  return zones
    .map((z) => fqdn(z).toLowerCase())
    .filter((z) => n === z || n.endsWith(`.${z}`))
    .sort((a, b) => b.length - a.length)[0];
}

/** The SOA CoreDNS puts in negative answers (backend_lookup.go SOA), serial as `*`. */
function expectedSoa(qname: string, args: string[]): string {
  const zones = flag(args, '--zones')?.split(',') ?? DEFAULT_ZONES;
  const ttl = Number(flag(args, '--ttl') ?? DEFAULT_TTL);
  const zone = zoneOf(qname, zones);
  assert.ok(zone, `case expects an SOA but ${qname} is in none of ${zones.join(',')}`);
  return `${zone} ${Math.min(ttl, 300)} IN SOA ns.dns.${zone} hostmaster.${zone} * 7200 1800 86400 ${ttl}`;
}

/** Presentation lines with SOA serials replaced by `*` (they are timestamps). */
function lines(rrs: Reply['answers']): string[] {
  return (rrs ?? []).map((rr) => {
    const text = toPresentation(rr);
    return rr.type === 'SOA' ? text.replace(/^(\S+ \d+ IN SOA \S+ \S+) \d+/, '$1 *') : text;
  });
}

function check(c: Case, reply: Reply, id: number, transport: string): void {
  const where = `${transport} ${c.q}`;
  const { name } = parseQ(c.q);
  assert.equal(reply.id, id, `${where}: reply ID`);
  assert.equal(reply.flag_qr, true, `${where}: QR bit`);
  assert.equal(
    rcodeOf(reply),
    c.rcode,
    `${where}: rcode; answer was ${JSON.stringify(lines(reply.answers))}`,
  );
  if (c.rcode !== 'NOTIMP' && c.rcode !== 'FORMERR') {
    // RFC 1035 §4.1.2: the question is copied, case included (0x20).
    assert.equal(fqdn(reply.questions?.[0]?.name ?? '?'), name, `${where}: question echo`);
  }
  const got = lines(reply.answers).sort();
  const want = c.answer.map(normalizeLine).sort();
  assert.deepEqual(got, want, `${where}: answer section`);
  if (c.authoritySoa) {
    const auth = lines(reply.authorities).map((l) => l.toLowerCase());
    assert.deepEqual(
      auth,
      [normalizeLine(expectedSoa(name, c.args ?? [])).toLowerCase()],
      `${where}: authority must be exactly the zone SOA (RFC 2308 §3)`,
    );
  } else {
    assert.deepEqual(
      lines(reply.authorities),
      [],
      `${where}: authority must be empty outside negative answers`,
    );
  }
  const extra = lines((reply.additionals ?? []).filter((rr) => rr.type !== 'OPT')).sort();
  assert.deepEqual(
    extra,
    (c.additional ?? []).map(normalizeLine).sort(),
    `${where}: additional section`,
  );
  if (c.aa !== undefined) assert.equal(reply.flag_aa, c.aa, `${where}: AA bit`);
}

function queryFor(c: Case, id: number) {
  const { name, type } = parseQ(c.q);
  return makeQuery(name, type, { id, opcode: c.opcode });
}

const groups = new Map<string, Case[]>();
for (const c of cases) {
  const key = JSON.stringify(c.args ?? []);
  groups.set(key, [...(groups.get(key) ?? []), c]);
}

describe('DNS conformance on the sample cluster', () => {
  for (const [key, group] of groups) {
    const args = JSON.parse(key) as string[];
    describe(`flags ${args.length ? args.join(' ') : '(defaults)'}`, () => {
      let server: Container | undefined;
      before(async () => {
        server = await startContainer(['--snapshot', SAMPLE_CLUSTER, ...args]);
      });
      after(async () => {
        await server?.stop();
      });

      group.forEach((c, i) => {
        it(`udp: ${c.title} [${c.q}]`, async () => {
          assert.ok(server, 'server did not start');
          const id = 0x1000 + i;
          const reply = await queryUdp(server.udp, queryFor(c, id));
          assert.equal(reply.flag_tc, false, `udp ${c.q}: unexpected truncation`);
          check(c, reply, id, 'udp');
        });
        it(`tcp: ${c.title} [${c.q}]`, async () => {
          assert.ok(server, 'server did not start');
          const id = 0x2000 + i;
          const [reply] = await queryTcp(server.tcp, [queryFor(c, id)]);
          assert.ok(reply, 'no TCP reply');
          check(c, reply, id, 'tcp');
        });
      });

      it('tcp: all cases pipelined on one connection answer as over UDP (RFC 7766 §6.2.1, §7)', async () => {
        assert.ok(server, 'server did not start');
        const live = server;
        const replies = await queryTcp(
          live.tcp,
          group.map((c, i) => queryFor(c, 0x3000 + i)),
        );
        assert.equal(replies.length, group.length);
        for (const [i, c] of group.entries()) {
          const reply = replies[i];
          assert.ok(reply, `pipelined ${c.q}: no reply`);
          assert.equal(reply.id, 0x3000 + i, `pipelined ${c.q}: reply matched by ID`);
          const udp = await queryUdp(live.udp, queryFor(c, 0x4000 + i));
          assert.equal(rcodeOf(reply), rcodeOf(udp), `pipelined ${c.q}: same rcode as UDP`);
          assert.deepEqual(
            lines(reply.answers).sort(),
            lines(udp.answers).sort(),
            `pipelined ${c.q}: same answer as UDP`,
          );
        }
      });
    });
  }
});

/** RFC 1035 §4.1.1: a reply to what could not be answered, with no records beyond the OPT. */
function checkMalformed(c: MalformedCase, reply: Reply, id: number, transport: string): void {
  const where = `${transport} ${c.title}`;
  assert.equal(reply.id, id, `${where}: reply ID`);
  assert.equal(reply.flag_qr, true, `${where}: QR bit`);
  assert.equal(rcodeOf(reply), c.rcode, `${where}: rcode`);
  assert.deepEqual(
    [reply.answers ?? [], reply.authorities ?? []].flat(),
    [],
    `${where}: no answer or authority records`,
  );
  assert.equal(
    (reply.questions ?? []).length,
    c.echoes ? 1 : 0,
    `${where}: question echoed only when one could be read`,
  );
  const opt = (reply.additionals ?? []).find((rr) => rr.type === 'OPT') as
    { extendedRcode?: number } | undefined;
  if (c.extendedRcode !== undefined)
    assert.equal(opt?.extendedRcode, c.extendedRcode, `${where}: OPT extended rcode`);
}

describe('malformed and refused queries on the sample cluster', () => {
  let server: Container | undefined;
  before(async () => {
    server = await startContainer(['--snapshot', SAMPLE_CLUSTER]);
  });
  after(async () => {
    await server?.stop();
  });
  malformed.forEach((c, i) => {
    it(`udp: ${c.title}`, async () => {
      assert.ok(server, 'server did not start');
      checkMalformed(c, await queryUdp(server.udp, c.wire(0x4000 + i)), 0x4000 + i, 'udp');
    });
    it(`tcp: ${c.title}`, async () => {
      assert.ok(server, 'server did not start');
      const [reply] = await queryTcp(server.tcp, [c.wire(0x5000 + i)]);
      assert.ok(reply, 'no TCP reply');
      checkMalformed(c, reply, 0x5000 + i, 'tcp');
    });
  });
});
