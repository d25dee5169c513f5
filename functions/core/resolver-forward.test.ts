// The resolver with a forwarder (docs/architecture.md §6.12: outside our zones, forward when
// configured; §6.5: CNAME targets that leave our zones). The forwarder here is a table of
// upstream answers written in the test; the real forwarders are tested in test/forward-*.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as dnsPacket from 'dns-packet';
import type { Answer } from 'dns-packet';
import { forwardSource, resolve, resolveNow } from './resolver.ts';
import { kubernetesZone } from './zone.ts';
import { AnswerCache } from './answer-cache.ts';
import { emptySections, type Sections } from './sections.ts';
import type { ForwardFlags, ForwardQuestion, Forwarder } from './forwarder.ts';
import { MemoryStore } from '../store/memory.ts';
import { nodesFromText } from '../../test/support/records.ts';
import { toPresentation } from '../../test/support/presentation.ts';

const RD = dnsPacket.RECURSION_DESIRED;
const CD = dnsPacket.CHECKING_DISABLED;
const RA = dnsPacket.RECURSION_AVAILABLE;
const AA = dnsPacket.AUTHORITATIVE_ANSWER;

const store = new MemoryStore();
store.replaceAll(
  nodesFromText([
    'svc.cluster.local. ENT',
    'shop.svc.cluster.local. ENT',
    'billing.shop.svc.cluster.local. 5 IN CNAME billing.example.com.',
    'gone.shop.svc.cluster.local. 5 IN CNAME gone.example.com.',
    'broken.shop.svc.cluster.local. 5 IN CNAME broken.example.com.',
  ]),
  7,
);
const zones = [kubernetesZone('cluster.local', 5)];

const rr = (name: string, data: string, ttl = 300): Answer => ({
  name,
  type: 'A',
  class: 'IN',
  ttl,
  data,
});
const soa: Answer = {
  name: 'example.com',
  type: 'SOA',
  class: 'IN',
  ttl: 900,
  data: {
    mname: 'ns.example.com',
    rname: 'h.example.com',
    serial: 1,
    refresh: 1,
    retry: 1,
    expire: 1,
    minimum: 60,
  },
};
/** What the upstream answers, by name. */
const upstream: Record<string, Sections> = {
  'billing.example.com': {
    ...emptySections('NOERROR'),
    answers: [rr('billing.example.com', '127.0.0.7')],
  },
  'www.example.com': {
    ...emptySections('NOERROR'),
    answers: [rr('www.example.com', '127.0.0.8')],
    additionals: [{ type: 'OPT', name: '.', udpPayloadSize: 4096 } as unknown as Answer],
  },
  'gone.example.com': { ...emptySections('NXDOMAIN'), authorities: [soa] },
  'missing.example.com': { ...emptySections('NXDOMAIN'), authorities: [soa] },
  'broken.example.com': emptySections('SERVFAIL'),
  'busy.example.com': emptySections('REFUSED'),
};

/** The table as a forwarder; `marks` adds what a caching forwarder says (cacheableMs, stale). */
function forwarder(
  handles: (name: string) => boolean,
  marks: Pick<Sections, 'cacheableMs' | 'stale'> = {},
): Forwarder & { asked: [ForwardQuestion, ForwardFlags][] } {
  const asked: [ForwardQuestion, ForwardFlags][] = [];
  return {
    asked,
    handles,
    async forward(question, flags) {
      asked.push([question, flags]);
      return { ...structuredClone(upstream[question.name] ?? emptySections('SERVFAIL')), ...marks };
    },
  };
}

const query = (name: string, o: { flags?: number; opt?: number } = {}) =>
  dnsPacket.encode({
    type: 'query',
    id: 9,
    flags: o.flags ?? RD,
    questions: [{ name, type: 'A', class: 'IN' }],
    additionals:
      o.opt === undefined
        ? []
        : [{ type: 'OPT', name: '.', udpPayloadSize: 1232, flags: o.opt } as unknown as Answer],
  });

const everything = () => true;
const stubOnly = (name: string) => name === 'example.com' || name.endsWith('.example.com');

const cases: {
  q: string;
  handles?: (name: string) => boolean;
  rcode: string;
  aa: boolean;
  answer: string[];
  authority?: string[];
}[] = [
  { q: 'www.example.com', rcode: 'REFUSED', aa: false, answer: [] }, // no forwarder: never an open resolver
  {
    q: 'www.example.com',
    handles: everything,
    rcode: 'NOERROR',
    aa: false,
    answer: ['www.example.com. 300 IN A 127.0.0.8'],
  },
  {
    q: 'WWW.Example.com',
    handles: everything,
    rcode: 'NOERROR',
    aa: false,
    answer: ['WWW.Example.com. 300 IN A 127.0.0.8'],
  }, // 0x20 echoed
  {
    q: 'missing.example.com',
    handles: everything,
    rcode: 'NXDOMAIN',
    aa: false,
    answer: [],
    authority: ['example.com. 900 IN SOA ns.example.com. h.example.com. 1 1 1 1 60'],
  },
  { q: 'www.example.org', handles: stubOnly, rcode: 'REFUSED', aa: false, answer: [] }, // a stub zone forwards only its names
  {
    q: 'www.example.com',
    handles: stubOnly,
    rcode: 'NOERROR',
    aa: false,
    answer: ['www.example.com. 300 IN A 127.0.0.8'],
  },
  // ExternalName: our CNAME (authoritative), then the upstream's answer for its target.
  {
    q: 'billing.shop.svc.cluster.local',
    rcode: 'NOERROR',
    aa: true,
    answer: ['billing.shop.svc.cluster.local. 5 IN CNAME billing.example.com.'],
  },
  {
    q: 'billing.shop.svc.cluster.local',
    handles: everything,
    rcode: 'NOERROR',
    aa: true,
    answer: [
      'billing.shop.svc.cluster.local. 5 IN CNAME billing.example.com.',
      'billing.example.com. 300 IN A 127.0.0.7',
    ],
  },
  // RFC 6604 §3: the rcode is the last name's.
  {
    q: 'gone.shop.svc.cluster.local',
    handles: everything,
    rcode: 'NXDOMAIN',
    aa: true,
    answer: ['gone.shop.svc.cluster.local. 5 IN CNAME gone.example.com.'],
    authority: ['example.com. 900 IN SOA ns.example.com. h.example.com. 1 1 1 1 60'],
  },
  {
    q: 'broken.shop.svc.cluster.local',
    handles: everything,
    rcode: 'SERVFAIL',
    aa: true,
    answer: ['broken.shop.svc.cluster.local. 5 IN CNAME broken.example.com.'],
  },
];

for (const c of cases) {
  test(`${c.q} A, ${c.handles === undefined ? 'no forwarder' : c.handles === everything ? 'forward .' : 'forward example.com'}: ${c.rcode}`, async () => {
    const forward = c.handles && forwarder(c.handles);
    const reply = dnsPacket.decode(
      (await resolve(query(c.q), 'udp', { store, zones, ...(forward && { forward }) }))!,
    );
    assert.equal(
      ['NOERROR', 'FORMERR', 'SERVFAIL', 'NXDOMAIN', 'NOTIMP', 'REFUSED'][reply.flags! & 0xf],
      c.rcode,
    );
    assert.equal((reply.flags! & AA) !== 0, c.aa, 'AA');
    assert.equal(
      (reply.flags! & RA) !== 0,
      forward !== undefined,
      'RA set exactly when a forwarder is configured',
    );
    assert.deepEqual(reply.answers!.map(toPresentation), c.answer);
    assert.deepEqual(reply.authorities!.map(toPresentation), c.authority ?? []);
  });
}

test('the upstream OPT is not passed on; ours is (RFC 6891 §6.1.1)', async () => {
  const reply = dnsPacket.decode(
    (await resolve(query('www.example.com', { opt: 0 }), 'udp', {
      store,
      zones,
      forward: forwarder(everything),
    }))!,
  );
  const opts = reply.additionals!.filter((r) => r.type === 'OPT') as unknown as {
    udpPayloadSize: number;
  }[];
  assert.deepEqual(
    opts.map((o) => o.udpPayloadSize),
    [1232],
  );
});

test('CD and DO reach the forwarder (RFC 4035 §3.2)', async () => {
  const forward = forwarder(everything);
  await resolve(query('www.example.com', { flags: RD | CD, opt: 0x8000 }), 'udp', {
    store,
    zones,
    forward,
  });
  await resolve(query('www.example.com'), 'udp', { store, zones, forward });
  assert.deepEqual(
    forward.asked.map(([, f]) => f),
    [
      { cd: true, do: true },
      { cd: false, do: false },
    ],
  );
  assert.deepEqual(forward.asked[0]![0], { name: 'www.example.com', type: 'A', class: 'IN' });
});

test('without a clock, forwarded answers never enter the answer cache (their TTLs age)', async () => {
  const forward = forwarder(everything);
  const ctx = { store, zones, forward, answerCache: new AnswerCache() };
  for (const name of [
    'www.example.com',
    'billing.shop.svc.cluster.local',
    'www.example.com',
    'billing.shop.svc.cluster.local',
  ])
    await resolveNow(query(name), 'udp', ctx);
  assert.equal(forward.asked.length, 4);
});

test('forwardSource tells an upstream answer, a forward-cache answer and our own apart (metrics)', async () => {
  const ctx = (marks: Pick<Sections, 'cached'> = {}) => ({
    store,
    zones,
    forward: {
      ...forwarder(everything),
      forward: async () => ({ ...upstream['www.example.com']!, ...marks }),
    },
  });
  const table: [string, Uint8Array | null, 'forward' | 'cache' | undefined][] = [
    ['an upstream answer', await resolve(query('www.example.com'), 'udp', ctx()), 'forward'],
    [
      'from the forward cache',
      await resolve(query('www.example.com'), 'udp', ctx({ cached: true })),
      'cache',
    ],
    [
      'an ExternalName chased upstream',
      await resolve(query('billing.shop.svc.cluster.local'), 'udp', ctx()),
      'forward',
    ],
    ['our zone (AA)', await resolve(query('shop.svc.cluster.local'), 'udp', ctx()), undefined],
    [
      'REFUSED, no forwarder',
      await resolve(query('www.example.com'), 'udp', { store, zones }),
      undefined,
    ],
  ];
  for (const [what, reply, source] of table) assert.equal(forwardSource(reply!), source, what);
});

test('a query the forwarder sent that comes back to us is answered SERVFAIL, not forwarded again', async () => {
  const ours = Buffer.from([1, 2, 3, 4, 5, 6, 7, 8]);
  const forward = {
    ...forwarder(everything),
    isLoop: (id: number, q: ForwardQuestion, mark: Uint8Array) =>
      id === 9 && q.name === 'www.example.com' && Buffer.from(mark).equals(ours),
  };
  const marked = (data: Buffer) =>
    dnsPacket.encode({
      type: 'query',
      id: 9,
      flags: RD,
      questions: [{ name: 'WWW.example.com', type: 'A', class: 'IN' }],
      additionals: [
        {
          type: 'OPT',
          name: '.',
          udpPayloadSize: 1232,
          options: [{ code: 65001, data }],
        } as unknown as Answer,
      ],
    });
  const reply = dnsPacket.decode((await resolve(marked(ours), 'udp', { store, zones, forward }))!);
  assert.equal(reply.flags! & 0xf, 2, 'SERVFAIL');
  assert.equal(forward.asked.length, 0);
  // The same ID and question from a client (no mark, or another one) is forwarded.
  for (const q of [query('WWW.example.com'), marked(Buffer.alloc(8))])
    assert.equal(
      dnsPacket.decode((await resolve(q, 'udp', { store, zones, forward }))!).flags! & 0xf,
      0,
    );
  assert.equal(forward.asked.length, 2);
});

// With a clock (ctx.now), forwarded NOERROR and NXDOMAIN answers are kept as bytes too, their TTLs
// counting down (RFC 1035 §6.1), for at most what the forwarder allows (Sections.cacheableMs).
const HOUR = 3_600_000;

function clocked(
  marks: Pick<Sections, 'cacheableMs' | 'stale'> = { cacheableMs: HOUR },
  s: MemoryStore = store,
) {
  const clock = { t: 1_700_000_000_000 };
  const forward = forwarder(everything, marks);
  const ctx = { store: s, zones, forward, answerCache: new AnswerCache(), now: () => clock.t };
  const ask = async (name: string, o: { flags?: number; id?: number } = {}) => {
    const q = Buffer.from(query(name, o));
    q.writeUInt16BE(o.id ?? 9, 0);
    const reply = resolveNow(q, 'udp', ctx);
    const sync = !(reply instanceof Promise);
    const packet = dnsPacket.decode((await reply)!);
    return {
      sync,
      packet,
      answer: packet.answers!.map(toPresentation),
      authority: packet.authorities!.map(toPresentation),
    };
  };
  return { clock, forward, ctx, ask };
}

test('a forwarded hit comes from bytes, synchronously, with its own ID and its TTLs aging', async () => {
  const { clock, forward, ask } = clocked();
  const first = await ask('www.example.com', { id: 1 });
  assert.deepEqual([first.sync, first.answer], [false, ['www.example.com. 300 IN A 127.0.0.8']]);
  clock.t += 10_500;
  const second = await ask('www.example.com', { id: 2, flags: 0 });
  assert.deepEqual(
    [second.sync, second.packet.id, second.packet.flag_rd, second.packet.flag_ra, second.answer],
    [true, 2, false, true, ['www.example.com. 290 IN A 127.0.0.8']],
  );
  assert.equal(forward.asked.length, 1, 'the forwarder is asked once for two queries');
  const nx = [
    await ask('missing.example.com'),
    ((clock.t += 30_000), await ask('missing.example.com')),
  ];
  assert.deepEqual(
    nx.map((r) => [r.sync, r.packet.flags! & 0xf, r.authority]),
    [
      [false, 3, ['example.com. 900 IN SOA ns.example.com. h.example.com. 1 1 1 1 60']],
      [true, 3, ['example.com. 870 IN SOA ns.example.com. h.example.com. 1 1 1 1 60']],
    ],
  );
  assert.equal(forward.asked.length, 2);
});

test('forwarded answers kept as bytes: no longer than the forwarder allows, and never what should be asked again', async () => {
  const cases: {
    name: string;
    q: string;
    marks?: Pick<Sections, 'cacheableMs' | 'stale'>;
    after: number;
    asked: number;
  }[] = [
    {
      name: 'within cacheableMs',
      q: 'www.example.com',
      marks: { cacheableMs: 20_000 },
      after: 19_999,
      asked: 1,
    },
    {
      name: 'cacheableMs ran out (a prefetch window opened)',
      q: 'www.example.com',
      marks: { cacheableMs: 20_000 },
      after: 20_000,
      asked: 2,
    },
    { name: 'the smallest TTL ran out', q: 'www.example.com', after: 300_000, asked: 2 },
    {
      name: 'no cacheableMs: the forwarder did not cache it',
      q: 'www.example.com',
      marks: {},
      after: 0,
      asked: 2,
    },
    {
      name: 'a stale answer (RFC 8767): would hide the recovery',
      q: 'www.example.com',
      marks: { stale: true, cacheableMs: HOUR },
      after: 0,
      asked: 2,
    },
    { name: 'SERVFAIL', q: 'broken.example.com', after: 0, asked: 2 },
    { name: 'REFUSED (a full pool)', q: 'busy.example.com', after: 0, asked: 2 },
    {
      name: 'a chased CNAME whose upstream failed: SERVFAIL',
      q: 'broken.shop.svc.cluster.local',
      after: 0,
      asked: 2,
    },
  ];
  for (const c of cases) {
    const { clock, forward, ask } = clocked(c.marks);
    await ask(c.q);
    clock.t += c.after;
    await ask(c.q);
    assert.equal(forward.asked.length, c.asked, c.name);
  }
});

test('CD changes what the upstream answers (RFC 4035 §3.2.2): a bytes hit only for the same CD bit', async () => {
  const { forward, ask } = clocked();
  await ask('www.example.com');
  assert.equal((await ask('www.example.com', { flags: RD | CD })).sync, false);
  assert.deepEqual(
    forward.asked.map(([, f]) => f.cd),
    [false, true],
  );
});

test('an ExternalName CNAME chased upstream ages too, bounded by our CNAME TTL', async () => {
  const { clock, forward, ask } = clocked();
  await ask('billing.shop.svc.cluster.local');
  clock.t += 2_000;
  const hit = await ask('billing.shop.svc.cluster.local');
  assert.deepEqual(
    [hit.sync, hit.packet.flag_aa, hit.answer],
    [
      true,
      true,
      [
        'billing.shop.svc.cluster.local. 3 IN CNAME billing.example.com.',
        'billing.example.com. 298 IN A 127.0.0.7',
      ],
    ],
  );
  clock.t += 3_000;
  const again = await ask('billing.shop.svc.cluster.local');
  assert.deepEqual(
    [again.sync, again.answer[0]],
    [false, 'billing.shop.svc.cluster.local. 5 IN CNAME billing.example.com.'],
  );
  assert.equal(forward.asked.length, 2);
});

test('a new store version drops the forwarded answers kept as bytes', async () => {
  const own = new MemoryStore();
  own.replaceAll(nodesFromText(['svc.cluster.local. ENT']), 1);
  const { forward, ask } = clocked(undefined, own);
  await ask('www.example.com');
  await ask('www.example.com');
  own.replaceAll(nodesFromText(['svc.cluster.local. ENT']), 2);
  await ask('www.example.com');
  assert.equal(forward.asked.length, 2);
});
