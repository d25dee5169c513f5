// CoreDNS's multicluster cases (plugin/kubernetes/handler_test.go TestMultiClusterServeDNS:
// commonDnsTestCases then multiclusterDnsTestCases), `Z` standing for the multicluster zone, and
// the check of one reply against a row: shared by the container's test (test/multicluster.test.ts)
// and the edge's (test/multicluster-edge.test.ts).
import assert from 'node:assert/strict';
import type { DecodedPacket } from 'dns-packet';
import { rcodeOf } from '../support/dns-client.ts';
import { sectionLines } from '../support/presentation.ts';

export interface Row {
  q: string;
  rcode: 'NOERROR' | 'NXDOMAIN';
  answer?: string[];
  /** Authority: the zone SOA (negative answers), else empty. */
  soa?: true;
  extra?: string[];
}

/** CoreDNS's cases with `Z` for the multicluster zone. */
export const ROWS: Row[] = [
  // commonDnsTestCases
  { q: 'svc1.testns.svc.Z. A', rcode: 'NOERROR', answer: ['svc1.testns.svc.Z. 5 IN A 10.0.0.1'] },
  {
    q: 'svcempty.testns.svc.Z. A',
    rcode: 'NOERROR',
    answer: ['svcempty.testns.svc.Z. 5 IN A 10.0.0.1'],
  },
  {
    q: 'svc1.testns.svc.Z. SRV',
    rcode: 'NOERROR',
    answer: ['svc1.testns.svc.Z. 5 IN SRV 0 100 80 svc1.testns.svc.Z.'],
    extra: ['svc1.testns.svc.Z. 5 IN A 10.0.0.1'],
  },
  {
    q: 'svcempty.testns.svc.Z. SRV',
    rcode: 'NOERROR',
    answer: ['svcempty.testns.svc.Z. 5 IN SRV 0 100 80 svcempty.testns.svc.Z.'],
    extra: ['svcempty.testns.svc.Z. 5 IN A 10.0.0.1'],
  },
  {
    q: 'svc6.testns.svc.Z. SRV',
    rcode: 'NOERROR',
    answer: ['svc6.testns.svc.Z. 5 IN SRV 0 100 80 svc6.testns.svc.Z.'],
    extra: ['svc6.testns.svc.Z. 5 IN AAAA 1234:abcd::1'],
  },
  {
    q: '_http._tcp.svc1.testns.svc.Z. SRV',
    rcode: 'NOERROR',
    answer: ['_http._tcp.svc1.testns.svc.Z. 5 IN SRV 0 100 80 svc1.testns.svc.Z.'],
    extra: ['svc1.testns.svc.Z. 5 IN A 10.0.0.1'],
  },
  {
    q: '_http._tcp.svcempty.testns.svc.Z. SRV',
    rcode: 'NOERROR',
    answer: ['_http._tcp.svcempty.testns.svc.Z. 5 IN SRV 0 100 80 svcempty.testns.svc.Z.'],
    extra: ['svcempty.testns.svc.Z. 5 IN A 10.0.0.1'],
  },
  {
    q: 'hdls1.testns.svc.Z. A',
    rcode: 'NOERROR',
    answer: ['172.0.0.2', '172.0.0.3', '172.0.0.4', '172.0.0.5'].map(
      (ip) => `hdls1.testns.svc.Z. 5 IN A ${ip}`,
    ),
  },
  {
    q: 'hdlsprtls.testns.svc.Z. A',
    rcode: 'NOERROR',
    answer: ['hdlsprtls.testns.svc.Z. 5 IN A 172.0.0.20'],
  },
  { q: 'svc1.testns.svc.Z. AAAA', rcode: 'NOERROR', soa: true },
  { q: 'svc0.testns.svc.Z. AAAA', rcode: 'NXDOMAIN', soa: true },
  { q: 'svc0.testns.svc.Z. A', rcode: 'NXDOMAIN', soa: true },
  { q: 'svc0.svc-nons.svc.Z. A', rcode: 'NXDOMAIN', soa: true },
  { q: 'dns-version.Z. TXT', rcode: 'NOERROR', answer: ['dns-version.Z. 28800 IN TXT "1.1.0"'] },
  { q: 'svc1.testns.svc.Z. TXT', rcode: 'NOERROR', soa: true },
  { q: 'svc0.svc-nons.svc.Z. TXT', rcode: 'NXDOMAIN', soa: true },
  { q: 'bogusendpoint.hdls1.testns.svc.Z. A', rcode: 'NXDOMAIN', soa: true },
  { q: 'bogusendpoint.svc0.testns.svc.Z. A', rcode: 'NXDOMAIN', soa: true },
  {
    q: 'svc6.testns.svc.Z. AAAA',
    rcode: 'NOERROR',
    answer: ['svc6.testns.svc.Z. 5 IN AAAA 1234:abcd::1'],
  },
  {
    q: '_http._tcp.svc6.testns.svc.Z. SRV',
    rcode: 'NOERROR',
    answer: ['_http._tcp.svc6.testns.svc.Z. 5 IN SRV 0 100 80 svc6.testns.svc.Z.'],
    extra: ['svc6.testns.svc.Z. 5 IN AAAA 1234:abcd::1'],
  },
  {
    q: 'hdls1.testns.svc.Z. AAAA',
    rcode: 'NOERROR',
    answer: ['5678:abcd::1', '5678:abcd::2'].map((ip) => `hdls1.testns.svc.Z. 5 IN AAAA ${ip}`),
  },
  { q: 'svc.Z. A', rcode: 'NOERROR', soa: true },
  { q: 'pod.Z. A', rcode: 'NOERROR', soa: true },
  { q: 'testns.svc.Z. A', rcode: 'NOERROR', soa: true },
  { q: 'svc.Z. NS', rcode: 'NOERROR', soa: true },
  { q: 'testns.svc.Z. NS', rcode: 'NOERROR', soa: true },
  { q: 'foo.Z. NS', rcode: 'NXDOMAIN', soa: true },
  { q: 'foo.svc.Z. NS', rcode: 'NXDOMAIN', soa: true },
  {
    q: 'svc-dual-stack.testns.svc.Z. A',
    rcode: 'NOERROR',
    answer: ['svc-dual-stack.testns.svc.Z. 5 IN A 10.0.0.3'],
  },
  {
    q: 'svc-dual-stack.testns.svc.Z. AAAA',
    rcode: 'NOERROR',
    answer: ['svc-dual-stack.testns.svc.Z. 5 IN AAAA 10::3'],
  },
  {
    q: 'svc-dual-stack.testns.svc.Z. SRV',
    rcode: 'NOERROR',
    answer: ['svc-dual-stack.testns.svc.Z. 5 IN SRV 0 50 80 svc-dual-stack.testns.svc.Z.'],
    extra: [
      'svc-dual-stack.testns.svc.Z. 5 IN A 10.0.0.3',
      'svc-dual-stack.testns.svc.Z. 5 IN AAAA 10::3',
    ],
  },
  { q: 'svc1.testns.svc.Z. SOA', rcode: 'NOERROR', soa: true },
  { q: 'endpoint.external.testns.svc.Z. CNAME', rcode: 'NXDOMAIN', soa: true },
  { q: 'subdomain.subdomain.external.testns.svc.Z. CNAME', rcode: 'NXDOMAIN', soa: true },
  // multiclusterDnsTestCases
  {
    q: '_http._tcp.hdls1.testns.svc.Z. SRV',
    rcode: 'NOERROR',
    answer: ['172-0-0-2', '172-0-0-3', '5678-abcd--1', '5678-abcd--2', 'dup-name'].map(
      (h) => `_http._tcp.hdls1.testns.svc.Z. 5 IN SRV 0 16 80 ${h}.cluster1.hdls1.testns.svc.Z.`,
    ),
    extra: [
      '172-0-0-2.cluster1.hdls1.testns.svc.Z. 5 IN A 172.0.0.2',
      '172-0-0-3.cluster1.hdls1.testns.svc.Z. 5 IN A 172.0.0.3',
      '5678-abcd--1.cluster1.hdls1.testns.svc.Z. 5 IN AAAA 5678:abcd::1',
      '5678-abcd--2.cluster1.hdls1.testns.svc.Z. 5 IN AAAA 5678:abcd::2',
      'dup-name.cluster1.hdls1.testns.svc.Z. 5 IN A 172.0.0.4',
      'dup-name.cluster1.hdls1.testns.svc.Z. 5 IN A 172.0.0.5',
    ],
  },
  {
    q: '5678-abcd--2.cluster1.hdls1.testns.svc.Z. AAAA',
    rcode: 'NOERROR',
    answer: ['5678-abcd--2.cluster1.hdls1.testns.svc.Z. 5 IN AAAA 5678:abcd::2'],
  },
  {
    q: '5678-abcd--1.cluster1.hdls1.testns.svc.Z. AAAA',
    rcode: 'NOERROR',
    answer: ['5678-abcd--1.cluster1.hdls1.testns.svc.Z. 5 IN AAAA 5678:abcd::1'],
  },
  {
    q: '172-0-0-20.cluster1.hdlsprtls.testns.svc.Z. A',
    rcode: 'NOERROR',
    answer: ['172-0-0-20.cluster1.hdlsprtls.testns.svc.Z. 5 IN A 172.0.0.20'],
  },
  { q: '5678-abcd--1.hdls1.testns.svc.Z. AAAA', rcode: 'NXDOMAIN', soa: true },
  {
    q: '172-0-0-2.cluster1.hdls1.testns.svc.Z. A',
    rcode: 'NOERROR',
    answer: ['172-0-0-2.cluster1.hdls1.testns.svc.Z. 5 IN A 172.0.0.2'],
  },
  {
    q: '172-0-0-3.cluster1.hdls1.testns.svc.Z. A',
    rcode: 'NOERROR',
    answer: ['172-0-0-3.cluster1.hdls1.testns.svc.Z. 5 IN A 172.0.0.3'],
  },
  {
    q: 'dup-name.cluster1.hdls1.testns.svc.Z. A',
    rcode: 'NOERROR',
    answer: ['172.0.0.4', '172.0.0.5'].map(
      (ip) => `dup-name.cluster1.hdls1.testns.svc.Z. 5 IN A ${ip}`,
    ),
  },
  // From kubernetes.go findMultiClusterServices rather than the test: a ClusterSetIP import's
  // endpoint (the `r.endpoint != ""` branch), and a Service is not answered in the zone.
  {
    q: 'ep1a.cluster1.svc1.testns.svc.Z. A',
    rcode: 'NOERROR',
    answer: ['ep1a.cluster1.svc1.testns.svc.Z. 5 IN A 172.0.0.1'],
  },
  { q: 'local1.testns.svc.Z. A', rcode: 'NXDOMAIN', soa: true },
];

export const soaOf = (zone: string) =>
  `${zone}. 5 IN SOA ns.dns.${zone}. hostmaster.${zone}. * 7200 1800 86400 5`;

export const lines = sectionLines;

export function check(row: Row, zone: string, reply: DecodedPacket, where: string): void {
  const z = (l: string) => l.replaceAll('.Z.', `.${zone}.`);
  assert.equal(rcodeOf(reply), row.rcode, `${where}: rcode`);
  assert.equal(reply.flag_aa, true, `${where}: AA`);
  assert.deepEqual(lines(reply.answers), (row.answer ?? []).map(z).sort(), `${where}: answer`);
  assert.deepEqual(lines(reply.authorities), row.soa ? [soaOf(zone)] : [], `${where}: authority`);
  assert.deepEqual(
    lines(reply.additionals),
    (row.extra ?? []).map(z).sort(),
    `${where}: additional`,
  );
}
