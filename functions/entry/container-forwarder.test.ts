// The container's forwarder from config: resolv.conf nameservers as upstreams, stub zones, and the
// errors that stop start-up. No query is sent: only what was built is checked.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { configFromArgs } from './container-flags.ts';
import { forwarderFromConfig } from './container-forwarder.ts';

const files: Record<string, string> = {
  '/etc/resolv.conf':
    'search default.svc.cluster.local\nnameserver 127.0.0.53\nnameserver ::1\noptions ndots:5\n',
  '/tmp/empty-resolv.conf': '# nothing\n',
};
const read = (path: string) => {
  const text = files[path];
  if (text === undefined) throw new Error(`ENOENT: no such file, open '${path}'`);
  return text;
};
const built = (argv: string[]) => {
  const c = configFromArgs(argv, read);
  return forwarderFromConfig(c.forward, c.cache, () => {}, read);
};

test('no forward block: no forwarder (REFUSED outside our zones)', () => {
  assert.equal(built([]), undefined);
});

test('a resolv.conf: its nameservers over UDP (with TCP retry), port 53; stub zones beside it', () => {
  const forward = built([
    '--forward',
    '.=/etc/resolv.conf',
    '--forward',
    'corp.example=tcp://127.0.0.9:5300,https://127.0.0.1:8443/dns-query',
  ])!;
  try {
    const pools = forward.counters.pools;
    assert.deepEqual(Object.keys(pools['.']!.answered), ['udp://127.0.0.53:53', 'udp://[::1]:53']);
    assert.deepEqual(Object.keys(pools['corp.example']!.answered), [
      'tcp://127.0.0.9:5300',
      'https://127.0.0.1:8443/dns-query',
    ]);
    assert.deepEqual(
      [forward.handles('db.corp.example'), forward.handles('www.example.org')],
      [true, true],
    );
  } finally {
    forward.close();
  }
});

test('a stub zone alone forwards only its names', () => {
  const forward = built(['--forward', 'corp.example=127.0.0.9'])!;
  assert.deepEqual(
    [
      forward.handles('corp.example'),
      forward.handles('db.corp.example'),
      forward.handles('notcorp.example'),
      forward.handles('example'),
    ],
    [true, true, false, false],
  );
  forward.close();
});

test('a resolv.conf that cannot be read, or names no nameserver, stops start-up', () => {
  assert.throws(
    () => built(['--forward', '.=/etc/missing.conf']),
    /forward: cannot read \/etc\/missing\.conf: ENOENT/,
  );
  assert.throws(
    () => built(['--forward', '.=/tmp/empty-resolv.conf']),
    /forward: \/tmp\/empty-resolv\.conf names no nameserver/,
  );
});
