// The sync job entry (sync/main.ts) as a real process, from source under tsx, against dynalite
// through the real AWS SDK and the test Kubernetes API server: --once from a snapshot (twice: the
// second run writes nothing) and from a full list; two live replicas under one Lease, of which
// exactly one writes, and the other takes over after SIGTERM; bad flags stop it with exit 2.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NameNode } from '../functions/core/record.ts';
import { contentHash } from '../functions/store/dynamodb/codec.ts';
import { DynamoDbStore } from '../functions/store/dynamodb/reader.ts';
import { sdkReads } from '../functions/store/dynamodb/sdk-reads.ts';
import { buildCluster } from '../sync/records/cluster.ts';
import { defaultBuildOptions } from '../sync/records/options.ts';
import { readSnapshots } from '../sync/snapshot/read.ts';
import { DynamoDbWriter } from '../sync/write/dynamodb-writer.ts';
import { REPO_ROOT, SAMPLE_CLUSTER } from './support/container.ts';
import { startDynalite, type Dynalite } from './support/dynalite.ts';
import { startEntry, type EntryProcess } from './support/entry-process.ts';
import { KubeApiServer } from './support/kube-api-server.ts';
import { serviceObject } from './support/kube-objects.ts';
import { getProbe } from './support/probe-client.ts';
import { Cluster } from './support/sync-harness.ts';
import { testAwsEnv } from './support/sync-env.ts';

const ENTRY = 'sync/main.ts';
const dir = mkdtempSync(join(tmpdir(), 'edge-dns-sync-main-'));
/** A guard against a hung child process; not an assertion on speed. */
const GUARD = { timeout: 60_000 };
const env = testAwsEnv();

const sync = (args: string[]) => startEntry(ENTRY, args, { env });
const table = (db: Dynalite, cluster: string) => [
  '--cluster-id',
  cluster,
  '--table',
  db.table,
  '--region',
  'us-east-1',
  '--dynamodb-endpoint',
  db.endpoint,
];
const ROUND =
  /^edge-dns-sync: (full )?reconcile: (\d+) objects seen, \d+ units built, (\d+) items put, (\d+) deleted in \d+ ms$/;

/** The table holds exactly `expected` for `cluster`: the same names, hashes and records. */
async function assertTable(
  db: Dynalite,
  cluster: string,
  expected: Map<string, NameNode>,
): Promise<void> {
  const owned = await new DynamoDbWriter({
    client: db.client,
    table: db.table,
    cluster,
  }).listOwned();
  assert.deepEqual(
    [...owned.keys()].sort(),
    [...expected.keys()].sort(),
    `${cluster}: the table holds exactly the names the builder makes`,
  );
  const reader = new DynamoDbStore({ client: sdkReads(db.client), table: db.table, cluster });
  for (const [name, node] of expected) {
    assert.equal(owned.get(name), contentHash(node), `${cluster}: hash of ${name}`);
    assert.deepEqual(await reader.lookup(name), node, `${cluster}: ${name}`);
  }
}

/** The sample cluster's objects, in the API server and in the test's model. */
async function exitedWith(p: EntryProcess, code: number): Promise<void> {
  assert.equal(await p.exited, code, `exit code\nstderr:\n${p.stderr()}`);
}

test(
  "--once --snapshot publishes the builder's names; a second run writes nothing",
  GUARD,
  async (t) => {
    const db = await startDynalite();
    t.after(() => db.close());
    const expected = buildCluster(
      readSnapshots([join(REPO_ROOT, SAMPLE_CLUSTER)]),
      defaultBuildOptions,
    );
    const args = ['--once', '--snapshot', SAMPLE_CLUSTER, ...table(db, 'ci')];

    const first = sync(args);
    await exitedWith(first, 0);
    const firstRound = ROUND.exec(await first.waitFor(ROUND))!;
    assert.equal(firstRound[1], 'full ');
    assert.equal(Number(firstRound[3]), expected.size, 'one item put per name');
    assert.equal(firstRound[4], '0');
    await assertTable(db, 'ci', expected);

    const second = sync(args);
    await exitedWith(second, 0);
    assert.match(
      await second.waitFor(ROUND),
      /: full reconcile: \d+ objects seen, \d+ units built, 0 items put, 0 deleted in \d+ ms$/,
    );
    await assertTable(db, 'ci', expected);
  },
);

test(
  '--once --kubeconfig publishes one full list of the live cluster and exits 0',
  GUARD,
  async (t) => {
    const [db, api] = await Promise.all([startDynalite(), KubeApiServer.start()]);
    t.after(async () => {
      await api.close();
      await db.close();
    });
    const c = new Cluster(api);
    c.seedSample();
    c.apply(
      'Service',
      serviceObject('shop', 'live-only', { clusterIP: '10.96.90.1', clusterIPs: ['10.96.90.1'] }),
    );
    const kubeconfig = join(dir, 'once-kubeconfig.yaml');
    api.writeKubeconfig(kubeconfig);

    const once = sync(['--once', '--kubeconfig', kubeconfig, ...table(db, 'live-once')]);
    await exitedWith(once, 0);
    const expected = buildCluster(c.objects(), defaultBuildOptions);
    assert.ok(expected.has('live-only.shop.svc.cluster.local'));
    await assertTable(db, 'live-once', expected);
  },
);

test(
  'two live replicas under one Lease: exactly one writes; SIGTERM hands over to the other',
  GUARD,
  async (t) => {
    const [db, api] = await Promise.all([startDynalite(), KubeApiServer.start()]);
    const c = new Cluster(api);
    c.seedSample();
    const kubeconfig = join(dir, 'live-kubeconfig.yaml');
    api.writeKubeconfig(kubeconfig);
    // A short Lease keeps the test fast: the standby retries every 2/15 of it (0.8 s).
    const config = join(dir, 'sync.yaml');
    writeFileSync(config, 'lease:\n  durationSeconds: 6\n');
    const replica = (identity: string) =>
      sync([
        '--config',
        config,
        '--kubeconfig',
        kubeconfig,
        ...table(db, 'lead'),
        '--lease-namespace',
        'default',
        '--identity',
        identity,
        '--health',
        '127.0.0.1:0',
      ]);
    const replicas = { a: replica('a'), b: replica('b') };
    t.after(async () => {
      await Promise.all(Object.values(replicas).map((p) => p.stop()));
      await api.close();
      await db.close();
    });
    const lease = () =>
      (api.get('Lease', 'default', 'edge-dns-sync-lead')?.spec ?? {}) as {
        holderIdentity?: string;
        leaseTransitions?: number;
      };
    const rounds = (p: EntryProcess) => p.lines().filter((l) => ROUND.test(l.text)).length;
    const acquired = (p: EntryProcess) =>
      p.lines().filter((l) => / acquired by /.test(l.text)).length;

    // Both started (under tsx, on a loaded machine, start-up alone can take most of a wait's
    // deadline): the wait below is then on the election and the first publish only.
    await Promise.all(
      Object.values(replicas).map((p) => p.waitFor(/: watching http:\S+ for cluster lead; /)),
    );
    // Whichever publishes first is the leader (the other's wait stays pending, its guard timer unref'd).
    const publishing = (id: 'a' | 'b') => replicas[id].waitFor(/: full reconcile: /).then(() => id);
    const first = await Promise.any([publishing('a'), publishing('b')]);
    const second = first === 'a' ? 'b' : 'a';
    const leader = replicas[first];
    const standby = replicas[second];

    await t.test(
      'exactly one replica holds the Lease and writes; both watch, both are ready',
      async () => {
        await leader.waitFor(
          new RegExp(`lease default/edge-dns-sync-lead: acquired by ${first}, term 0$`),
        );
        assert.equal(lease().holderIdentity, first);
        assert.equal(rounds(standby), 0, 'the standby writes nothing');
        await standby.waitFor(
          new RegExp(
            `watching http://127\\.0\\.0\\.1:\\d+ for cluster lead; writing ${db.table} while holding Lease default/edge-dns-sync-lead as ${second}$`,
          ),
        );
        await assertTable(db, 'lead', buildCluster(c.objects(), defaultBuildOptions));
        for (const p of [leader, standby]) {
          const probes = /probes on (http:\/\/\S+)\/health/.exec(
            await p.waitFor(/: probes on http:\/\/\S+\/health and \/ready$/),
          )![1];
          assert.equal((await getProbe(`${probes}/health`)).status, 200);
          assert.equal((await getProbe(`${probes}/ready`)).status, 200);
        }
      },
    );

    await t.test('a Service added is published by the leader alone', async () => {
      const from = leader.mark();
      c.apply(
        'Service',
        serviceObject('shop', 'added', { clusterIP: '10.96.90.2', clusterIPs: ['10.96.90.2'] }),
      );
      await publishedBy(leader, from, db, 'lead', c);
      assert.equal(rounds(standby), 0, 'the standby wrote nothing');
      assert.equal(acquired(standby), 0, 'the standby never held the Lease');
      assert.equal(lease().holderIdentity, first);
    });

    await t.test(
      'SIGTERM to the leader: exit 0, Lease released; the other takes over and publishes the next change',
      async () => {
        const from = standby.mark();
        assert.equal(await leader.stop('SIGTERM'), 0);
        assert.match(
          leader.stderr(),
          new RegExp(`lease default/edge-dns-sync-lead: released by ${first}\\n`),
        );
        assert.notEqual(lease().holderIdentity, first);
        await standby.waitFor(
          new RegExp(`lease default/edge-dns-sync-lead: acquired by ${second}, term 1$`),
          { from },
        );
        await standby.waitFor(/: full reconcile: /, { from });
        assert.deepEqual([lease().holderIdentity, lease().leaseTransitions], [second, 1]);

        const next = standby.mark();
        c.apply(
          'Service',
          serviceObject('shop', 'after-handover', {
            clusterIP: '10.96.90.3',
            clusterIPs: ['10.96.90.3'],
          }),
        );
        c.remove('Service', 'shop', 'added');
        await publishedBy(standby, next, db, 'lead', c);

        assert.equal(await standby.stop('SIGTERM'), 0);
        assert.equal(lease().holderIdentity, '', 'the last replica released the Lease');
      },
    );
  },
);

/**
 * Awaits `p`'s reconcile rounds logged from line `from` on until the table holds what the builder
 * makes from the model (changes may land in one round or several), then checks every record.
 */
async function publishedBy(
  p: EntryProcess,
  from: number,
  db: Dynalite,
  cluster: string,
  c: Cluster,
): Promise<void> {
  const expected = buildCluster(c.objects(), defaultBuildOptions);
  const want = [...expected.keys()].sort().join('\n');
  for (let next = from; ;) {
    await p.waitFor(ROUND, { from: next });
    next = p.lines().findIndex((l, i) => i >= next && ROUND.test(l.text)) + 1;
    const owned = await new DynamoDbWriter({
      client: db.client,
      table: db.table,
      cluster,
    }).listOwned();
    if ([...owned.keys()].sort().join('\n') === want) break;
  }
  await assertTable(db, cluster, expected);
}

const badFlags: {
  why: string;
  args: (db: { table: string; endpoint: string }) => string[];
  message: RegExp;
}[] = [
  {
    why: 'no --cluster-id',
    args: (db) => [
      '--once',
      '--snapshot',
      SAMPLE_CLUSTER,
      '--table',
      db.table,
      '--region',
      'us-east-1',
    ],
    message: /^edge-dns-sync: command line: clusterId: /m,
  },
  {
    why: 'a bad --cluster-id',
    args: (db) => [
      '--once',
      '--snapshot',
      SAMPLE_CLUSTER,
      '--cluster-id',
      'Not_A_Label',
      '--table',
      db.table,
      '--region',
      'us-east-1',
    ],
    message: /^edge-dns-sync: --cluster-id Not_A_Label: clusterId: expected a cluster id/m,
  },
  {
    why: 'no source',
    args: (db) => ['--cluster-id', 'ci', '--table', db.table, '--region', 'us-east-1'],
    message: /^edge-dns-sync: command line: kubernetes: no source/m,
  },
  {
    why: 'an unknown flag',
    args: (db) => ['--cluster-id', 'ci', '--table', db.table, '--colour'],
    message: /^edge-dns-sync: command line: .*colour/m,
  },
];

for (const c of badFlags) {
  test(`bad flags stop the sync with exit 2: ${c.why}`, GUARD, async () => {
    const p = sync(c.args({ table: 'edge-dns', endpoint: 'http://127.0.0.1:9' }));
    await exitedWith(p, 2);
    assert.match(p.stderr(), c.message);
    assert.doesNotMatch(p.stderr(), /\n\s+at /, 'a message, not a stack trace');
  });
}
