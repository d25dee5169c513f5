// CoreDNS's zonal cases (plugin/kubernetes/zonal_test.go TestServeDNSZonal: zonalTestCases with the
// option, zonalDisabledTestCases without) over its APIConnZonalTest cluster (test/zonal/
// cluster.json), and the check of one reply against a row: shared by the container's test
// (test/zonal.test.ts) and the edge's (test/zonal-edge.test.ts). Never our own output.
import assert from 'node:assert/strict';
import type { DecodedPacket } from 'dns-packet';
import { rcodeOf } from '../support/dns-client.ts';
import { sectionLines } from '../support/presentation.ts';

export const FIXTURE = 'test/zonal/cluster.json';

export interface Row {
  q: string;
  rcode: 'NOERROR' | 'NXDOMAIN';
  answer?: string[];
  /** Authority: the zone SOA (negative answers), else empty. */
  soa?: true;
  extra?: string[];
}

const H = 'hdls.testns.svc.cluster.local.';
const a = (owner: string, ips: string[]) => ips.map((ip) => `${owner} 5 IN A ${ip}`);
const srv = (owner: string, weight: number, hosts: string[]) =>
  hosts.map((h) => `${owner} 5 IN SRV 0 ${weight} 80 ${h}.${H}`);
const glue = (hosts: string[]) => hosts.map((h) => `${h}.${H} 5 IN A ${h.replaceAll('-', '.')}`);

/** zonalTestCases, in CoreDNS's order. */
export const ROWS: Row[] = [
  // pin: endpoints narrowed to the requested zone
  {
    q: `us-west-2a.pin._zone.${H} A`,
    rcode: 'NOERROR',
    answer: a(`us-west-2a.pin._zone.${H}`, ['172.0.0.1']),
  },
  {
    q: `us-west-2b.pin._zone.${H} A`,
    rcode: 'NOERROR',
    answer: a(`us-west-2b.pin._zone.${H}`, ['172.0.0.2', '172.0.0.3']),
  },
  // pin: any zone label without matching endpoints is the same determinate empty answer
  { q: `us-west-2c.pin._zone.${H} A`, rcode: 'NOERROR', soa: true },
  // prefer: narrows exactly like pin when the zone is populated
  {
    q: `us-west-2a.prefer._zone.${H} A`,
    rcode: 'NOERROR',
    answer: a(`us-west-2a.prefer._zone.${H}`, ['172.0.0.1']),
  },
  // prefer: an empty zone falls back to every endpoint
  {
    q: `us-west-2c.prefer._zone.${H} A`,
    rcode: 'NOERROR',
    answer: a(`us-west-2c.prefer._zone.${H}`, ['172.0.0.1', '172.0.0.2', '172.0.0.3']),
  },
  // a nonexistent service stays NXDOMAIN under any directive
  { q: 'us-west-2a.pin._zone.ghost.testns.svc.cluster.local. A', rcode: 'NXDOMAIN', soa: true },
  // an unknown directive keeps the stock too-long NXDOMAIN
  { q: `us-west-2a.florp._zone.${H} A`, rcode: 'NXDOMAIN', soa: true },
  // zone-scoped names are defined for headless services only
  { q: 'us-west-2a.pin._zone.clstr.testns.svc.cluster.local. A', rcode: 'NXDOMAIN', soa: true },
  // pin: exists-but-empty stays NODATA for non-address qtypes too
  { q: `us-west-2c.pin._zone.${H} TXT`, rcode: 'NOERROR', soa: true },
  // prefer: SRV narrows when populated and falls back when not, same as A
  {
    q: `us-west-2c.prefer._zone.${H} SRV`,
    rcode: 'NOERROR',
    answer: srv(`us-west-2c.prefer._zone.${H}`, 33, ['172-0-0-1', '172-0-0-2', '172-0-0-3']),
    extra: glue(['172-0-0-1', '172-0-0-2', '172-0-0-3']),
  },
  // prefer: TXT on a zonal name is NODATA like every non-address type
  { q: `us-west-2c.prefer._zone.${H} TXT`, rcode: 'NOERROR', soa: true },
  // pin: SRV comes out zone-filtered, since filtering happens at endpoint selection
  {
    q: `us-west-2b.pin._zone.${H} SRV`,
    rcode: 'NOERROR',
    answer: srv(`us-west-2b.pin._zone.${H}`, 50, ['172-0-0-2', '172-0-0-3']),
    extra: glue(['172-0-0-2', '172-0-0-3']),
  },
];

/** From parse.go and the README rather than the test: shorter `_zone` shapes read as endpoint or
 *  port names (none exists), and the plain names are not affected. */
export const PARSE_ROWS: Row[] = [
  { q: `_zone.${H} A`, rcode: 'NXDOMAIN', soa: true },
  { q: `pin._zone.${H} A`, rcode: 'NXDOMAIN', soa: true },
  { q: `us-west-2a._zone.${H} A`, rcode: 'NXDOMAIN', soa: true },
  { q: `us-west-2a.pin._zone.${H} AAAA`, rcode: 'NOERROR', soa: true },
  {
    q: `a.b.prefer._zone.${H} A`,
    rcode: 'NOERROR',
    answer: a(`a.b.prefer._zone.${H}`, ['172.0.0.1', '172.0.0.2', '172.0.0.3']),
  },
  {
    q: `US-WEST-2A.PIN._ZONE.${H} A`,
    rcode: 'NOERROR',
    answer: a(`US-WEST-2A.PIN._ZONE.${H}`, ['172.0.0.1']),
  },
  { q: `${H} A`, rcode: 'NOERROR', answer: a(H, ['172.0.0.1', '172.0.0.2', '172.0.0.3']) },
];

/** zonalDisabledTestCases: without the option the shape is three labels too long. */
export const DISABLED_ROWS: Row[] = [
  { q: `us-west-2a.pin._zone.${H} A`, rcode: 'NXDOMAIN', soa: true },
];

export const SOA =
  'cluster.local. 5 IN SOA ns.dns.cluster.local. hostmaster.cluster.local. * 7200 1800 86400 5';

export function check(row: Row, reply: DecodedPacket, where: string): void {
  assert.equal(rcodeOf(reply), row.rcode, `${where}: rcode`);
  assert.equal(reply.flag_aa, true, `${where}: AA`);
  assert.deepEqual(sectionLines(reply.answers), [...(row.answer ?? [])].sort(), `${where}: answer`);
  assert.deepEqual(sectionLines(reply.authorities), row.soa ? [SOA] : [], `${where}: authority`);
  assert.deepEqual(
    sectionLines(reply.additionals),
    [...(row.extra ?? [])].sort(),
    `${where}: additional`,
  );
}
