import { test } from 'node:test';
import assert from 'node:assert/strict';
import { srvRecords, type SrvEntry } from './srv.ts';

const t = 'svc.ns.svc.cluster.local';
const entries = (...ports: number[]): SrvEntry[] => ports.map((port) => ({ port, target: t }));
const ports150 = Array.from({ length: 150 }, (_, i) => i + 1);

test('weights follow CoreDNS plugin.SRV: floor(100/n), at least 1, n counting every entry', () => {
  const cases: [string, SrvEntry[], string[]][] = [
    ['one entry', entries(80), ['0 100 80']],
    ['two ports', entries(80, 443), ['0 50 80', '0 50 443']],
    ['three ports', entries(53, 53, 9153), ['0 33 53', '0 33 9153']], // kube-dns: 53/UDP and 53/TCP fold into one
    ['dual-stack duplicate counts', entries(80, 80), ['0 50 80']],
    ['seven', entries(1, 2, 3, 4, 5, 6, 7), [1, 2, 3, 4, 5, 6, 7].map((p) => `0 14 ${p}`)],
    ['sentinel counted, not answered', entries(-1, 80), ['0 50 80']],
    ['only sentinels', entries(-1, -1), []],
    ['weight floors to 0 -> 1', entries(...ports150), ports150.map((p) => `0 1 ${p}`)],
    ['none', [], []],
  ];
  for (const [what, input, want] of cases) {
    assert.deepEqual(
      srvRecords(input).map((r) => `${r.priority} ${r.weight} ${r.port}`),
      want,
      what,
    );
  }
});

test('one record per (target, port)', () => {
  const input: SrvEntry[] = [
    { port: 80, target: 'a.x' },
    { port: 80, target: 'b.x' },
    { port: 80, target: 'a.x' },
    { port: 81, target: 'a.x' },
  ];
  assert.deepEqual(srvRecords(input), [
    { priority: 0, weight: 25, port: 80, target: 'a.x' },
    { priority: 0, weight: 25, port: 80, target: 'b.x' },
    { priority: 0, weight: 25, port: 81, target: 'a.x' },
  ]);
});
