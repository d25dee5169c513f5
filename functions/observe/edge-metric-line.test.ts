// The edge's metric lines: a table of requests (question and reply in presentation form) to the
// exact line, and the EMF structure CloudWatch needs (every metric named in CloudWatchMetrics is a
// top-level number; every dimension a top-level string).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as dnsPacket from 'dns-packet';
import { edgeMetricLine, type EdgeObservedQuery } from './edge-metric-line.ts';
import { rcodeLabel, typeLabel } from './message-labels.ts';

type Packet = dnsPacket.Packet;
const RCODES: Record<string, number> = { NOERROR: 0, SERVFAIL: 2, NXDOMAIN: 3, REFUSED: 5 };
const opt = (extendedRcode = 0, ednsVersion = 0) =>
  ({
    type: 'OPT',
    name: '.',
    udpPayloadSize: 1232,
    extendedRcode,
    ednsVersion,
    flags: 0,
    options: [],
  }) as unknown as dnsPacket.Answer;

function message(
  type: string,
  name: string,
  rcode: string,
  answers: dnsPacket.Answer[] = [],
  additionals: dnsPacket.Answer[] = [],
): Uint8Array {
  return dnsPacket.encode({
    type: 'response',
    id: 1,
    // dns-packet encodes the rcode from the low bits of `flags`.
    flags: dnsPacket.AUTHORITATIVE_ANSWER | RCODES[rcode]!,
    questions: [{ type, name, class: 'IN' }],
    answers,
    additionals,
  } as Packet);
}
const query = (type: string, name: string, additionals: dnsPacket.Answer[] = []) =>
  dnsPacket.encode({
    type: 'query',
    id: 1,
    questions: [{ type, name, class: 'IN' }],
    additionals,
  } as Packet);
const cache = (hits: number, misses: number, reads: number) => ({ hits, misses, reads });

const cases: {
  why: string;
  request: EdgeObservedQuery;
  sampleRate: number;
  line: string;
}[] = [
  {
    why: 'web.shop.svc.cluster.local. A -> NOERROR, from the cache',
    request: {
      query: query('A', 'web.shop.svc.cluster.local'),
      reply: message('A', 'web.shop.svc.cluster.local', 'NOERROR', [
        { type: 'A', name: 'web.shop.svc.cluster.local', ttl: 5, data: '10.96.0.20' },
      ]),
      durationMs: 1.5,
      cache: cache(1, 0, 0),
    },
    sampleRate: 1,
    line: '{"timestamp":1700000000000,"cluster":"prod","proto":"https","type":"A","rcode":"NOERROR","coredns_dns_requests_total":1,"coredns_dns_responses_total":1,"coredns_dns_request_duration_seconds":0.0015,"coredns_dns_request_size_bytes":44,"coredns_dns_response_size_bytes":86,"coredns_cache_hits_total":1,"coredns_cache_misses_total":0,"edge_dns_dynamodb_reads_total":0,"sample_rate":1}',
  },
  {
    why: '_http._tcp.nope.shop.svc.cluster.local. SRV -> NXDOMAIN after a read, one in two sampled',
    request: {
      query: query('SRV', '_http._tcp.nope.shop.svc.cluster.local'),
      reply: message('SRV', '_http._tcp.nope.shop.svc.cluster.local', 'NXDOMAIN'),
      durationMs: 12,
      cache: cache(0, 1, 1),
    },
    sampleRate: 0.5,
    line: '{"timestamp":1700000000000,"cluster":"prod","proto":"https","type":"SRV","rcode":"NXDOMAIN","coredns_dns_requests_total":2,"coredns_dns_responses_total":2,"coredns_dns_request_duration_seconds":0.012,"coredns_dns_request_size_bytes":56,"coredns_dns_response_size_bytes":56,"coredns_cache_hits_total":0,"coredns_cache_misses_total":2,"edge_dns_dynamodb_reads_total":2,"sample_rate":0.5}',
  },
  {
    why: 'www.example.com. NAPTR -> REFUSED: a type CoreDNS does not name is "other"',
    request: {
      query: query('NAPTR', 'www.example.com'),
      reply: message('NAPTR', 'www.example.com', 'REFUSED'),
      durationMs: 0.25,
      cache: cache(0, 0, 0),
    },
    sampleRate: 1,
    line: '{"timestamp":1700000000000,"cluster":"prod","proto":"https","type":"other","rcode":"REFUSED","coredns_dns_requests_total":1,"coredns_dns_responses_total":1,"coredns_dns_request_duration_seconds":0.00025,"coredns_dns_request_size_bytes":33,"coredns_dns_response_size_bytes":33,"coredns_cache_hits_total":0,"coredns_cache_misses_total":0,"edge_dns_dynamodb_reads_total":0,"sample_rate":1}',
  },
  {
    why: 'EDNS version 1 -> BADVERS (extended rcode 1 in the OPT: 16, BADSIG as miekg/dns names it)',
    request: {
      query: query('AAAA', 'web.shop.svc.cluster.local', [opt(0, 1)]),
      reply: message('AAAA', 'web.shop.svc.cluster.local', 'NOERROR', [], [opt(1)]),
      durationMs: 0.1,
      cache: cache(0, 0, 0),
    },
    sampleRate: 1,
    line: '{"timestamp":1700000000000,"cluster":"prod","proto":"https","type":"AAAA","rcode":"BADSIG","coredns_dns_requests_total":1,"coredns_dns_responses_total":1,"coredns_dns_request_duration_seconds":0.0001,"coredns_dns_request_size_bytes":55,"coredns_dns_response_size_bytes":55,"coredns_cache_hits_total":0,"coredns_cache_misses_total":0,"edge_dns_dynamodb_reads_total":0,"sample_rate":1}',
  },
];

const context = (sampleRate: number) => ({ cluster: 'prod', sampleRate, timestamp: 1700000000000 });

for (const c of cases) {
  test(`json: ${c.why}`, () => {
    assert.equal(edgeMetricLine('json', c.request, context(c.sampleRate)), c.line);
  });

  test(`emf: ${c.why}`, () => {
    const line = edgeMetricLine('emf', c.request, context(c.sampleRate));
    assert.doesNotMatch(line, /\n/, 'one line');
    const { _aws: aws, ...members } = JSON.parse(line) as Record<string, unknown> & {
      _aws: {
        Timestamp: number;
        CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: object[] }[];
      };
    };
    const { timestamp, ...same } = JSON.parse(c.line) as Record<string, unknown>;
    assert.deepEqual(members, same, 'the same members as the json line');
    assert.equal(aws.Timestamp, timestamp);
    assert.ok(aws.CloudWatchMetrics.length > 0);
    const named = new Set<string>();
    for (const d of aws.CloudWatchMetrics) {
      assert.equal(d.Namespace, 'edge-dns');
      for (const set of d.Dimensions) {
        assert.ok(set.length <= 30, 'at most 30 dimensions in a set');
        for (const key of set) assert.equal(typeof members[key], 'string', `dimension ${key}`);
      }
      assert.ok(d.Metrics.length <= 100, 'at most 100 metrics in a directive');
      for (const m of d.Metrics) {
        assert.deepEqual(Object.keys(m), ['Name', 'Unit']);
        const { Name, Unit } = m as { Name: string; Unit: string };
        assert.ok(['Count', 'Seconds', 'Bytes'].includes(Unit), Unit);
        assert.equal(typeof members[Name], 'number', `metric ${Name} is a top-level number`);
        named.add(Name);
      }
    }
    assert.deepEqual(
      [...named].sort(),
      Object.keys(members)
        .filter((k) => typeof members[k] === 'number' && k !== 'sample_rate')
        .sort(),
      'every number but sample_rate is a metric',
    );
  });
}

test('labels of messages that are not well formed: no question, cut short', () => {
  const noQuestion = dnsPacket.encode({ type: 'query', id: 1, questions: [] });
  assert.equal(typeLabel(noQuestion), 'other');
  assert.equal(typeLabel(query('A', 'web.shop.svc.cluster.local').subarray(0, 20)), 'other');
  const reply = message('A', 'web.shop.svc.cluster.local', 'SERVFAIL', [], [opt()]);
  assert.equal(rcodeLabel(reply), 'SERVFAIL');
  assert.equal(rcodeLabel(reply.subarray(0, 30)), 'SERVFAIL', 'a cut reply keeps its header rcode');
  assert.equal(rcodeLabel(new Uint8Array(4)), 'NOERROR');
});
