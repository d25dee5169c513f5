// The DNS conformance table for test/fixtures/sample-cluster.json.
// Written only from the Kubernetes DNS specification 1.1.0 ("spec x.y" below) and CoreDNS's
// documented behaviour: plugin/kubernetes README and source (kubernetes.go findServices/findPods,
// parse.go, reverse.go, handler.go, object/endpoint.go) and plugin/backend_lookup.go. Never
// generated from our own server.
//
// Conventions used by the runner (test/conformance.test.ts):
// - `aa` defaults to undefined (not checked); CoreDNS sets AA on every answer from its zones
//   (handler.go, BackendError), so in-zone cases say `aa: true`.
// - `authoritySoa: true` means the authority section holds exactly the SOA of the longest
//   matching zone as CoreDNS synthesises it (backend_lookup.go SOA): owner <zone>, TTL
//   min(ttl, 300), `ns.dns.<zone>. hostmaster.<zone>. <serial> 7200 1800 86400 <ttl>`.
// - Without `authoritySoa` the authority section must be empty: CoreDNS fills Ns only in
//   negative answers (backend_lookup.go, handler.go).
// - `additional` lists the additional section without the OPT; absent means empty. For SRV,
//   CoreDNS adds the address of every in-zone target (backend_lookup.go SRV `extra`).
// - SOA serials in `answer` are written `*` (CoreDNS uses the time of the last API change).
// - Default flags: zones cluster.local,in-addr.arpa,ip6.arpa; ttl 5; pods disabled.
//
// Fixture facts the table relies on (see the JSON): web.shop 10.96.12.34 (http 80, https 443;
// pods 10.244.1.5, 10.244.1.6, 10.244.2.7); kubernetes.default 10.96.0.1 (https 443);
// kube-dns.kube-system 10.96.0.10 (dns 53/UDP, dns-tcp 53/TCP, metrics 9153/TCP);
// api.edge 10.96.140.20 + fd00:10:96::8c14 (http 8080; pods 10.244.1.20/fd00:10:244:1::14,
// 10.244.2.21/fd00:10:244:2::15); db.data headless (postgres 5432; db-0 10.244.1.10,
// db-1 10.244.2.11 ready, db-2 10.244.1.12 not ready); db-peers.data headless with
// publishNotReadyAddresses (same pods, the EndpointSlice controller reports all three ready);
// cache.data headless without hostnames (redis 6379; 10.244.1.16 cache-6d8f7b9c4-h7vns,
// 10.244.2.15 cache-6d8f7b9c4-x2mzq); search.data headless with no endpoints;
// billing.shop ExternalName billing.example.com; web-alias.edge ExternalName
// web.shop.svc.cluster.local; checkout.shop 10.96.45.67 with no endpoints; cart.shop
// 10.96.88.21 with one unnamed port 8080; metrics-server.kube-system 10.96.201.17 (https 443 ->
// target port 10250); ws.edge headless dual-stack (ws 8443; ws-0 10.244.1.30/fd00:10:244:1::1e
// ready, ws-1 10.244.2.31/fd00:10:244:2::1f ready=false serving=true terminating).

export interface Case {
  title: string; // what behaviour, with the doc/clause it comes from
  q: string; // 'web.shop.svc.cluster.local. A'
  args?: string[]; // extra container flags for this case, e.g. ['--pods', 'verified']
  rcode: 'NOERROR' | 'NXDOMAIN' | 'SERVFAIL' | 'REFUSED' | 'NOTIMP' | 'FORMERR';
  answer: string[]; // presentation format, order-insensitive
  authoritySoa?: boolean; // true: authority holds exactly the zone SOA (negative answers); else empty
  /** Additional section without the OPT, order-insensitive; absent means empty. */
  additional?: string[];
  aa?: boolean;
  /** Header opcode of the query (RFC 1035 §4.1.1); default 0 (QUERY). */
  opcode?: number;
}

type Negative = Pick<Case, 'rcode' | 'answer' | 'authoritySoa' | 'aa'>;
/** RFC 2308 §2.2 NODATA: NOERROR, empty answer, zone SOA in authority. */
const NODATA: Negative = { rcode: 'NOERROR', answer: [], authoritySoa: true, aa: true };
/** RFC 2308 §2.1 NXDOMAIN with the zone SOA in authority. */
const NXDOMAIN: Negative = { rcode: 'NXDOMAIN', answer: [], authoritySoa: true, aa: true };
const PODS_INSECURE = ['--pods', 'insecure'];
const PODS_VERIFIED = ['--pods', 'verified'];
const NAMESPACES = ['--namespaces', 'shop,default'];
const POD_NAMES = ['--endpoint-pod-names'];
const IGNORE_EMPTY = ['--ignore-empty-service'];
const TTL30 = ['--ttl', '30'];
const NARROW_REVERSE = ['--zones', 'cluster.local,96.10.in-addr.arpa'];

export const cases: Case[] = [
  // --- ClusterIP services (spec 2.3) ---
  {
    title: 'ClusterIP A (spec 2.3.1)',
    q: 'web.shop.svc.cluster.local. A',
    rcode: 'NOERROR',
    aa: true,
    answer: ['web.shop.svc.cluster.local. 5 IN A 10.96.12.34'],
  },
  {
    title: 'ClusterIP A for the kubernetes service (spec 2.3.1 example)',
    q: 'kubernetes.default.svc.cluster.local. A',
    rcode: 'NOERROR',
    aa: true,
    answer: ['kubernetes.default.svc.cluster.local. 5 IN A 10.96.0.1'],
  },
  {
    title:
      'AAAA on an IPv4-only service is NODATA with SOA (CoreDNS AAAA skips A hosts; RFC 2308 §2.2)',
    q: 'kubernetes.default.svc.cluster.local. AAAA',
    ...NODATA,
  },
  {
    title:
      'ClusterIP with no endpoints still has its A record (spec 2.3.1 depends on the ClusterIP only)',
    q: 'checkout.shop.svc.cluster.local. A',
    rcode: 'NOERROR',
    aa: true,
    answer: ['checkout.shop.svc.cluster.local. 5 IN A 10.96.45.67'],
  },
  {
    title: 'type without data at a service name is NODATA (CoreDNS MX: no mail services)',
    q: 'web.shop.svc.cluster.local. MX',
    ...NODATA,
  },
  {
    title: 'CNAME query at a ClusterIP service is NODATA (CoreDNS CNAME: host is an IP)',
    q: 'web.shop.svc.cluster.local. CNAME',
    ...NODATA,
  },

  // --- dual-stack (spec 1.1.0 A/AAAA) ---
  {
    title: 'dual-stack service A = IPv4 ClusterIP (spec 2.3.1, CoreDNS uses spec.clusterIPs)',
    q: 'api.edge.svc.cluster.local. A',
    rcode: 'NOERROR',
    aa: true,
    answer: ['api.edge.svc.cluster.local. 5 IN A 10.96.140.20'],
  },
  {
    title: 'dual-stack service AAAA = IPv6 ClusterIP (spec 2.3.1 AAAA)',
    q: 'api.edge.svc.cluster.local. AAAA',
    rcode: 'NOERROR',
    aa: true,
    answer: ['api.edge.svc.cluster.local. 5 IN AAAA fd00:10:96::8c14'],
  },
  {
    title:
      'dual-stack SRV: CoreDNS computes weight over one entry per ClusterIP (2 -> 50) then drops the duplicate target:port, leaving one SRV with weight 50 (backend_lookup.go SRV)',
    q: '_http._tcp.api.edge.svc.cluster.local. SRV',
    rcode: 'NOERROR',
    aa: true,
    answer: [
      '_http._tcp.api.edge.svc.cluster.local. 5 IN SRV 0 50 8080 api.edge.svc.cluster.local.',
    ],
    additional: [
      'api.edge.svc.cluster.local. 5 IN A 10.96.140.20',
      'api.edge.svc.cluster.local. 5 IN AAAA fd00:10:96::8c14',
    ],
  },

  // --- SRV for ClusterIP services (spec 2.3.2; priority/weight from CoreDNS backend_lookup.go SRV) ---
  {
    title:
      'SRV for a named port: priority 0, weight 100, service port, target the service (spec 2.3.2 example; CoreDNS weight = 100 / entries)',
    q: '_https._tcp.kubernetes.default.svc.cluster.local. SRV',
    rcode: 'NOERROR',
    aa: true,
    answer: [
      '_https._tcp.kubernetes.default.svc.cluster.local. 5 IN SRV 0 100 443 kubernetes.default.svc.cluster.local.',
    ],
    additional: ['kubernetes.default.svc.cluster.local. 5 IN A 10.96.0.1'],
  },
  {
    title: 'SRV for a named port of a multi-port service (spec 2.3.2)',
    q: '_http._tcp.web.shop.svc.cluster.local. SRV',
    rcode: 'NOERROR',
    aa: true,
    answer: [
      '_http._tcp.web.shop.svc.cluster.local. 5 IN SRV 0 100 80 web.shop.svc.cluster.local.',
    ],
    additional: ['web.shop.svc.cluster.local. 5 IN A 10.96.12.34'],
  },
  {
    title:
      'SRV carries the service port, not the EndpointSlice target port (spec 2.3.2 <port-number>; CoreDNS svc.Ports)',
    q: '_https._tcp.metrics-server.kube-system.svc.cluster.local. SRV',
    rcode: 'NOERROR',
    aa: true,
    answer: [
      '_https._tcp.metrics-server.kube-system.svc.cluster.local. 5 IN SRV 0 100 443 metrics-server.kube-system.svc.cluster.local.',
    ],
    additional: ['metrics-server.kube-system.svc.cluster.local. 5 IN A 10.96.201.17'],
  },
  {
    title: 'SRV for a UDP port (spec 2.3.2 _<proto>)',
    q: '_dns._udp.kube-dns.kube-system.svc.cluster.local. SRV',
    rcode: 'NOERROR',
    aa: true,
    answer: [
      '_dns._udp.kube-dns.kube-system.svc.cluster.local. 5 IN SRV 0 100 53 kube-dns.kube-system.svc.cluster.local.',
    ],
    additional: ['kube-dns.kube-system.svc.cluster.local. 5 IN A 10.96.0.10'],
  },
  {
    title:
      'SRV with a port name whose protocol does not match is NXDOMAIN (CoreDNS findServices: no port matched, errNoItems)',
    q: '_dns._tcp.kube-dns.kube-system.svc.cluster.local. SRV',
    ...NXDOMAIN,
  },
  {
    title:
      'SRV at the service name lists every port, weight split 50/50 (CoreDNS extension: port and protocol act as wildcards)',
    q: 'web.shop.svc.cluster.local. SRV',
    rcode: 'NOERROR',
    aa: true,
    answer: [
      'web.shop.svc.cluster.local. 5 IN SRV 0 50 80 web.shop.svc.cluster.local.',
      'web.shop.svc.cluster.local. 5 IN SRV 0 50 443 web.shop.svc.cluster.local.',
    ],
    additional: ['web.shop.svc.cluster.local. 5 IN A 10.96.12.34'],
  },
  {
    title:
      'SRV at the service name: weight 100/3 -> 33 for 3 ports, dns 53/UDP and dns-tcp 53/TCP collapse into one target:port (CoreDNS backend_lookup.go isDuplicate)',
    q: 'kube-dns.kube-system.svc.cluster.local. SRV',
    rcode: 'NOERROR',
    aa: true,
    answer: [
      'kube-dns.kube-system.svc.cluster.local. 5 IN SRV 0 33 53 kube-dns.kube-system.svc.cluster.local.',
      'kube-dns.kube-system.svc.cluster.local. 5 IN SRV 0 33 9153 kube-dns.kube-system.svc.cluster.local.',
    ],
    additional: ['kube-dns.kube-system.svc.cluster.local. 5 IN A 10.96.0.10'],
  },
  {
    title:
      'SRV at the service name includes an unnamed port (CoreDNS extension; spec 2.3.2 "unnamed ports do not have an SRV record" concerns _port._proto names)',
    q: 'cart.shop.svc.cluster.local. SRV',
    rcode: 'NOERROR',
    aa: true,
    answer: ['cart.shop.svc.cluster.local. 5 IN SRV 0 100 8080 cart.shop.svc.cluster.local.'],
    additional: ['cart.shop.svc.cluster.local. 5 IN A 10.96.88.21'],
  },

  // --- headless services (spec 2.4) ---
  {
    title: 'headless A = one record per ready endpoint, db-2 (ready=false) left out (spec 2.4.1)',
    q: 'db.data.svc.cluster.local. A',
    rcode: 'NOERROR',
    aa: true,
    answer: [
      'db.data.svc.cluster.local. 5 IN A 10.244.1.10',
      'db.data.svc.cluster.local. 5 IN A 10.244.2.11',
    ],
  },
  {
    title: 'headless AAAA with IPv4-only endpoints is NODATA (CoreDNS AAAA)',
    q: 'db.data.svc.cluster.local. AAAA',
    ...NODATA,
  },
  {
    title: 'per-endpoint hostname A (spec 2.4.1 <hostname>.<service>)',
    q: 'db-0.db.data.svc.cluster.local. A',
    rcode: 'NOERROR',
    aa: true,
    answer: ['db-0.db.data.svc.cluster.local. 5 IN A 10.244.1.10'],
  },
  {
    title:
      'hostname of a not-ready endpoint is NXDOMAIN (spec 2.4.1 ready endpoints only; CoreDNS drops ready=false in object/endpoint.go)',
    q: 'db-2.db.data.svc.cluster.local. A',
    ...NXDOMAIN,
  },
  {
    title:
      'headless SRV = N ready endpoints x M named ports, targets <hostname>.<service>, weight 100/2 (spec 2.4.2; CoreDNS SRV)',
    q: '_postgres._tcp.db.data.svc.cluster.local. SRV',
    rcode: 'NOERROR',
    aa: true,
    answer: [
      '_postgres._tcp.db.data.svc.cluster.local. 5 IN SRV 0 50 5432 db-0.db.data.svc.cluster.local.',
      '_postgres._tcp.db.data.svc.cluster.local. 5 IN SRV 0 50 5432 db-1.db.data.svc.cluster.local.',
    ],
    additional: [
      'db-0.db.data.svc.cluster.local. 5 IN A 10.244.1.10',
      'db-1.db.data.svc.cluster.local. 5 IN A 10.244.2.11',
    ],
  },
  {
    title: 'headless SRV at the service name (CoreDNS extension, all ports)',
    q: 'db.data.svc.cluster.local. SRV',
    rcode: 'NOERROR',
    aa: true,
    answer: [
      'db.data.svc.cluster.local. 5 IN SRV 0 50 5432 db-0.db.data.svc.cluster.local.',
      'db.data.svc.cluster.local. 5 IN SRV 0 50 5432 db-1.db.data.svc.cluster.local.',
    ],
    additional: [
      'db-0.db.data.svc.cluster.local. 5 IN A 10.244.1.10',
      'db-1.db.data.svc.cluster.local. 5 IN A 10.244.2.11',
    ],
  },
  {
    title: 'SRV at one endpoint name (CoreDNS extension: endpoint query with port wildcard)',
    q: 'db-1.db.data.svc.cluster.local. SRV',
    rcode: 'NOERROR',
    aa: true,
    answer: ['db-1.db.data.svc.cluster.local. 5 IN SRV 0 100 5432 db-1.db.data.svc.cluster.local.'],
    additional: ['db-1.db.data.svc.cluster.local. 5 IN A 10.244.2.11'],
  },
  // ws.edge: headless dual-stack, an IPv4 and an IPv6 EndpointSlice; ws-0 ready, ws-1 terminating
  // (ready=false, serving=true). CoreDNS publishes by `ready` alone (object/endpoint.go), not `serving`.
  {
    title:
      "dual-stack headless A: the ready endpoint's IPv4 only; serving-but-not-ready ws-1 left out (spec 2.4.1; CoreDNS object/endpoint.go)",
    q: 'ws.edge.svc.cluster.local. A',
    rcode: 'NOERROR',
    aa: true,
    answer: ['ws.edge.svc.cluster.local. 5 IN A 10.244.1.30'],
  },
  {
    title: 'dual-stack headless AAAA: from the IPv6 slice (spec 2.4.1 AAAA)',
    q: 'ws.edge.svc.cluster.local. AAAA',
    rcode: 'NOERROR',
    aa: true,
    answer: ['ws.edge.svc.cluster.local. 5 IN AAAA fd00:10:244:1::1e'],
  },
  {
    title: 'dual-stack headless endpoint hostname AAAA (spec 2.4.1 <hostname>.<service>)',
    q: 'ws-0.ws.edge.svc.cluster.local. AAAA',
    rcode: 'NOERROR',
    aa: true,
    answer: ['ws-0.ws.edge.svc.cluster.local. 5 IN AAAA fd00:10:244:1::1e'],
  },
  {
    title:
      'a terminating endpoint (ready=false, serving=true) has no hostname record (CoreDNS ignores serving)',
    q: 'ws-1.ws.edge.svc.cluster.local. A',
    ...NXDOMAIN,
  },
  {
    title:
      'dual-stack headless SRV: one entry per address (2 -> weight 50), the duplicate target:port dropped, both addresses as glue (CoreDNS backend_lookup.go SRV)',
    q: '_ws._tcp.ws.edge.svc.cluster.local. SRV',
    rcode: 'NOERROR',
    aa: true,
    answer: [
      '_ws._tcp.ws.edge.svc.cluster.local. 5 IN SRV 0 50 8443 ws-0.ws.edge.svc.cluster.local.',
    ],
    additional: [
      'ws-0.ws.edge.svc.cluster.local. 5 IN A 10.244.1.30',
      'ws-0.ws.edge.svc.cluster.local. 5 IN AAAA fd00:10:244:1::1e',
    ],
  },
  {
    title: 'PTR of a ready dual-stack endpoint, IPv6 nibble form (spec 2.5.2; CoreDNS reverse.go)',
    q: 'e.1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.1.0.0.0.4.4.2.0.0.1.0.0.0.0.d.f.ip6.arpa. PTR',
    rcode: 'NOERROR',
    aa: true,
    answer: [
      'e.1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.1.0.0.0.4.4.2.0.0.1.0.0.0.0.d.f.ip6.arpa. 5 IN PTR ws-0.ws.edge.svc.cluster.local.',
    ],
  },
  {
    title: 'PTR of a terminating endpoint is NXDOMAIN (not ready: not published)',
    q: '31.2.244.10.in-addr.arpa. PTR',
    ...NXDOMAIN,
  },
  {
    title:
      'headless service with no ready endpoints is NXDOMAIN (spec 2.4.1 "the answer should be NXDOMAIN")',
    q: 'search.data.svc.cluster.local. A',
    ...NXDOMAIN,
  },
  {
    title:
      'publishNotReadyAddresses: not-ready db-2 is published (EndpointSlice reports ready=true; spec 2.1 ready)',
    q: 'db-peers.data.svc.cluster.local. A',
    rcode: 'NOERROR',
    aa: true,
    answer: [
      'db-peers.data.svc.cluster.local. 5 IN A 10.244.1.10',
      'db-peers.data.svc.cluster.local. 5 IN A 10.244.2.11',
      'db-peers.data.svc.cluster.local. 5 IN A 10.244.1.12',
    ],
  },
  {
    title:
      'publishNotReadyAddresses: dashed-IP endpoint name of the not-ready pod answers (CoreDNS endpointHostname)',
    q: '10-244-1-12.db-peers.data.svc.cluster.local. A',
    rcode: 'NOERROR',
    aa: true,
    answer: ['10-244-1-12.db-peers.data.svc.cluster.local. 5 IN A 10.244.1.12'],
  },
  {
    title: 'publishNotReadyAddresses SRV: 3 endpoints, weight floor(100/3) = 33 (CoreDNS SRV)',
    q: '_postgres._tcp.db-peers.data.svc.cluster.local. SRV',
    rcode: 'NOERROR',
    aa: true,
    answer: [
      '_postgres._tcp.db-peers.data.svc.cluster.local. 5 IN SRV 0 33 5432 10-244-1-10.db-peers.data.svc.cluster.local.',
      '_postgres._tcp.db-peers.data.svc.cluster.local. 5 IN SRV 0 33 5432 10-244-2-11.db-peers.data.svc.cluster.local.',
      '_postgres._tcp.db-peers.data.svc.cluster.local. 5 IN SRV 0 33 5432 10-244-1-12.db-peers.data.svc.cluster.local.',
    ],
    additional: [
      '10-244-1-10.db-peers.data.svc.cluster.local. 5 IN A 10.244.1.10',
      '10-244-2-11.db-peers.data.svc.cluster.local. 5 IN A 10.244.2.11',
      '10-244-1-12.db-peers.data.svc.cluster.local. 5 IN A 10.244.1.12',
    ],
  },
  {
    title: 'headless without hostnames: A lists the endpoints (spec 2.4.1)',
    q: 'cache.data.svc.cluster.local. A',
    rcode: 'NOERROR',
    aa: true,
    answer: [
      'cache.data.svc.cluster.local. 5 IN A 10.244.1.16',
      'cache.data.svc.cluster.local. 5 IN A 10.244.2.15',
    ],
  },
  {
    title:
      'headless without hostnames: endpoint answers by dashed IP (spec 2.1 system-assigned hostname; CoreDNS endpointHostname)',
    q: '10-244-2-15.cache.data.svc.cluster.local. A',
    rcode: 'NOERROR',
    aa: true,
    answer: ['10-244-2-15.cache.data.svc.cluster.local. 5 IN A 10.244.2.15'],
  },
  {
    title: 'headless without hostnames: SRV targets are dashed-IP names (spec 2.4.2; CoreDNS)',
    q: '_redis._tcp.cache.data.svc.cluster.local. SRV',
    rcode: 'NOERROR',
    aa: true,
    answer: [
      '_redis._tcp.cache.data.svc.cluster.local. 5 IN SRV 0 50 6379 10-244-1-16.cache.data.svc.cluster.local.',
      '_redis._tcp.cache.data.svc.cluster.local. 5 IN SRV 0 50 6379 10-244-2-15.cache.data.svc.cluster.local.',
    ],
    additional: [
      '10-244-1-16.cache.data.svc.cluster.local. 5 IN A 10.244.1.16',
      '10-244-2-15.cache.data.svc.cluster.local. 5 IN A 10.244.2.15',
    ],
  },
  {
    title: 'unknown dashed-IP endpoint of a headless service is NXDOMAIN (CoreDNS findServices)',
    q: '10-244-9-9.cache.data.svc.cluster.local. A',
    ...NXDOMAIN,
  },
  {
    title:
      'endpoint name under a ClusterIP service answers the endpoint IP (CoreDNS extension: findServices handles r.endpoint for every service; spec defines it for headless only)',
    q: '10-244-1-5.web.shop.svc.cluster.local. A',
    rcode: 'NOERROR',
    aa: true,
    answer: ['10-244-1-5.web.shop.svc.cluster.local. 5 IN A 10.244.1.5'],
  },
  {
    title: 'IPv6 endpoint name uses dashes for colons (CoreDNS endpointHostname; spec 1.1.0 AAAA)',
    q: 'fd00-10-244-1--14.api.edge.svc.cluster.local. AAAA',
    rcode: 'NOERROR',
    aa: true,
    answer: ['fd00-10-244-1--14.api.edge.svc.cluster.local. 5 IN AAAA fd00:10:244:1::14'],
  },

  // --- ExternalName (spec 2.5) ---
  {
    title:
      'ExternalName, out-of-zone target: the CNAME alone, NOERROR (spec 2.5; no forwarder configured, so the target is not chased)',
    q: 'billing.shop.svc.cluster.local. A',
    rcode: 'NOERROR',
    aa: true,
    answer: ['billing.shop.svc.cluster.local. 5 IN CNAME billing.example.com.'],
  },
  {
    title: 'ExternalName AAAA: the CNAME alone (spec 2.5)',
    q: 'billing.shop.svc.cluster.local. AAAA',
    rcode: 'NOERROR',
    aa: true,
    answer: ['billing.shop.svc.cluster.local. 5 IN CNAME billing.example.com.'],
  },
  {
    title: 'ExternalName CNAME query (spec 2.5; CoreDNS CNAME)',
    q: 'billing.shop.svc.cluster.local. CNAME',
    rcode: 'NOERROR',
    aa: true,
    answer: ['billing.shop.svc.cluster.local. 5 IN CNAME billing.example.com.'],
  },
  {
    title:
      'ExternalName SRV is NODATA (CoreDNS Services: "SRV for external services is not yet implemented")',
    q: 'billing.shop.svc.cluster.local. SRV',
    ...NODATA,
  },
  {
    title:
      'ExternalName, in-zone target: CNAME plus the target A record (spec 2.5; CoreDNS A follows in-zone CNAMEs)',
    q: 'web-alias.edge.svc.cluster.local. A',
    rcode: 'NOERROR',
    aa: true,
    answer: [
      'web-alias.edge.svc.cluster.local. 5 IN CNAME web.shop.svc.cluster.local.',
      'web.shop.svc.cluster.local. 5 IN A 10.96.12.34',
    ],
  },
  {
    title:
      'ExternalName, in-zone target without AAAA: CoreDNS drops the CNAME and answers NODATA (backend_lookup.go AAAA adds the CNAME only when the target has records; RFC 2308 §2.2 would keep the CNAME)',
    q: 'web-alias.edge.svc.cluster.local. AAAA',
    ...NODATA,
  },
  {
    title: 'ExternalName, in-zone target, CNAME query (CoreDNS CNAME)',
    q: 'web-alias.edge.svc.cluster.local. CNAME',
    rcode: 'NOERROR',
    aa: true,
    answer: ['web-alias.edge.svc.cluster.local. 5 IN CNAME web.shop.svc.cluster.local.'],
  },

  // --- PTR (spec 2.3.3, 2.4.3; CoreDNS reverse.go) ---
  {
    title: 'PTR for a ClusterIP (spec 2.3.3)',
    q: '1.0.96.10.in-addr.arpa. PTR',
    rcode: 'NOERROR',
    aa: true,
    answer: ['1.0.96.10.in-addr.arpa. 5 IN PTR kubernetes.default.svc.cluster.local.'],
  },
  {
    title: 'PTR for the kube-dns ClusterIP (spec 2.3.3)',
    q: '10.0.96.10.in-addr.arpa. PTR',
    rcode: 'NOERROR',
    aa: true,
    answer: ['10.0.96.10.in-addr.arpa. 5 IN PTR kube-dns.kube-system.svc.cluster.local.'],
  },
  {
    title: 'PTR for an IPv6 ClusterIP in nibble form (spec 1.1.0 2.3.3 ip6.arpa)',
    q: '4.1.c.8.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.6.9.0.0.0.1.0.0.0.0.d.f.ip6.arpa. PTR',
    rcode: 'NOERROR',
    aa: true,
    answer: [
      '4.1.c.8.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.6.9.0.0.0.1.0.0.0.0.d.f.ip6.arpa. 5 IN PTR api.edge.svc.cluster.local.',
    ],
  },
  {
    title:
      'PTR for an endpoint of a ClusterIP service: dashed-IP name under the service (CoreDNS reverse.go serviceRecordForIP searches all endpoints)',
    q: '5.1.244.10.in-addr.arpa. PTR',
    rcode: 'NOERROR',
    aa: true,
    answer: ['5.1.244.10.in-addr.arpa. 5 IN PTR 10-244-1-5.web.shop.svc.cluster.local.'],
  },
  {
    title:
      'PTR for an endpoint IP in two services: one PTR per service (spec 2.4.3; CoreDNS reverse.go, hostname in db, dashed IP in db-peers)',
    q: '11.2.244.10.in-addr.arpa. PTR',
    rcode: 'NOERROR',
    aa: true,
    answer: [
      '11.2.244.10.in-addr.arpa. 5 IN PTR db-1.db.data.svc.cluster.local.',
      '11.2.244.10.in-addr.arpa. 5 IN PTR 10-244-2-11.db-peers.data.svc.cluster.local.',
    ],
  },
  {
    title:
      'PTR for a not-ready endpoint only names the service that publishes it (spec 2.4.3 ready endpoints)',
    q: '12.1.244.10.in-addr.arpa. PTR',
    rcode: 'NOERROR',
    aa: true,
    answer: ['12.1.244.10.in-addr.arpa. 5 IN PTR 10-244-1-12.db-peers.data.svc.cluster.local.'],
  },
  {
    title:
      'PTR for an IPv6 endpoint in nibble form (spec 1.1.0 2.4.3; CoreDNS dashed IPv6 hostname)',
    q: '4.1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.1.0.0.0.4.4.2.0.0.1.0.0.0.0.d.f.ip6.arpa. PTR',
    rcode: 'NOERROR',
    aa: true,
    answer: [
      '4.1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.1.0.0.0.4.4.2.0.0.1.0.0.0.0.d.f.ip6.arpa. 5 IN PTR fd00-10-244-1--14.api.edge.svc.cluster.local.',
    ],
  },
  {
    title:
      'PTR for an unknown IP in our reverse zone is NXDOMAIN with the in-addr.arpa SOA (CoreDNS errNoItems; the stock Corefile would fall through to forward instead)',
    q: '99.99.96.10.in-addr.arpa. PTR',
    ...NXDOMAIN,
  },

  // --- schema version, apex, empty non-terminals (spec 2.2; CoreDNS parse.go) ---
  {
    title: 'dns-version TXT, TTL 28800 (spec 2.2; CoreDNS Services TXT)',
    q: 'dns-version.cluster.local. TXT',
    rcode: 'NOERROR',
    aa: true,
    answer: ['dns-version.cluster.local. 28800 IN TXT "1.1.0"'],
  },
  // Deliberate difference (sync/records/README.md): CoreDNS answers NXDOMAIN here (parse.go: first
  // label neither svc nor pod -> errInvalidRequest). A resolver caches NXDOMAIN for the whole name
  // (RFC 2308 §5), which would then hide the TXT record; the name exists, so NODATA (RFC 2308 §2.2).
  {
    title:
      'dns-version A is NODATA: the name owns a TXT (RFC 2308 §2.2, §5; CoreDNS says NXDOMAIN)',
    q: 'dns-version.cluster.local. A',
    ...NODATA,
  },
  {
    title: 'apex SOA (CoreDNS backend_lookup.go SOA)',
    q: 'cluster.local. SOA',
    rcode: 'NOERROR',
    aa: true,
    answer: [
      'cluster.local. 5 IN SOA ns.dns.cluster.local. hostmaster.cluster.local. * 7200 1800 86400 5',
    ],
  },
  {
    title:
      'apex NS: ns.dns.<zone> when the server is not itself a kube-dns endpoint (CoreDNS ns.go nsAddrs fallback)',
    q: 'cluster.local. NS',
    rcode: 'NOERROR',
    aa: true,
    answer: ['cluster.local. 5 IN NS ns.dns.cluster.local.'],
  },
  // CoreDNS glues ns.dns.<zone> to its own pod IPs (ns.go nsAddrs); edge-dns answers from a store
  // that holds no address of its own, so it adds none (glue is optional: RFC 1034 §4.3.2 step 6).
  {
    title: 'apex A is NODATA (CoreDNS checkForApex, parse.go apex)',
    q: 'cluster.local. A',
    ...NODATA,
  },
  {
    title: 'svc.<zone> is NODATA (parse.go "return NODATA for apex queries")',
    q: 'svc.cluster.local. A',
    ...NODATA,
  },
  {
    title: 'pod.<zone> is NODATA even with pods disabled (parse.go)',
    q: 'pod.cluster.local. A',
    ...NODATA,
  },
  {
    title:
      '<ns>.svc.<zone> of an existing namespace is NODATA (CoreDNS findServices empty service name)',
    q: 'shop.svc.cluster.local. A',
    ...NODATA,
  },

  // --- NXDOMAIN ---
  {
    title: 'unknown service is NXDOMAIN with SOA (CoreDNS errNoItems; RFC 2308 §3)',
    q: 'nope.shop.svc.cluster.local. A',
    ...NXDOMAIN,
  },
  {
    title: 'service in an unknown namespace is NXDOMAIN (CoreDNS namespaceExposed)',
    q: 'web.nope.svc.cluster.local. A',
    ...NXDOMAIN,
  },
  {
    title: 'unknown namespace name is NXDOMAIN (CoreDNS namespaceExposed)',
    q: 'nope.svc.cluster.local. A',
    ...NXDOMAIN,
  },
  {
    title:
      '_tcp.<svc> is NXDOMAIN in CoreDNS (parse.go reads "_tcp" as an endpoint name), not NODATA as an RFC 8020 empty non-terminal',
    q: '_tcp.web.shop.svc.cluster.local. SRV',
    ...NXDOMAIN,
  },
  {
    title: 'name too long for the schema is NXDOMAIN (parse.go "too long")',
    q: 'x.a.b.web.shop.svc.cluster.local. A',
    ...NXDOMAIN,
  },
  {
    title: 'label other than svc/pod under the zone is NXDOMAIN (parse.go errInvalidRequest)',
    q: 'web.shop.foo.cluster.local. A',
    ...NXDOMAIN,
  },
  {
    title: 'single unknown label under the zone is NXDOMAIN (parse.go errInvalidRequest)',
    q: 'foo.cluster.local. A',
    ...NXDOMAIN,
  },

  // --- pods (spec 2.6 deprecated pod records; README `pods`) ---
  {
    title: 'pods disabled (default): pod A is NXDOMAIN (README pods disabled)',
    q: '10-244-1-5.shop.pod.cluster.local. A',
    ...NXDOMAIN,
  },
  {
    title:
      'pods disabled: <ns>.pod.<zone> is NXDOMAIN (findPods rejects before the empty-name NODATA branch)',
    q: 'shop.pod.cluster.local. A',
    ...NXDOMAIN,
  },
  {
    title: 'pods insecure: A for a pod IP (README pods insecure; spec 2.6)',
    q: '10-244-1-5.shop.pod.cluster.local. A',
    args: PODS_INSECURE,
    rcode: 'NOERROR',
    aa: true,
    answer: ['10-244-1-5.shop.pod.cluster.local. 5 IN A 10.244.1.5'],
  },
  {
    title: 'pods insecure: any IP answers without checking pods (README)',
    q: '10-1-2-3.shop.pod.cluster.local. A',
    args: PODS_INSECURE,
    rcode: 'NOERROR',
    aa: true,
    answer: ['10-1-2-3.shop.pod.cluster.local. 5 IN A 10.1.2.3'],
  },
  {
    title: 'pods insecure: IPv6 dashed name answers AAAA (CoreDNS findPods "--" -> "::")',
    q: 'fd00-10-244-1--14.edge.pod.cluster.local. AAAA',
    args: PODS_INSECURE,
    rcode: 'NOERROR',
    aa: true,
    answer: ['fd00-10-244-1--14.edge.pod.cluster.local. 5 IN AAAA fd00:10:244:1::14'],
  },
  {
    title: 'pods insecure: AAAA for an IPv4 pod name is NODATA (CoreDNS AAAA)',
    q: '10-244-1-5.shop.pod.cluster.local. AAAA',
    args: PODS_INSECURE,
    ...NODATA,
  },
  {
    title: 'pods insecure: a label that is not an IP is NXDOMAIN (findPods net.ParseIP)',
    q: 'web.shop.pod.cluster.local. A',
    args: PODS_INSECURE,
    ...NXDOMAIN,
  },
  {
    title: 'pods insecure: unknown namespace is NXDOMAIN (Records namespaceExposed)',
    q: '10-244-1-5.nope.pod.cluster.local. A',
    args: PODS_INSECURE,
    ...NXDOMAIN,
  },
  {
    title: 'pods insecure: <ns>.pod.<zone> is NODATA (findPods empty pod name)',
    q: 'shop.pod.cluster.local. A',
    args: PODS_INSECURE,
    ...NODATA,
  },
  {
    title: 'pods verified: A when a pod in that namespace has the IP (README pods verified)',
    q: '10-244-1-5.shop.pod.cluster.local. A',
    args: PODS_VERIFIED,
    rcode: 'NOERROR',
    aa: true,
    answer: ['10-244-1-5.shop.pod.cluster.local. 5 IN A 10.244.1.5'],
  },
  {
    title:
      'pods verified: the IP belongs to a pod of another namespace -> NXDOMAIN (findPods namespace match)',
    q: '10-244-1-5.data.pod.cluster.local. A',
    args: PODS_VERIFIED,
    ...NXDOMAIN,
  },
  {
    title: 'pods verified: no pod with that IP -> NXDOMAIN (README)',
    q: '10-1-2-3.shop.pod.cluster.local. A',
    args: PODS_VERIFIED,
    ...NXDOMAIN,
  },
  {
    title: 'pods verified: <ns>.pod.<zone> is NODATA',
    q: 'shop.pod.cluster.local. A',
    args: PODS_VERIFIED,
    ...NODATA,
  },

  // --- namespaces (README `namespaces`) ---
  {
    title: 'namespaces: listed namespace still answers',
    q: 'web.shop.svc.cluster.local. A',
    args: NAMESPACES,
    rcode: 'NOERROR',
    aa: true,
    answer: ['web.shop.svc.cluster.local. 5 IN A 10.96.12.34'],
  },
  {
    title:
      'namespaces: service in an unlisted namespace is NXDOMAIN (README "only exposes the k8s namespaces listed")',
    q: 'db.data.svc.cluster.local. A',
    args: NAMESPACES,
    ...NXDOMAIN,
  },
  {
    title: 'namespaces: unlisted <ns>.svc.<zone> is NXDOMAIN (Records errNsNotExposed)',
    q: 'data.svc.cluster.local. A',
    args: NAMESPACES,
    ...NXDOMAIN,
  },
  {
    title:
      'namespaces: PTR of a ClusterIP in an unlisted namespace is NXDOMAIN (reverse.go namespaceExposed)',
    q: '10.0.96.10.in-addr.arpa. PTR',
    args: NAMESPACES,
    ...NXDOMAIN,
  },
  {
    title: 'namespaces: PTR of an endpoint in an unlisted namespace is NXDOMAIN (reverse.go)',
    q: '11.2.244.10.in-addr.arpa. PTR',
    args: NAMESPACES,
    ...NXDOMAIN,
  },
  {
    title: 'namespaces: PTR of a listed ClusterIP still answers',
    q: '1.0.96.10.in-addr.arpa. PTR',
    args: NAMESPACES,
    rcode: 'NOERROR',
    aa: true,
    answer: ['1.0.96.10.in-addr.arpa. 5 IN PTR kubernetes.default.svc.cluster.local.'],
  },

  // --- endpoint_pod_names (README) ---
  {
    title:
      'endpoint_pod_names: endpoint without hostname is named after its pod (README endpoint_pod_names)',
    q: 'cache-6d8f7b9c4-x2mzq.cache.data.svc.cluster.local. A',
    args: POD_NAMES,
    rcode: 'NOERROR',
    aa: true,
    answer: ['cache-6d8f7b9c4-x2mzq.cache.data.svc.cluster.local. 5 IN A 10.244.2.15'],
  },
  {
    title: 'endpoint_pod_names: the dashed-IP name no longer matches (CoreDNS endpointHostname)',
    q: '10-244-2-15.cache.data.svc.cluster.local. A',
    args: POD_NAMES,
    ...NXDOMAIN,
  },
  {
    title: 'endpoint_pod_names: an explicit hostname still wins (README)',
    q: 'db-0.db.data.svc.cluster.local. A',
    args: POD_NAMES,
    rcode: 'NOERROR',
    aa: true,
    answer: ['db-0.db.data.svc.cluster.local. 5 IN A 10.244.1.10'],
  },
  {
    title: 'endpoint_pod_names: SRV targets use pod names',
    q: '_redis._tcp.cache.data.svc.cluster.local. SRV',
    args: POD_NAMES,
    rcode: 'NOERROR',
    aa: true,
    answer: [
      '_redis._tcp.cache.data.svc.cluster.local. 5 IN SRV 0 50 6379 cache-6d8f7b9c4-h7vns.cache.data.svc.cluster.local.',
      '_redis._tcp.cache.data.svc.cluster.local. 5 IN SRV 0 50 6379 cache-6d8f7b9c4-x2mzq.cache.data.svc.cluster.local.',
    ],
    additional: [
      'cache-6d8f7b9c4-h7vns.cache.data.svc.cluster.local. 5 IN A 10.244.1.16',
      'cache-6d8f7b9c4-x2mzq.cache.data.svc.cluster.local. 5 IN A 10.244.2.15',
    ],
  },
  {
    title: 'endpoint_pod_names: PTR uses the pod name (reverse.go endpointHostname)',
    q: '15.2.244.10.in-addr.arpa. PTR',
    args: POD_NAMES,
    rcode: 'NOERROR',
    aa: true,
    answer: [
      '15.2.244.10.in-addr.arpa. 5 IN PTR cache-6d8f7b9c4-x2mzq.cache.data.svc.cluster.local.',
    ],
  },
  {
    title: 'endpoint_pod_names: pod-named endpoint under a ClusterIP service (CoreDNS extension)',
    q: 'web-7c9f8d6b5-2xkqp.web.shop.svc.cluster.local. A',
    args: POD_NAMES,
    rcode: 'NOERROR',
    aa: true,
    answer: ['web-7c9f8d6b5-2xkqp.web.shop.svc.cluster.local. 5 IN A 10.244.1.5'],
  },

  // --- ignore empty_service (README) ---
  {
    title: 'ignore empty_service: ClusterIP service without ready endpoints is NXDOMAIN (README)',
    q: 'checkout.shop.svc.cluster.local. A',
    args: IGNORE_EMPTY,
    ...NXDOMAIN,
  },
  {
    title: 'ignore empty_service: service with endpoints still answers',
    q: 'web.shop.svc.cluster.local. A',
    args: IGNORE_EMPTY,
    rcode: 'NOERROR',
    aa: true,
    answer: ['web.shop.svc.cluster.local. 5 IN A 10.96.12.34'],
  },
  {
    title: 'ignore empty_service: ExternalName is exempt (findServices)',
    q: 'billing.shop.svc.cluster.local. A',
    args: IGNORE_EMPTY,
    rcode: 'NOERROR',
    aa: true,
    answer: ['billing.shop.svc.cluster.local. 5 IN CNAME billing.example.com.'],
  },
  {
    title: 'ignore empty_service: headless services are exempt (findServices)',
    q: 'db.data.svc.cluster.local. A',
    args: IGNORE_EMPTY,
    rcode: 'NOERROR',
    aa: true,
    answer: [
      'db.data.svc.cluster.local. 5 IN A 10.244.1.10',
      'db.data.svc.cluster.local. 5 IN A 10.244.2.11',
    ],
  },

  // --- ttl (README `ttl`) ---
  {
    title: 'ttl 30 applies to A records (README ttl)',
    q: 'web.shop.svc.cluster.local. A',
    args: TTL30,
    rcode: 'NOERROR',
    aa: true,
    answer: ['web.shop.svc.cluster.local. 30 IN A 10.96.12.34'],
  },
  {
    title: 'ttl 30 applies to SRV records',
    q: '_https._tcp.web.shop.svc.cluster.local. SRV',
    args: TTL30,
    rcode: 'NOERROR',
    aa: true,
    answer: [
      '_https._tcp.web.shop.svc.cluster.local. 30 IN SRV 0 100 443 web.shop.svc.cluster.local.',
    ],
    additional: ['web.shop.svc.cluster.local. 30 IN A 10.96.12.34'],
  },
  {
    title:
      'ttl 30: negative answers carry SOA TTL and minimum 30 (backend_lookup.go SOA; RFC 2308 §5)',
    q: 'nope.shop.svc.cluster.local. A',
    args: TTL30,
    ...NXDOMAIN,
  },
  {
    title: 'ttl 30: apex SOA minimum follows the ttl',
    q: 'cluster.local. SOA',
    args: TTL30,
    rcode: 'NOERROR',
    aa: true,
    answer: [
      'cluster.local. 30 IN SOA ns.dns.cluster.local. hostmaster.cluster.local. * 7200 1800 86400 30',
    ],
  },
  {
    title: 'ttl 30: dns-version keeps its fixed TTL 28800 (CoreDNS Services TXT)',
    q: 'dns-version.cluster.local. TXT',
    args: TTL30,
    rcode: 'NOERROR',
    aa: true,
    answer: ['dns-version.cluster.local. 28800 IN TXT "1.1.0"'],
  },

  // --- zones with a narrower reverse zone ---
  {
    title: 'zones 96.10.in-addr.arpa: PTR of a ClusterIP inside it answers',
    q: '1.0.96.10.in-addr.arpa. PTR',
    args: NARROW_REVERSE,
    rcode: 'NOERROR',
    aa: true,
    answer: ['1.0.96.10.in-addr.arpa. 5 IN PTR kubernetes.default.svc.cluster.local.'],
  },
  {
    title: "zones 96.10.in-addr.arpa: unknown IP inside it is NXDOMAIN with that zone's SOA",
    q: '99.99.96.10.in-addr.arpa. PTR',
    args: NARROW_REVERSE,
    ...NXDOMAIN,
  },
  {
    title: 'zones 96.10.in-addr.arpa: apex SOA of the reverse zone',
    q: '96.10.in-addr.arpa. SOA',
    args: NARROW_REVERSE,
    rcode: 'NOERROR',
    aa: true,
    answer: [
      '96.10.in-addr.arpa. 5 IN SOA ns.dns.96.10.in-addr.arpa. hostmaster.96.10.in-addr.arpa. * 7200 1800 86400 5',
    ],
  },
  {
    title:
      'zones 96.10.in-addr.arpa: endpoint IP outside the zone is REFUSED (no forwarder; docs/architecture.md §6.7)',
    q: '5.1.244.10.in-addr.arpa. PTR',
    args: NARROW_REVERSE,
    rcode: 'REFUSED',
    answer: [],
  },
  {
    title: 'zones without ip6.arpa: IPv6 PTR is REFUSED',
    q: '4.1.c.8.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.6.9.0.0.0.1.0.0.0.0.d.f.ip6.arpa. PTR',
    args: NARROW_REVERSE,
    rcode: 'REFUSED',
    answer: [],
  },
  {
    title: 'zones: cluster.local still answers',
    q: 'web.shop.svc.cluster.local. A',
    args: NARROW_REVERSE,
    rcode: 'NOERROR',
    aa: true,
    answer: ['web.shop.svc.cluster.local. 5 IN A 10.96.12.34'],
  },

  // --- ANY (RFC 8482). CoreDNS's kubernetes plugin answers ANY as NODATA (handler.go default
  // case); we give RFC 8482's minimal ANY (docs/architecture.md §6.6): one RRset at the name.
  {
    title: 'ANY at a ClusterIP service: its one RRset, the A (RFC 8482 §4.1)',
    q: 'web.shop.svc.cluster.local. ANY',
    rcode: 'NOERROR',
    aa: true,
    answer: ['web.shop.svc.cluster.local. 5 IN A 10.96.12.34'],
  },
  {
    title: 'ANY at a headless service: the whole A RRset, not one record of it (RFC 8482 §4.1)',
    q: 'db.data.svc.cluster.local. ANY',
    rcode: 'NOERROR',
    aa: true,
    answer: [
      'db.data.svc.cluster.local. 5 IN A 10.244.1.10',
      'db.data.svc.cluster.local. 5 IN A 10.244.2.11',
    ],
  },
  {
    title:
      'ANY at an ExternalName: the CNAME, not chased (RFC 8482 §4.1; RFC 1034 §3.6.2 chases only other types)',
    q: 'billing.shop.svc.cluster.local. ANY',
    rcode: 'NOERROR',
    aa: true,
    answer: ['billing.shop.svc.cluster.local. 5 IN CNAME billing.example.com.'],
  },
  {
    title: 'ANY at a missing name is NXDOMAIN with SOA (RFC 8482 §4; RFC 2308 §2.1)',
    q: 'nope.shop.svc.cluster.local. ANY',
    ...NXDOMAIN,
  },

  // --- outside our zones, case, opcode ---
  {
    title:
      'name outside our zones is REFUSED with no forwarder (docs/architecture.md §6.7; CoreDNS server: no matching zone -> REFUSED)',
    q: 'example.com. A',
    rcode: 'REFUSED',
    answer: [],
  },
  {
    title:
      'name that only shares a suffix string with the zone is outside it (RFC 1034 §3.1 label boundaries)',
    q: 'notcluster.local. A',
    rcode: 'REFUSED',
    answer: [],
  },
  {
    title: 'mixed-case question is answered in the same case (CoreDNS handler_case_test; DNS 0x20)',
    q: 'WeB.ShOp.SvC.ClUsTeR.LoCaL. A',
    rcode: 'NOERROR',
    aa: true,
    answer: ['WeB.ShOp.SvC.ClUsTeR.LoCaL. 5 IN A 10.96.12.34'],
  },
  {
    title: 'mixed-case negative answer keeps NXDOMAIN and the zone SOA (CoreDNS handler_case_test)',
    q: 'NoPe.ShOp.SvC.ClUsTeR.LoCaL. A',
    ...NXDOMAIN,
  },
  {
    title: 'mixed-case SRV question echoes the owner case (CoreDNS handler_case_test)',
    q: '_HtTpS._TcP.KuBeRnEtEs.DeFaUlT.sVc.cluster.local. SRV',
    rcode: 'NOERROR',
    aa: true,
    answer: [
      '_HtTpS._TcP.KuBeRnEtEs.DeFaUlT.sVc.cluster.local. 5 IN SRV 0 100 443 kubernetes.default.svc.cluster.local.',
    ],
    additional: ['kubernetes.default.svc.cluster.local. 5 IN A 10.96.0.1'],
  },
  {
    title:
      'opcode STATUS (2) is NOTIMP (RFC 1035 §4.1.1; miekg/dns default accept func used by CoreDNS)',
    q: 'web.shop.svc.cluster.local. A',
    opcode: 2,
    rcode: 'NOTIMP',
    answer: [],
  },
];
