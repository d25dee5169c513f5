// The node-local DaemonSet (infra/kubernetes/node-local) run as the kubelet would run it, in a
// network namespace this test makes in place of a node: its interface sidecar (the setup script
// from the ConfigMap, with the manifest's command, arguments and startup probe) puts 169.254.20.10
// on a dummy interface with the NOTRACK rules; its DNS container (the manifest's arguments) answers
// there. Behind it, inside the namespace: an edge-dns on the sample cluster as the cluster DNS
// (edge-dns-upstream), and a scripted resolver as the node's resolv.conf. Cluster names must come
// over TCP from the first, others from the second, a repeated question from the cache; SIGTERM
// must remove the interface and the rules. Needs root and ip (iproute2), iptables, dig, curl.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SAMPLE_CLUSTER } from './support/container.ts';
import { startEntry, type EntryProcess } from './support/entry-process.ts';
import { requireTool, run } from './support/tools.ts';
import { parseClientOutput } from './support/client-output.ts';
import { nodeLocalShape, type NodeLocalShape } from './support/node-local-shape.ts';

const LOCAL = '169.254.20.10';
/** Inside the namespace: where edge-dns-upstream's ClusterIP would be, and the node's resolver. */
const CLUSTER_DNS = '127.0.0.20';
const NODE_RESOLVER = '127.0.0.53';
const NS = `edge-dns-test-${process.pid}`;
const inNs = ['ip', 'netns', 'exec', NS];

let skip: string | undefined;
let shape: NodeLocalShape;
let dir = '';
let madeNs = false;
const started: EntryProcess[] = [];
let sidecar: EntryProcess;
let scripted: EntryProcess;

const ns = (cmd: string, ...args: string[]) => run('ip', ['netns', 'exec', NS, cmd, ...args]);
const inside = (
  entry: string,
  args: string[],
  o: { command?: string[]; env?: NodeJS.ProcessEnv } = {},
) => {
  const p = startEntry(entry, args, { prefix: inNs, ...o });
  started.push(p);
  return p;
};
/** Set when the kernel has no dummy driver (some VMs): the script then makes a bridge, its stand-in. */
let interfaceType: string | undefined;

before(async () => {
  if (process.getuid?.() !== 0) {
    skip = 'needs root to make a network namespace (ip netns add)';
    return;
  }
  skip = ['ip', 'iptables', 'dig', 'curl'].map((t) => requireTool(t)).find(Boolean);
  if (skip) return;
  dir = mkdtempSync(join(tmpdir(), 'edge-dns-node-local-'));
  writeFileSync(join(dir, 'resolv.conf'), `nameserver ${NODE_RESOLVER}\n`);
  // The ConfigMap's files where the pod mounts them; the kubelet's variable for the Service.
  shape = nodeLocalShape({
    configDir: dir,
    resolvConf: join(dir, 'resolv.conf'),
    env: { EDGE_DNS_UPSTREAM_SERVICE_HOST: CLUSTER_DNS },
  });
  await run('ip', ['netns', 'add', NS]);
  madeNs = true;
  await ns('ip', 'link', 'set', 'lo', 'up');
  // Cluster names must come over TCP: UDP to the cluster DNS goes nowhere.
  await ns(
    'iptables',
    '-A',
    'OUTPUT',
    '-p',
    'udp',
    '-d',
    CLUSTER_DNS,
    '--dport',
    '53',
    '-j',
    'DROP',
  );

  // The dummy driver is a module some kernels lack; the script's bridge is its stand-in there.
  await ns('ip', 'link', 'add', 'probe0', 'type', 'dummy').then(
    () => ns('ip', 'link', 'delete', 'probe0'),
    () => (interfaceType = 'bridge'),
  );
  const env = { ...process.env, ...(interfaceType && { EDGE_DNS_INTERFACE_TYPE: interfaceType }) };
  sidecar = inside('node-local-interface.sh', shape.interface.args, {
    command: shape.interface.command,
    env,
  });
  await sidecar.waitFor(/nodelocaldns up with/);
  const cluster = inside('functions/entry/container.ts', [
    '--snapshot',
    SAMPLE_CLUSTER,
    '--dns',
    `${CLUSTER_DNS}:53`,
    '--metrics',
    `${CLUSTER_DNS}:9153`,
  ]);
  const script = [{ name: 'example.com', type: 'A', answers: [['A', '192.0.2.1', 300]] }];
  scripted = inside('test/support/scripted-upstream-process.ts', [
    NODE_RESOLVER,
    '53',
    JSON.stringify(script),
  ]);
  const local = inside('functions/entry/container.ts', shape.dns.args);
  await Promise.all([
    cluster.waitFor(/edge-dns ready/, { timeoutMs: 30_000 }),
    scripted.waitFor(/^listening /, { timeoutMs: 30_000 }),
    local.waitFor(/edge-dns ready/, { timeoutMs: 30_000 }),
  ]);
});

after(async () => {
  await Promise.allSettled(started.map((p) => p.stop()));
  if (madeNs) await run('ip', ['netns', 'delete', NS]).catch(() => undefined);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function dig(name: string, type: string) {
  const out = await ns('dig', `@${LOCAL}`, '+tries=1', '+time=5', name, type);
  return parseClientOutput(out);
}

test('the sidecar puts 169.254.20.10 on nodelocaldns, with NOTRACK rules; its startup probe passes', async (t) => {
  if (skip) return t.skip(skip);
  if (interfaceType)
    t.diagnostic(`no dummy driver in this kernel: nodelocaldns is a ${interfaceType}`);
  const link = await ns('ip', '-d', 'link', 'show', 'dev', 'nodelocaldns');
  assert.match(link, new RegExp(`\\b${interfaceType ?? 'dummy'}\\b`));
  assert.match(
    await ns('ip', '-o', 'address', 'show', 'dev', 'nodelocaldns'),
    / 169\.254\.20\.10\/32 /,
  );
  const raw = await ns('iptables', '-t', 'raw', '-S');
  for (const proto of ['udp', 'tcp'])
    assert.match(
      raw,
      new RegExp(`-A PREROUTING -d ${LOCAL}/32 -p ${proto} .*--dport 53 -j NOTRACK`),
    );
  await run(inNs[0]!, [...inNs.slice(1), ...shape.interface.startupProbe]);
});

test('the DNS container answers on 169.254.20.10: cluster names over TCP, others from resolv.conf', async (t) => {
  if (skip) return t.skip(skip);
  const cases: [name: string, type: string, data: string][] = [
    ['kubernetes.default.svc.cluster.local.', 'A', '10.96.0.1'],
    ['1.0.96.10.in-addr.arpa.', 'PTR', 'kubernetes.default.svc.cluster.local.'],
    ['example.com.', 'A', '192.0.2.1'],
  ];
  const before = await clusterRequests();
  for (const [name, type, data] of cases) {
    for (const attempt of [1, 2]) {
      const reply = await dig(name, type);
      assert.equal(reply.status, 'NOERROR', `${name} ${type} (${attempt})\n${reply.text}`);
      assert.deepEqual(
        reply.answer.map((l) => l.split(' ').at(-1)),
        [data],
        `${name} ${type} (${attempt})`,
      );
    }
  }
  // The second ask of each name came from the cache: each upstream saw each question once.
  const queries = scripted.lines().filter((l) => l.text.startsWith('query '));
  assert.deepEqual(
    queries.map((l) => l.text),
    ['query udp example.com A'],
  );
  const now = await clusterRequests();
  assert.deepEqual({ tcp: now.tcp - before.tcp, udp: now.udp - before.udp }, { tcp: 2, udp: 0 });
});

/** Queries the cluster DNS has counted, by transport (its coredns_dns_requests_total). */
async function clusterRequests(): Promise<{ tcp: number; udp: number }> {
  const metrics = await ns('curl', '-sf', `http://${CLUSTER_DNS}:9153/metrics`);
  const sum = (proto: string) =>
    [...metrics.matchAll(/^coredns_dns_requests_total\{([^}]*)\} (\S+)$/gm)]
      .filter((m) => m[1]!.includes(`proto="${proto}"`))
      .reduce((total, m) => total + Number(m[2]), 0);
  return { tcp: sum('tcp'), udp: sum('udp') };
}

test('the probes the manifest declares answer on 169.254.20.10', async (t) => {
  if (skip) return t.skip(skip);
  for (const probe of shape.dns.httpProbes) {
    const body = await ns('curl', '-sf', `http://${probe.host}:${probe.port}${probe.path}`);
    assert.match(body, /OK/, `${probe.path}`);
  }
});

test('SIGTERM to the sidecar removes the interface and its rules', async (t) => {
  if (skip) return t.skip(skip);
  assert.equal(await sidecar.stop('SIGTERM'), 0);
  assert.match(sidecar.stdout(), /removed nodelocaldns and its rules/);
  await assert.rejects(ns('ip', 'link', 'show', 'nodelocaldns'), /does not exist/);
  assert.doesNotMatch(await ns('iptables', '-t', 'raw', '-S'), /169\.254\.20\.10/);
  assert.doesNotMatch(await ns('iptables', '-S'), /169\.254\.20\.10/);
});
