// CachedStore with serial validation and the sync's change log (serial-watch.ts 3.): which names
// a change makes it read again.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { NameNode } from '../core/record.ts';
import type { Store } from '../core/store.ts';
import { CachedStore } from './cached.ts';

const TTL = 30_000;
const node = (name: string, ip = '10.0.0.1'): NameNode => ({
  name,
  sets: [{ type: 'A', ttl: 5, data: [ip] }],
});
const A = 'a.ns.svc.cluster.local';
const B = 'b.ns.svc.cluster.local';
/** Absent at first: cached as a negative entry. */
const C = 'c.ns.svc.cluster.local';

/** Names, a change counter and its log, as the sync publishes them; reads counted. */
class FakeTable implements Store {
  nodes = new Map<string, NameNode>([A, B].map((n) => [n, node(n)]));
  counter = 1;
  log = new Map<number, string[] | 'all'>();
  reads: string[] = [];
  logReads: [number, number][] = [];
  version = 0;

  async lookup(name: string): Promise<NameNode | undefined> {
    this.reads.push(name);
    return this.nodes.get(name);
  }

  serial(): number {
    return 1;
  }

  /** As reader.ts readChanges: the names, or undefined when an item is missing or says 'all'. */
  async changes(after: number, upTo: number): Promise<string[] | undefined> {
    this.logReads.push([after, upTo]);
    const names: string[] = [];
    for (let v = after + 1; v <= upTo; v++) {
      const logged = this.log.get(v);
      if (logged === undefined || logged === 'all') return undefined;
      names.push(...logged);
    }
    return names;
  }

  /** What the sync's writer does: the items, the log item, then the counter. */
  publish(
    changes: { put?: [string, string][]; delete?: string[] },
    log: 'names' | 'all' | 'missing' = 'names',
  ): void {
    for (const [name, ip] of changes.put ?? []) this.nodes.set(name, node(name, ip));
    for (const name of changes.delete ?? []) this.nodes.delete(name);
    this.counter++;
    if (log !== 'missing')
      this.log.set(
        this.counter,
        log === 'all' ? 'all' : [...(changes.put ?? []).map(([n]) => n), ...(changes.delete ?? [])],
      );
  }
}

function setup() {
  const table = new FakeTable();
  const clock = { ms: 1_000_000 };
  const store = new CachedStore(table, {
    ttlMs: TTL,
    maxEntries: 100,
    now: () => clock.ms,
    serial: {
      read: async () => table.counter,
      changes: (after, upTo) => table.changes(after, upTo),
    },
  });
  return { table, clock, store };
}

/** A, B and C cached, past their TTL, valid on the counter; the data reads cleared. */
async function warm(s: ReturnType<typeof setup>): Promise<void> {
  await s.store.lookup(A);
  s.clock.ms += 1_000; // past the settle time of the first counter value
  for (const name of [A, B, C]) await s.store.lookup(name);
  s.clock.ms += 2 * TTL;
  for (const name of [A, B, C]) await s.store.lookup(name);
  assert.deepEqual(s.table.reads, [A, B, C, A], 'A, first read within the settle time, once more');
  s.table.reads = [];
}

test('a counter move: only the names its log names are read again', async () => {
  const cases: {
    what: string;
    publish: (t: FakeTable) => void;
    reread: string[];
    answers: (NameNode | undefined)[];
  }[] = [
    {
      what: 'A changed',
      publish: (t) => t.publish({ put: [[A, '10.0.0.2']] }),
      reread: [A],
      answers: [node(A, '10.0.0.2'), node(B), undefined],
    },
    {
      what: 'C created (a negative entry)',
      publish: (t) => t.publish({ put: [[C, '10.0.0.3']] }),
      reread: [C],
      answers: [node(A), node(B), node(C, '10.0.0.3')],
    },
    {
      what: 'B deleted',
      publish: (t) => t.publish({ delete: [B] }),
      reread: [B],
      answers: [node(A), undefined, undefined],
    },
    {
      what: 'two changes in one check',
      publish: (t) => (t.publish({ put: [[A, '10.0.0.2']] }), t.publish({ delete: [B] })),
      reread: [A, B],
      answers: [node(A, '10.0.0.2'), undefined, undefined],
    },
    {
      what: 'a name none asked for',
      publish: (t) => t.publish({ put: [['z.ns.svc.cluster.local', '10.0.0.9']] }),
      reread: [],
      answers: [node(A), node(B), undefined],
    },
    {
      what: 'the log says everything',
      publish: (t) => t.publish({ put: [[A, '10.0.0.2']] }, 'all'),
      reread: [A, B, C],
      answers: [node(A, '10.0.0.2'), node(B), undefined],
    },
    {
      what: 'a log item missing',
      publish: (t) => t.publish({ delete: [B] }, 'missing'),
      reread: [A, B, C],
      answers: [node(A), undefined, undefined],
    },
  ];
  for (const c of cases) {
    const s = setup();
    await warm(s);
    c.publish(s.table);
    s.clock.ms += 1_000;
    const answers = [];
    for (const name of [A, B, C]) answers.push(await s.store.lookup(name));
    assert.deepEqual(answers, c.answers, `${c.what}: answers`);
    assert.deepEqual(s.table.reads, c.reread, `${c.what}: data reads`);
    assert.equal(s.table.logReads.length, 1, `${c.what}: one log read`);
    s.clock.ms += 10 * TTL;
    for (const name of [A, B, C])
      assert.deepEqual(await s.store.lookup(name), c.answers[[A, B, C].indexOf(name)]);
    // Re-read within the settle time after the change was seen: once more after their TTL (rule 4).
    assert.deepEqual(s.table.reads, [...c.reread, ...c.reread], `${c.what}: then from the cache`);
  }
});

test('a busy cluster, name by name: a change every second to names nobody asks for costs no data reads', async () => {
  const s = setup();
  await warm(s);
  for (let second = 0; second < 300; second++) {
    s.table.publish({ put: [[`busy${second}.ns.svc.cluster.local`, '10.0.0.1']] });
    s.clock.ms += 1_000;
    for (const name of [A, B, C]) await s.store.lookup(name);
  }
  assert.deepEqual(s.table.reads, []);
  assert.equal(s.table.logReads.length, 300);
  assert.deepEqual([s.store.serialWatch?.namedChanges, s.store.serialWatch?.sweeps], [300, 0]);
});
