// The two commands as a user runs them (package.json `bin`, bin/*.mjs): `npx edge-dns` and
// `npx edge-dns-sync` --help and --version; config errors with file, line and column, and
// --validate, from a real process; a config file's paths read relative to the file; and
// `edge-dns-sync --create-table` against dynalite.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { tableDefinition } from '../functions/store/dynamodb/codec.ts';
import { DynamoDbWriter } from '../sync/write/dynamodb-writer.ts';
import { syncFlags } from '../sync/config/sync-flags.ts';
import { REPO_ROOT, SAMPLE_CLUSTER, parseReadyLine } from './support/container.ts';
import { makeQuery, queryUdp } from './support/dns-client.ts';
import { startDynalite, type Dynalite } from './support/dynalite.ts';
import { startEntry } from './support/entry-process.ts';
import { toPresentation } from './support/presentation.ts';
import { runCommand } from './support/readme-commands.ts';
import { testAwsEnv } from './support/sync-env.ts';

const GUARD = { timeout: 60_000 };
const dir = mkdtempSync(join(tmpdir(), 'edge-dns-cli-'));
const version = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')).version;
const env = testAwsEnv();

const bin = (name: string) => [process.execPath, join(REPO_ROOT, 'bin', `${name}.mjs`)];
const file = (name: string, text: string) => {
  const path = join(dir, name);
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, text);
  return path;
};

test('npx edge-dns-sync --help describes every flag; --version; both exit 0', GUARD, async () => {
  const help = await runCommand('npx edge-dns-sync --help');
  assert.equal(help.code, 0, help.stderr);
  assert.match(help.stdout, /^usage: edge-dns-sync /);
  for (const row of syncFlags) assert.match(help.stdout, new RegExp(`^  --${row.flag}\\b`, 'm'));
  const v = await runCommand('npx edge-dns-sync --version');
  assert.deepEqual([v.code, v.stdout], [0, `edge-dns-sync ${version}\n`]);
});

// Each problem on one line, naming the file, line and column, or the flag; exit 2.
const badConfigs: { why: string; args: () => string[]; stderr: RegExp }[] = [
  {
    why: 'a YAML syntax error',
    args: () => ['--config', file('syntax.yaml', 'dns:\n  listen: [127.0.0.1:53\nttl: 5\n')],
    stderr: /^edge-dns: \S*syntax\.yaml:3:1: not valid YAML or JSON: /m,
  },
  {
    why: 'a JSON syntax error',
    args: () => [
      '--config',
      file('syntax.json', '{\n  "dns": {"listen": "127.0.0.1:0"}\n  "x": 1\n}\n'),
    ],
    stderr:
      /^edge-dns: \S*syntax\.json:3:3: not valid YAML or JSON: Missing , between flow map items$/m,
  },
  {
    why: 'a key of the wrong type, and an unknown key',
    args: () => [
      '--config',
      file('keys.yaml', 'snapshots: [a.json]\nkubernetes:\n  ttl: lots\n  zone: [x]\n'),
    ],
    stderr:
      /^edge-dns: \S*keys\.yaml:3:3: kubernetes\.ttl: .*expected number.*\n\S*keys\.yaml:4:3: kubernetes\.zone: unknown key$/m,
  },
  {
    why: 'a flag',
    args: () => ['--snapshot', SAMPLE_CLUSTER, '--ttl', '4000'],
    stderr: /^edge-dns: command line: --ttl: expected a whole number 0\.\.3600, got "4000"$/m,
  },
];
for (const c of badConfigs) {
  test(`edge-dns: ${c.why} stops it (and --validate) with exit 2`, GUARD, async () => {
    for (const validate of [[], ['--validate']]) {
      const p = startEntry('bin/edge-dns.mjs', [...validate, ...c.args()], {
        command: bin('edge-dns'),
      });
      assert.equal(await p.exited, 2, p.stderr());
      assert.match(p.stderr(), c.stderr);
      assert.equal(p.stdout(), '');
    }
  });
}

test(
  '--validate: ok, exit 0, nothing bound; a missing file named where it was given',
  GUARD,
  async () => {
    const ok = startEntry('bin/edge-dns.mjs', ['--validate', '--snapshot', SAMPLE_CLUSTER], {
      command: bin('edge-dns'),
    });
    assert.equal(await ok.exited, 0, ok.stderr());
    assert.equal(ok.stdout(), 'ok\n');
    const config = file('missing.yaml', 'dns:\n  listen: 127.0.0.1:0\nsnapshots: [gone.json]\n');
    const bad = startEntry('bin/edge-dns.mjs', ['--validate', '--config', config], {
      command: bin('edge-dns'),
    });
    assert.equal(await bad.exited, 2);
    assert.match(
      bad.stderr(),
      /missing\.yaml:3:13: snapshots\[0\]: cannot read \S*gone\.json: ENOENT/,
    );
  },
);

test(
  "a config file's paths are relative to the file; a flag's to the working directory",
  GUARD,
  async (t) => {
    // conf/edge.yaml names `cluster.json` beside it; the process runs in the repository root.
    const conf = join(dir, 'conf');
    mkdirSync(conf, { recursive: true });
    copyFileSync(join(REPO_ROOT, SAMPLE_CLUSTER), join(conf, 'cluster.json'));
    const loop = file(
      'loop.json',
      JSON.stringify({
        kind: 'List',
        items: [
          { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'loop' } },
          {
            apiVersion: 'v1',
            kind: 'Service',
            metadata: { name: 'web', namespace: 'loop' },
            spec: { type: 'ClusterIP', clusterIP: '10.96.7.7', clusterIPs: ['10.96.7.7'] },
          },
        ],
      }),
    );
    const config = file(
      'conf/edge.yaml',
      'snapshots: [cluster.json]\ndns:\n  listen: 127.0.0.1:0\n',
    );
    const p = startEntry(
      'bin/edge-dns.mjs',
      ['--config', config, '--snapshot', relative(REPO_ROOT, loop)],
      { command: bin('edge-dns') },
    );
    t.after(() => p.stop());
    const addr = parseReadyLine(await p.waitFor(/^edge-dns ready:/, { timeoutMs: 30_000 }));
    assert.ok(addr);
    for (const [name, line] of [
      [
        'kubernetes.default.svc.cluster.local',
        'kubernetes.default.svc.cluster.local. 5 IN A 10.96.0.1',
      ],
      ['web.loop.svc.cluster.local', 'web.loop.svc.cluster.local. 5 IN A 10.96.7.7'],
    ] as const) {
      const reply = await queryUdp(addr.udp, makeQuery(name, 'A'));
      assert.deepEqual(reply.answers?.map(toPresentation), [line]);
    }
  },
);

async function syncTo(db: Dynalite, table: string, args: string[]) {
  const p = startEntry(
    'bin/edge-dns-sync.mjs',
    ['--table', table, '--region', 'us-east-1', '--dynamodb-endpoint', db.endpoint, ...args],
    { command: bin('edge-dns-sync'), env },
  );
  return { code: await p.exited, stderr: p.stderr() };
}

test(
  'edge-dns-sync --create-table: creates the table, again finds it; then syncs',
  GUARD,
  async (t) => {
    const db = await startDynalite({ createTable: false });
    t.after(() => db.close());
    const first = await syncTo(db, 'made', ['--create-table']);
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stderr, /^edge-dns-sync: table made created, ACTIVE$/m);
    const { Table } = await db.client.send(new DescribeTableCommand({ TableName: 'made' }));
    assert.deepEqual(Table?.KeySchema, tableDefinition('made').KeySchema);
    const again = await syncTo(db, 'made', ['--create-table']);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stderr, /^edge-dns-sync: table made exists, ACTIVE$/m);
    // With a source, it goes on: here --once publishes the snapshot into the new table.
    const once = await syncTo(db, 'fresh', [
      '--create-table',
      '--cluster-id',
      'ci',
      '--once',
      '--snapshot',
      SAMPLE_CLUSTER,
    ]);
    assert.equal(once.code, 0, once.stderr);
    const owned = await new DynamoDbWriter({
      client: db.client,
      table: 'fresh',
      cluster: 'ci',
    }).listOwned();
    assert.ok(owned.has('kubernetes.default.svc.cluster.local'), [...owned.keys()].join(' '));
    // Without --create-table, a missing table is an error, not created.
    const missing = await syncTo(db, 'absent', [
      '--cluster-id',
      'ci',
      '--once',
      '--snapshot',
      SAMPLE_CLUSTER,
    ]);
    assert.notEqual(missing.code, 0);
  },
);
