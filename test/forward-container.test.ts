// Forwarding end to end: the container (real process, real sockets) with scripted upstream
// resolvers on 127.0.0.1 (test/support/scripted-upstream.ts). Names outside the cluster zones go
// upstream through the forward cache; ExternalName targets too; REFUSED without a forwarder.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { queryTcp, queryUdp, makeQuery, rcodeOf } from './support/dns-client.ts';
import { startContainer, SAMPLE_CLUSTER, type Container } from './support/container.ts';
import {
  a,
  answer,
  nxdomain,
  startScriptedUpstream,
  type ScriptedUpstream,
} from './support/scripted-upstream.ts';
import { toPresentation } from './support/presentation.ts';
import { closedPort } from './support/closed-port.ts';
import type { RecordType } from 'dns-packet';

async function withContainer(args: string[], run: (c: Container) => Promise<void>): Promise<void> {
  const c = await startContainer(['--snapshot', SAMPLE_CLUSTER, ...args]);
  try {
    await run(c);
  } finally {
    await c.stop();
  }
}

const answers = (reply: { answers?: unknown[] }) =>
  (reply.answers ?? []).map((r) => toPresentation(r as never));

test('without a forwarder, names outside our zones are REFUSED (never an open resolver)', async () => {
  await withContainer([], async (c) => {
    const reply = await queryUdp(c.udp, makeQuery('www.example.com', 'A'));
    assert.equal(rcodeOf(reply), 'REFUSED');
    assert.equal(reply.flag_ra, false);
  });
});

test('forward .: answers pass through, then come from the cache; negative answers and ExternalName targets too', async () => {
  const up: ScriptedUpstream = await startScriptedUpstream();
  up.script('www.example.com', 'A', answer([a('www.example.com', '127.0.0.5', 300)]));
  up.script('missing.example.com', 'A', nxdomain('example.com', 60));
  // test/fixtures/sample-cluster.json: billing.shop is an ExternalName to billing.example.com.
  up.script('billing.example.com', 'A', answer([a('billing.example.com', '127.0.0.6', 120)]));
  try {
    await withContainer(['--forward', `.=${up.address}`], async (c) => {
      const table: { q: string; type: RecordType; rcode: string; answer: RegExp[] }[] = [
        {
          q: 'www.example.com',
          type: 'A',
          rcode: 'NOERROR',
          answer: [/^www\.example\.com\. (300|299) IN A 127\.0\.0\.5$/],
        },
        {
          q: 'WWW.Example.COM',
          type: 'A',
          rcode: 'NOERROR',
          answer: [/^WWW\.Example\.COM\. (300|299|298) IN A 127\.0\.0\.5$/],
        },
        { q: 'missing.example.com', type: 'A', rcode: 'NXDOMAIN', answer: [] },
      ];
      for (const t of table) {
        const reply = await queryUdp(c.udp, makeQuery(t.q, t.type));
        assert.equal(rcodeOf(reply), t.rcode, t.q);
        assert.equal(reply.flag_ra, true, 'RA: recursion is available');
        assert.equal(reply.flag_aa, false, 'a forwarded answer is not authoritative');
        const got = answers(reply);
        assert.equal(got.length, t.answer.length, `${t.q}: ${got.join(' | ')}`);
        t.answer.forEach((re, i) => assert.match(got[i]!, re));
      }
      // RFC 2308 §5: the negative answer's SOA carries min(SOA TTL, MINIMUM) = 60.
      const negative = await queryTcp(c.tcp, [makeQuery('missing.example.com', 'A')]);
      assert.match(
        toPresentation(negative[0]!.authorities![0]!),
        /^example\.com\. (60|59|58) IN SOA /,
      );
      assert.equal(up.count('www.example.com', 'A'), 1, 'the second query came from the cache');
      assert.equal(up.count('missing.example.com', 'A'), 1, 'the negative answer is cached');

      const external = await queryUdp(c.udp, makeQuery('billing.shop.svc.cluster.local', 'A'));
      assert.equal(rcodeOf(external), 'NOERROR');
      assert.equal(external.flag_aa, true, 'our CNAME is authoritative');
      assert.deepEqual(
        answers(external).map((r) => r.replace(/ \d+ IN /, ' IN ')),
        [
          'billing.shop.svc.cluster.local. IN CNAME billing.example.com.',
          'billing.example.com. IN A 127.0.0.6',
        ],
      );
      // Cluster names never go upstream.
      const cluster = await queryUdp(c.udp, makeQuery('kubernetes.default.svc.cluster.local', 'A'));
      assert.deepEqual(answers(cluster), [
        'kubernetes.default.svc.cluster.local. 5 IN A 10.96.0.1',
      ]);
      assert.equal(up.log.filter((q) => q.name.endsWith('cluster.local')).length, 0);
    });
  } finally {
    await up.close();
  }
});

test('a burst of 1,000 identical queries for a missing entry sends one upstream query', async () => {
  const up = await startScriptedUpstream();
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  up.script('burst.example.com', 'A', {
    ...answer([a('burst.example.com', '127.0.0.7')]),
    until: held,
  });
  try {
    await withContainer(['--forward', `.=${up.address}`], async (c) => {
      const replies = Array.from({ length: 1000 }, (_, i) =>
        queryUdp(c.udp, makeQuery('burst.example.com', 'A', { id: i + 1 }), 10_000),
      );
      await up.nextQuery((q) => q.name === 'burst.example.com');
      release();
      const all = await Promise.all(replies);
      assert.ok(
        all.every((r) => rcodeOf(r) === 'NOERROR' && r.answers?.length === 1),
        'every query answered',
      );
      assert.equal(up.count('burst.example.com', 'A'), 1);
    });
  } finally {
    await up.close();
  }
});

test('a forwarder that points back at us: the loop is detected, answered SERVFAIL and logged', async () => {
  const port = await closedPort();
  await withContainer(
    ['--dns', `127.0.0.1:${port}`, '--forward', `.=127.0.0.1:${port}`, '--forward-max-fails', '0'],
    async (c) => {
      const reply = await queryUdp(c.udp, makeQuery('loop.example.com', 'A'), 10_000);
      assert.equal(rcodeOf(reply), 'SERVFAIL');
      assert.match(
        c.stderr(),
        /forwarding loop: our query for loop\.example\.com A came back to us/,
      );
    },
  );
});

test('a stub zone forwards only its names; the rest stays REFUSED', async () => {
  const up = await startScriptedUpstream();
  up.script('db.corp.example', 'A', answer([a('db.corp.example', '127.0.0.9')]));
  try {
    await withContainer(['--forward', `corp.example=tcp://${up.address}`], async (c) => {
      const inside = await queryUdp(c.udp, makeQuery('db.corp.example', 'A'));
      assert.deepEqual(
        answers(inside).map((r) => r.replace(/ \d+ IN /, ' IN ')),
        ['db.corp.example. IN A 127.0.0.9'],
      );
      assert.equal(
        up.count('db.corp.example', 'A', 'tcp'),
        1,
        'tcp:// upstreams are asked over TCP',
      );
      assert.equal(rcodeOf(await queryUdp(c.udp, makeQuery('www.example.com', 'A'))), 'REFUSED');
    });
  } finally {
    await up.close();
  }
});
