// The forward pool (CoreDNS `forward` semantics: policy, failover, max_fails + health probe,
// max_concurrent, loop detection) over upstreams written in the test: each is a table of what it
// does per exchange. Real sockets: test/forward-*.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as dnsPacket from 'dns-packet';
import type { Answer, DecodedPacket } from 'dns-packet';
import { UpstreamPool, type PoolOptions } from './upstream-pool.ts';
import type { Upstream } from './upstream.ts';
import { UpstreamError } from './upstream.ts';

type Behaviour = 'answer' | 'fail' | 'garbage' | 'hold';

/** An upstream that answers `A 127.0.0.N` (N = its number), or fails, per the script (then the last step repeats). */
function scripted(n: number, script: Behaviour[] = ['answer']) {
  const queries: DecodedPacket[] = [];
  const held: (() => void)[] = [];
  const upstream: Upstream & { queries: DecodedPacket[]; release: () => void } = {
    name: `u${n}`,
    queries,
    release: () => held.splice(0).forEach((go) => go()),
    async exchange(query) {
      const q = dnsPacket.decode(Buffer.from(query));
      queries.push(q);
      const step = script[Math.min(queries.length - 1, script.length - 1)]!;
      if (step === 'fail') throw new UpstreamError(`u${n}`, 'timeout', 'no reply');
      if (step === 'garbage') return new Uint8Array([1, 2, 3]);
      if (step === 'hold') await new Promise<void>((go) => held.push(go));
      const answers: Answer[] =
        q.questions![0]!.type === 'A'
          ? [{ name: q.questions![0]!.name, type: 'A', class: 'IN', ttl: 60, data: `127.0.0.${n}` }]
          : [];
      return dnsPacket.encode({
        type: 'response',
        id: q.id,
        flags: dnsPacket.RECURSION_AVAILABLE,
        questions: q.questions,
        answers,
      });
    },
  };
  return upstream;
}

const Q = { name: 'www.example.com', type: 'A', class: 'IN' };
const F = { cd: false, do: false };
const pool = (o: Partial<PoolOptions> & Pick<PoolOptions, 'upstreams'>) =>
  new UpstreamPool({ log: () => {}, ...o });
const answered = async (p: UpstreamPool) =>
  ((await p.ask(Q, F)).answers[0] as { data?: string } | undefined)?.data ?? 'none';

test('sequential: the first upstream while it answers; the next when it fails', async () => {
  const [a, b] = [scripted(1, ['answer', 'fail']), scripted(2)];
  const p = pool({ upstreams: [a, b], policy: 'sequential', maxFails: 0 });
  assert.deepEqual(
    [await answered(p), await answered(p), await answered(p)],
    ['127.0.0.1', '127.0.0.2', '127.0.0.2'],
  );
  assert.deepEqual(p.stats.failures, { u1: 2, u2: 0 });
});

test('round_robin: each upstream in turn', async () => {
  const ups = [scripted(1), scripted(2), scripted(3)];
  const p = pool({ upstreams: ups, policy: 'round_robin' });
  const got = [];
  for (let i = 0; i < 6; i++) got.push(await answered(p));
  assert.deepEqual(got, [
    '127.0.0.1',
    '127.0.0.2',
    '127.0.0.3',
    '127.0.0.1',
    '127.0.0.2',
    '127.0.0.3',
  ]);
});

test('random: spreads over the upstreams (seeded)', async () => {
  let seed = 7;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const p = pool({ upstreams: [scripted(1), scripted(2), scripted(3)], random });
  for (let i = 0; i < 300; i++) await p.ask(Q, F);
  for (const n of Object.values(p.stats.answered))
    assert.ok(n > 60 && n < 140, `uneven spread ${JSON.stringify(p.stats.answered)}`);
});

test('max_fails marks an upstream down; the health probe (. NS) brings it back', async () => {
  const a = scripted(1, ['fail', 'fail', 'fail', 'answer']); // 2 queries fail, the first probe fails, the second answers
  const b = scripted(2);
  let up!: () => void;
  const cameBack = new Promise<void>((r) => (up = r));
  const p = pool({
    upstreams: [a, b],
    policy: 'sequential',
    maxFails: 2,
    healthCheckMs: 5,
    log: (l) => l.includes('up again') && up(),
  });
  assert.equal(await answered(p), '127.0.0.2');
  assert.equal(await answered(p), '127.0.0.2');
  assert.equal(p.isUp('u1'), false);
  assert.equal(await answered(p), '127.0.0.2', 'a down upstream is skipped');
  assert.equal(a.queries.length, 2, 'no query went to the down upstream');
  const alive = setInterval(() => {}, 1000); // the probe's timer is unref'd: keep the test's loop up
  await cameBack;
  clearInterval(alive);
  assert.equal(p.isUp('u1'), true);
  assert.deepEqual(
    a.queries.slice(2).map((q) => `${q.questions![0]!.name || '.'} ${q.questions![0]!.type}`),
    ['. NS', '. NS'],
  );
  assert.equal(await answered(p), '127.0.0.1', 'back in first place');
  assert.deepEqual(p.stats.probeFailures, { u1: 1, u2: 0 }, 'the first probe failed');
  p.close();
});

test('onReply: each upstream reply with its rcode and duration; failures are not replies', async () => {
  const replies: [string, number, boolean][] = [];
  const p = pool({
    upstreams: [scripted(1, ['fail', 'answer']), scripted(2)],
    policy: 'sequential',
    maxFails: 0,
    onReply: (name, rcode, ms) => replies.push([name, rcode, ms >= 0]),
  });
  await p.ask(Q, F);
  await p.ask(Q, F);
  assert.deepEqual(replies, [
    ['u2', 0, true],
    ['u1', 0, true],
  ]);
});

test('every upstream down: still tried (as CoreDNS), SERVFAIL only when all fail', async () => {
  const p = pool({
    upstreams: [scripted(1, ['fail']), scripted(2, ['fail'])],
    policy: 'sequential',
    maxFails: 1,
    healthCheckMs: 60_000,
  });
  assert.equal((await p.ask(Q, F)).rcode, 'SERVFAIL');
  assert.equal((await p.ask(Q, F)).rcode, 'SERVFAIL');
  assert.deepEqual(p.stats.failures, { u1: 2, u2: 2 });
  p.close();
});

test('a malformed reply counts as a failure and the next upstream answers', async () => {
  const p = pool({ upstreams: [scripted(1, ['garbage']), scripted(2)], policy: 'sequential' });
  assert.equal(await answered(p), '127.0.0.2');
  assert.equal(p.stats.failures.u1, 1);
});

test('max_concurrent: past it, REFUSED without asking an upstream', async () => {
  const a = scripted(1, ['hold']);
  const p = pool({ upstreams: [a], maxConcurrent: 2 });
  const pending = [p.ask(Q, F), p.ask(Q, F)];
  assert.equal((await p.ask(Q, F)).rcode, 'REFUSED');
  assert.equal(p.stats.refusedOverLimit, 1);
  a.release();
  assert.deepEqual(
    (await Promise.all(pending)).map((s) => s.rcode),
    ['NOERROR', 'NOERROR'],
  );
  assert.equal(a.queries.length, 2);
});

test('the query sent: random ID, RD, CD and DO as the client asked, EDNS 1232', async () => {
  const a = scripted(1);
  const ids = [0x1234, 0xbeef];
  const p = pool({ upstreams: [a], randomId: () => ids.shift()! });
  await p.ask(Q, { cd: true, do: true });
  await p.ask(Q, F);
  const [q1, q2] = a.queries as (DecodedPacket & { flag_rd: boolean; flag_cd: boolean })[];
  assert.deepEqual([q1!.id, q2!.id], [0x1234, 0xbeef]);
  assert.deepEqual([q1!.flag_rd, q1!.flag_cd, q2!.flag_cd], [true, true, false]);
  const opt = (q: DecodedPacket) =>
    q.additionals!.find((r) => r.type === 'OPT') as unknown as {
      udpPayloadSize: number;
      flags: number;
    };
  assert.deepEqual(
    [opt(q1!).udpPayloadSize, opt(q1!).flags & 0x8000, opt(q2!).flags & 0x8000],
    [1232, 0x8000, 0],
  );
});

test('a query of ours that comes back is a loop; once answered it is not', async () => {
  const a = scripted(1, ['hold']);
  const lines: string[] = [];
  const p = pool({ upstreams: [a], randomId: () => 4242, log: (l) => lines.push(l) });
  const pending = p.ask(Q, F);
  // The mark our query carried (an EDNS option, core/forwarder.ts LOOP_MARK_OPTION).
  const opt = a.queries[0]!.additionals!.find((r) => r.type === 'OPT') as unknown as {
    options: { code: number; data: Buffer }[];
  };
  const mark = opt.options.find((o) => o.code === 65001)!.data;
  assert.deepEqual([...mark], [...p.mark]);
  assert.equal(p.isOwnQuery(4242, { ...Q, name: 'WWW.example.com' }, mark), true);
  assert.equal(
    p.isOwnQuery(4242, Q, undefined),
    false,
    'the same ID and question without our mark is a client',
  );
  assert.equal(
    p.isOwnQuery(4242, Q, new Uint8Array(8)),
    false,
    'another mark is another forwarder',
  );
  assert.equal(p.isOwnQuery(4243, Q, mark), false, 'another ID is a client');
  assert.equal(
    p.isOwnQuery(4242, { ...Q, type: 'AAAA' }, mark),
    false,
    'another question is a client',
  );
  a.release();
  await pending;
  assert.equal(p.isOwnQuery(4242, Q, mark), false);
  assert.equal(p.stats.loops, 1);
  assert.match(lines.join('\n'), /forwarding loop: our query for WWW\.example\.com A came back/);
});

test('inline probing (the edge: no timers): a due down upstream is asked first by one query, and is back when it answers', async () => {
  let clock = 0;
  const a = scripted(1, ['fail', 'fail', 'fail', 'answer']);
  const b = scripted(2);
  const p = pool({
    upstreams: [a, b],
    policy: 'sequential',
    maxFails: 2,
    healthCheckMs: 1000,
    probe: 'inline',
    now: () => clock,
  });
  assert.deepEqual([await answered(p), await answered(p)], ['127.0.0.2', '127.0.0.2']);
  assert.equal(p.isUp('u1'), false);
  clock = 999;
  assert.equal(await answered(p), '127.0.0.2');
  assert.equal(a.queries.length, 2, 'not due yet: not asked');
  clock = 1000;
  assert.equal(await answered(p), '127.0.0.2', 'the probe query fails over');
  assert.equal(a.queries.length, 3);
  assert.equal(await answered(p), '127.0.0.2');
  assert.equal(a.queries.length, 3, 'one probe per interval');
  clock = 2000;
  assert.equal(await answered(p), '127.0.0.1', 'answered: up again');
  assert.equal(p.isUp('u1'), true);
  assert.equal(p.stats.probes, 2);
});

test('a deadline on the whole query (CoreDNS: 5 s): no more upstreams after it, and the cut one is not marked failed', async () => {
  const a = scripted(1, ['hold']);
  const b = scripted(2);
  const exchange = a.exchange.bind(a);
  // An upstream that honours the abort signal, as the real transports do.
  a.exchange = (query, signal) =>
    new Promise((resolve, reject) => {
      signal?.addEventListener('abort', () =>
        reject(new UpstreamError('u1', 'aborted', 'aborted')),
      );
      exchange(query).then(resolve, reject);
    });
  const p = pool({ upstreams: [a, b], policy: 'sequential', deadlineMs: 30 });
  const alive = setInterval(() => {}, 1000); // AbortSignal.timeout's timer is unref'd
  const s = await p.ask(Q, F);
  clearInterval(alive);
  assert.equal(s.rcode, 'SERVFAIL');
  assert.equal(b.queries.length, 0, 'the second upstream was not tried past the deadline');
  assert.deepEqual(p.stats.failures, { u1: 0, u2: 0 });
  a.release();
});

test('onFailure: told of a question no upstream answered (last error) and of the concurrency limit', async () => {
  const failures: string[] = [];
  const onFailure: PoolOptions['onFailure'] = (q, rcode, error) =>
    failures.push(`${rcode} ${q.name} ${q.type}: ${error}`);
  const p = pool({
    upstreams: [scripted(1, ['fail']), scripted(2, ['answer', 'fail'])],
    policy: 'sequential',
    maxFails: 0,
    onFailure,
  });
  assert.equal(await answered(p), '127.0.0.2');
  assert.deepEqual(failures, [], 'an answer from the second upstream is no failure');
  assert.equal(await answered(p), 'none');
  assert.deepEqual(failures, ['SERVFAIL www.example.com A: no reply']);
  const held = scripted(3, ['hold']);
  const full = pool({ upstreams: [held], maxConcurrent: 1, onFailure });
  const first = full.ask(Q, F);
  assert.equal((await full.ask(Q, F)).rcode, 'REFUSED');
  held.release();
  await first;
  assert.equal(failures[1], 'REFUSED www.example.com A: concurrent queries exceeded maximum 1');
});
