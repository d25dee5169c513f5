// The k8s_external settings (kubernetes-config.ts `external`): `--external-zone` repeatable and
// comma-separated, `--external-ttl`, `--external-apex`, and the zones refused, on the sync's
// command line (the container shares the rows).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { syncConfigFromArgs } from './sync-flags.ts';

const base = ['--cluster-id', 'prod', '--table', 'edge-dns', '--kubeconfig', 'k.yaml'];
const env = { region: 'us-east-1', leaseNamespace: 'edge-dns', identity: 'sync-7d9f' };
const read = (path: string): string => {
  throw new Error(`ENOENT: no such file '${path}'`);
};
const external = (args: string[]) =>
  syncConfigFromArgs([...base, ...args], read, env).kubernetes.external;

test('external zones from flags, with the defaults of k8s_external', () => {
  assert.equal(external([]), undefined);
  assert.deepEqual(
    external(['--external-zone', 'Example.com.', '--external-zone', 'a.net,b.net']),
    {
      zones: ['example.com', 'a.net', 'b.net'],
      ttl: 5,
      apex: 'dns',
    },
  );
  assert.deepEqual(
    external(['--external-zone', 'example.com', '--external-ttl', '60', '--external-apex', 'ops']),
    { zones: ['example.com'], ttl: 60, apex: 'ops' },
  );
});

test('bad external settings name the flag and what was expected', () => {
  const rows: [string[], RegExp][] = [
    [['--external-zone', 'bad zone'], /--external-zone bad zone: .*expected a DNS name/],
    [['--external-zone', 'cluster.local'], /zones\[0\]: also a kubernetes zone/],
    [['--external-zone', '10.in-addr.arpa'], /zones\[0\]: a reverse zone/],
    [
      ['--external-zone', 'x.com', '--external-ttl', '4000'],
      /--external-ttl: expected a whole number 0\.\.3600/,
    ],
    [
      ['--external-zone', 'x.com', '--external-apex', 'a.b'],
      /--external-apex a\.b: .*one DNS label/,
    ],
  ];
  for (const [args, want] of rows) assert.throws(() => external(args), want, args.join(' '));
});
