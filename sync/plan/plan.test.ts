import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { NameNode } from '../../functions/core/record.ts';
import { plan } from './plan.ts';

const hash = (n: NameNode) => JSON.stringify(n.sets);
const node = (name: string, ip: string): NameNode => ({
  name,
  sets: [{ type: 'A', ttl: 5, data: [ip] }],
});
const desired = new Map([
  ['same.ns.svc.cluster.local', node('same.ns.svc.cluster.local', '10.0.0.1')],
  ['changed.ns.svc.cluster.local', node('changed.ns.svc.cluster.local', '10.0.0.3')],
  ['new.ns.svc.cluster.local', node('new.ns.svc.cluster.local', '10.0.0.4')],
]);
const published = new Map([
  ['same.ns.svc.cluster.local', hash(node('x', '10.0.0.1'))],
  ['changed.ns.svc.cluster.local', hash(node('x', '10.0.0.2'))],
  ['gone.ns.svc.cluster.local', hash(node('x', '10.0.0.9'))],
]);

const cases: { what: string; names?: string[]; put: string[]; delete: string[] }[] = [
  {
    what: 'everything',
    put: ['changed.ns.svc.cluster.local', 'new.ns.svc.cluster.local'],
    delete: ['gone.ns.svc.cluster.local'],
  },
  {
    what: 'only the names a change touched',
    names: ['changed.ns.svc.cluster.local', 'same.ns.svc.cluster.local'],
    put: ['changed.ns.svc.cluster.local'],
    delete: [],
  },
  {
    what: 'a name neither desired nor published',
    names: ['nothing.ns.svc.cluster.local'],
    put: [],
    delete: [],
  },
  {
    what: 'a deletion',
    names: ['gone.ns.svc.cluster.local'],
    put: [],
    delete: ['gone.ns.svc.cluster.local'],
  },
];

for (const c of cases) {
  test(`plan: ${c.what}`, () => {
    const p = plan(desired, published, hash, c.names);
    assert.deepEqual([...p.put].sort(), c.put);
    assert.deepEqual(p.delete.sort(), c.delete);
  });
}
