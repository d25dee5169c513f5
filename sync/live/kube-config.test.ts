import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadKubeConfig } from './kube-config.ts';

const dir = mkdtempSync(join(tmpdir(), 'edge-dns-kubeconfig-'));
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

const good = `apiVersion: v1
kind: Config
clusters: [{ name: c, cluster: { server: "http://127.0.0.1:6443" } }]
users: [{ name: u, user: { token: t } }]
contexts: [{ name: x, context: { cluster: c, user: u } }]
current-context: x
`;

test("a kubeconfig file: its current context's server", () => {
  assert.equal(
    loadKubeConfig({ kubeconfig: file('good.yaml', good) }).getCurrentCluster()?.server,
    'http://127.0.0.1:6443',
  );
});

const bad: { why: string; path: () => string; message: RegExp }[] = [
  {
    why: 'a missing file',
    path: () => join(dir, 'absent.yaml'),
    message: /^kubeconfig .*absent\.yaml: cannot read it \(ENOENT\)$/,
  },
  {
    why: 'not YAML',
    path: () => file('broken.yaml', 'clusters: [\n'),
    message: /^kubeconfig .*broken\.yaml: not a valid kubeconfig: [^\n]+$/,
  },
  {
    why: 'an empty file',
    path: () => file('empty.yaml', ''),
    message: /^kubeconfig .*empty\.yaml: not a valid kubeconfig: /,
  },
  {
    why: 'no current-context',
    path: () => file('nocontext.yaml', good.replace('current-context: x\n', '')),
    message:
      /^kubeconfig .*nocontext\.yaml: no cluster server for the current context \(current-context is not set\)$/,
  },
  {
    why: 'a context naming no cluster',
    path: () => file('nocluster.yaml', good.replace('cluster: c,', 'cluster: other,')),
    message: /^kubeconfig .*nocluster\.yaml: no cluster server for the current context "x"$/,
  },
];

for (const c of bad) {
  test(`a kubeconfig with ${c.why} is an error naming the file`, () => {
    assert.throws(() => loadKubeConfig({ kubeconfig: c.path() }), { message: c.message });
  });
}

test('in-cluster credentials outside a pod are an error saying so', () => {
  const saved = process.env.KUBERNETES_SERVICE_HOST;
  delete process.env.KUBERNETES_SERVICE_HOST;
  try {
    assert.throws(() => loadKubeConfig({ inCluster: true }), /KUBERNETES_SERVICE_HOST is not set/);
  } finally {
    if (saved !== undefined) process.env.KUBERNETES_SERVICE_HOST = saved;
  }
});
