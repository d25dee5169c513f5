// The k8s_external case table for test/fixtures/k8s-external-cluster.json, transcribed from
// CoreDNS's plugin/k8s_external/apex_test.go and external_test.go (zone example.com, apex `dns`,
// ttl 5, the name server's address 127.0.0.1), never from our own output. The runners:
// test/k8s-external.test.ts (container, UDP and TCP); test/k8s-external-edge.test.ts uses SOA.

/** The SOA k8s_external synthesizes (apex.go soa), serial as `*`. */
export const SOA =
  'example.com. 5 IN SOA ns1.dns.example.com. hostmaster.dns.example.com. * 7200 1800 86400 5';

export interface Row {
  q: string;
  rcode: 'NOERROR' | 'NXDOMAIN';
  answer?: string[];
  /** Authority: the zone SOA (negative answers), else empty. */
  soa?: true;
  extra?: string[];
}

export const rows: Row[] = [
  // apex_test.go
  { q: 'example.com. SOA', rcode: 'NOERROR', answer: [SOA] },
  {
    q: 'example.com. NS',
    rcode: 'NOERROR',
    answer: ['example.com. 5 IN NS ns1.dns.example.com.'],
    extra: ['ns1.dns.example.com. 5 IN A 127.0.0.1'],
  },
  { q: 'example.com. SRV', rcode: 'NOERROR', soa: true },
  { q: 'dns.example.com. SRV', rcode: 'NOERROR', soa: true },
  { q: 'dns.example.com. NS', rcode: 'NOERROR', soa: true },
  { q: 'ns1.dns.example.com. SRV', rcode: 'NOERROR', soa: true },
  { q: 'ns1.dns.example.com. NS', rcode: 'NOERROR', soa: true },
  { q: 'ns1.dns.example.com. AAAA', rcode: 'NOERROR', soa: true },
  {
    q: 'ns1.dns.example.com. A',
    rcode: 'NOERROR',
    answer: ['ns1.dns.example.com. 5 IN A 127.0.0.1'],
  },
  // external_test.go
  { q: 'svc1.testns.example.com. PTR', rcode: 'NOERROR', soa: true },
  { q: 'not-existing.testns.example.com. PTR', rcode: 'NXDOMAIN', soa: true },
  {
    q: 'svc1.testns.example.com. A',
    rcode: 'NOERROR',
    answer: ['svc1.testns.example.com. 5 IN A 1.2.3.4'],
  },
  {
    q: 'svc1.testns.example.com. SRV',
    rcode: 'NOERROR',
    answer: ['svc1.testns.example.com. 5 IN SRV 0 100 80 svc1.testns.example.com.'],
    extra: ['svc1.testns.example.com. 5 IN A 1.2.3.4'],
  },
  { q: '*._not-udp-or-tcp.svc1.testns.example.com. SRV', rcode: 'NXDOMAIN', soa: true },
  {
    q: '_http._tcp.svc1.testns.example.com. SRV',
    rcode: 'NOERROR',
    answer: ['_http._tcp.svc1.testns.example.com. 5 IN SRV 0 100 80 svc1.testns.example.com.'],
    extra: ['svc1.testns.example.com. 5 IN A 1.2.3.4'],
  },
  { q: 'svc1.testns.example.com. AAAA', rcode: 'NOERROR', soa: true },
  { q: 'svc0.testns.example.com. AAAA', rcode: 'NXDOMAIN', soa: true },
  { q: 'svc0.testns.example.com. A', rcode: 'NXDOMAIN', soa: true },
  { q: 'svc0.svc-nons.example.com. A', rcode: 'NXDOMAIN', soa: true },
  {
    q: 'svc6.testns.example.com. AAAA',
    rcode: 'NOERROR',
    answer: ['svc6.testns.example.com. 5 IN AAAA 1:2::5'],
  },
  {
    q: '_http._tcp.svc6.testns.example.com. SRV',
    rcode: 'NOERROR',
    answer: ['_http._tcp.svc6.testns.example.com. 5 IN SRV 0 100 80 svc6.testns.example.com.'],
    extra: ['svc6.testns.example.com. 5 IN AAAA 1:2::5'],
  },
  {
    q: 'svc6.testns.example.com. SRV',
    rcode: 'NOERROR',
    answer: ['svc6.testns.example.com. 5 IN SRV 0 100 80 svc6.testns.example.com.'],
    extra: ['svc6.testns.example.com. 5 IN AAAA 1:2::5'],
  },
  { q: 'testns.example.com. A', rcode: 'NOERROR', soa: true },
  { q: 'testns.example.com. SOA', rcode: 'NOERROR', soa: true },
  {
    q: 'svc11.testns.example.com. A',
    rcode: 'NOERROR',
    answer: ['svc11.testns.example.com. 5 IN A 2.3.4.5'],
  },
  {
    q: '_http._tcp.svc11.testns.example.com. SRV',
    rcode: 'NOERROR',
    answer: ['_http._tcp.svc11.testns.example.com. 5 IN SRV 0 100 80 svc11.testns.example.com.'],
    extra: ['svc11.testns.example.com. 5 IN A 2.3.4.5'],
  },
  {
    q: 'svc11.testns.example.com. SRV',
    rcode: 'NOERROR',
    answer: ['svc11.testns.example.com. 5 IN SRV 0 100 80 svc11.testns.example.com.'],
    extra: ['svc11.testns.example.com. 5 IN A 2.3.4.5'],
  },
  // No forwarder here, so the CNAME to the outside name is answered alone (as with upstream nil).
  {
    q: 'svc12.testns.example.com. A',
    rcode: 'NOERROR',
    answer: ['svc12.testns.example.com. 5 IN CNAME dummy.hostname.'],
  },
  {
    q: '_http._tcp.svc12.testns.example.com. SRV',
    rcode: 'NOERROR',
    answer: ['_http._tcp.svc12.testns.example.com. 5 IN SRV 0 100 80 dummy.hostname.'],
  },
  {
    q: 'svc12.testns.example.com. SRV',
    rcode: 'NOERROR',
    answer: ['svc12.testns.example.com. 5 IN SRV 0 100 80 dummy.hostname.'],
  },
  // Ours: a Service with only a cluster IP has no external name; its cluster name stays.
  { q: 'internal.testns.example.com. A', rcode: 'NXDOMAIN', soa: true },
  { q: 'svc-headless.testns.example.com. A', rcode: 'NXDOMAIN', soa: true },
];
