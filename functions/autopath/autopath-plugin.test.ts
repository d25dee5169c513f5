// `autopath @kubernetes` as CoreDNS's plugin/autopath and kubernetes autopath.go answer (the
// autopath README and autopath_test.go): a pod of namespace `data` (10.244.1.16) asks names under
// its first search domain `data.svc.cluster.local`; the rest of its search path is walked here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Answer } from 'dns-packet';
import type { PluginQuery } from '../core/plugin.ts';
import { emptySections, type Sections } from '../core/sections.ts';
import { autopathPlugin } from './autopath-plugin.ts';
import { autopathFromDirective } from './autopath-corefile.ts';

/** What the rest of the chain knows: name -> address (other names NXDOMAIN; `fail.` SERVFAIL). */
const DATA: Record<string, string> = {
  'cache.data.svc.cluster.local': '10.96.0.20',
  'kubernetes.default.svc.cluster.local': '10.96.0.1',
  'www.example.net': '198.51.100.7',
};
const next = async (q: PluginQuery): Promise<Sections> => {
  const key = q.name.toLowerCase();
  if (key.startsWith('fail.')) return emptySections('SERVFAIL');
  const ip = DATA[key];
  if (!ip) return emptySections('NXDOMAIN', true);
  return {
    ...emptySections('NOERROR', true),
    answers: [{ name: q.name, type: 'A', class: 'IN', ttl: 5, data: ip }],
  };
};
const present = (rr: Answer) =>
  `${rr.name}. ${'ttl' in rr ? rr.ttl : ''} IN ${rr.type} ${'data' in rr ? String(rr.data) : ''}`;

const plugin = autopathPlugin({
  zones: ['cluster.local'],
  namespaceOf: (a) => (a === '10.244.1.16' ? 'data' : undefined),
});
const POD = '10.244.1.16';
const OTHER = '192.0.2.1';

// [client, question, rcode, answers, volatile (depends on the client)]
const rows: [client: string, name: string, rcode: string, answers: string[], volatile: boolean][] =
  [
    // As asked, found: returned as is, the same for every client.
    [
      POD,
      'cache.data.svc.cluster.local',
      'NOERROR',
      ['cache.data.svc.cluster.local. 5 IN A 10.96.0.20'],
      false,
    ],
    // `kubernetes.default` from a pod in data: found under svc.cluster.local, a CNAME to it.
    [
      POD,
      'kubernetes.default.data.svc.cluster.local',
      'NOERROR',
      [
        'kubernetes.default.data.svc.cluster.local. 5 IN CNAME kubernetes.default.svc.cluster.local',
        'kubernetes.default.svc.cluster.local. 5 IN A 10.96.0.1',
      ],
      true,
    ],
    // A name outside the cluster: the bare name, last in the search path.
    [
      POD,
      'www.example.net.data.svc.cluster.local',
      'NOERROR',
      [
        'www.example.net.data.svc.cluster.local. 5 IN CNAME www.example.net',
        'www.example.net. 5 IN A 198.51.100.7',
      ],
      true,
    ],
    // Nothing anywhere: the first answer (NXDOMAIN), as asked.
    [POD, 'nope.data.svc.cluster.local', 'NXDOMAIN', [], true],
    // Not a pod, or a pod of another namespace than the search domain: no walk.
    [OTHER, 'kubernetes.default.data.svc.cluster.local', 'NXDOMAIN', [], true],
    [POD, 'kubernetes.default.team.svc.cluster.local', 'NXDOMAIN', [], true],
    // Not under a first search domain, or outside the zones: untouched.
    [
      POD,
      'kubernetes.default.svc.cluster.local',
      'NOERROR',
      ['kubernetes.default.svc.cluster.local. 5 IN A 10.96.0.1'],
      false,
    ],
    [POD, 'data.svc.cluster.local', 'NXDOMAIN', [], false],
    [POD, 'www.example.net', 'NOERROR', ['www.example.net. 5 IN A 198.51.100.7'], false],
  ];
for (const [client, name, rcode, answers, volatile] of rows) {
  test(`autopath: ${client} asks ${name} A`, async () => {
    const q: PluginQuery = {
      name,
      type: 'A',
      class: 'IN',
      flags: { cd: false, do: false },
      transport: 'udp',
      remote: { address: client, port: 5353 },
      zone: 'cluster.local',
    };
    const got = await plugin(q, next);
    assert.deepEqual(
      [got.rcode, got.answers.map(present), got.volatile === true],
      [rcode, answers, volatile],
    );
  });
}

test('a search path entry that fails (SERVFAIL) is skipped, as CoreDNS ClientWrite', async () => {
  const walked: string[] = [];
  const p = autopathPlugin({ zones: ['cluster.local'], namespaceOf: () => 'data' });
  const got = await p(
    {
      name: 'fail.data.svc.cluster.local',
      type: 'A',
      class: 'IN',
      flags: { cd: false, do: false },
      transport: 'udp',
      remote: { address: POD, port: 1 },
      zone: 'cluster.local',
    },
    async (q) => (
      walked.push(q.name),
      emptySections(q.name === 'fail.data.svc.cluster.local' ? 'NXDOMAIN' : 'SERVFAIL')
    ),
  );
  assert.deepEqual(walked, [
    'fail.data.svc.cluster.local',
    'fail.svc.cluster.local',
    'fail.cluster.local',
    'fail',
  ]);
  assert.equal(got.rcode, 'NXDOMAIN');
});

const directives: [args: string, result: string[] | RegExp][] = [
  ['@kubernetes', []],
  ['cluster.local. @kubernetes', ['cluster.local']],
  [
    '/etc/resolv.conf',
    /Corefile:3 - .*autopath: \/etc\/resolv\.conf: only @kubernetes is supported/,
  ],
  ['', /expected autopath \[ZONE\.\.\.\] RESOLV-CONF/],
];
for (const [args, result] of directives) {
  test(`autopath ${args}`, () => {
    const d = { name: 'autopath', args: args ? args.split(' ') : [], file: 'Corefile', line: 3 };
    if (result instanceof RegExp) assert.throws(() => autopathFromDirective(d), result);
    else assert.deepEqual(autopathFromDirective(d).zones, result);
  });
}
