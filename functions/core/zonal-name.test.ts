// Zonal names (docs/architecture.md §6.20): the shapes CoreDNS's parseRequest reads as zonal
// (plugin/kubernetes/parse_test.go), and the nodes the lookup gives for zones not stored.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lookupNode } from './lookup.ts';
import { parseZonalName } from './zonal-name.ts';
import { kubernetesZone } from './zone.ts';
import { MemoryStore } from '../store/memory.ts';
import { nodesFromText } from '../../test/support/records.ts';

const Z = 'inter.webs.tests';
const carrier = `_zone.webs.mynamespace.svc.${Z}`;

const shapes: [name: string, want: ReturnType<typeof parseZonalName>][] = [
  [`us-west-2a.pin._zone.webs.mynamespace.svc.${Z}`, { directive: 'pin', carrier }],
  [`us-west-2a.prefer._zone.webs.mynamespace.svc.${Z}`, { directive: 'prefer', carrier }],
  // The topology zone is every label left of the directive.
  [`corp.example.com.pin._zone.webs.mynamespace.svc.${Z}`, { directive: 'pin', carrier }],
  // Two labels left read as port and protocol; an unknown directive, the pod subtree: too long.
  [`us-west-2a._zone.webs.mynamespace.svc.${Z}`, undefined],
  [`pin._zone.webs.mynamespace.svc.${Z}`, undefined],
  [`us-west-2a.florp._zone.webs.mynamespace.svc.${Z}`, undefined],
  [`us-west-2a.pin._zone.webs.mynamespace.pod.${Z}`, undefined],
  [`us-west-2a.pin._zone.webs.mynamespace.svc.other.tests`, undefined],
  [`us-west-2a.pin.zone.webs.mynamespace.svc.${Z}`, undefined],
];

for (const [name, want] of shapes) {
  test(`zonal name: ${name}`, () => assert.deepEqual(parseZonalName(name, Z), want));
}

test('zonal name: the root zone', () => {
  assert.deepEqual(parseZonalName('a.pin._zone.web.ns.svc', ''), {
    directive: 'pin',
    carrier: '_zone.web.ns.svc',
  });
});

test('zonal lookup: stored zones as stored, others pin NODATA / prefer the carrier, carrier hidden', async () => {
  const store = new MemoryStore();
  store.replaceAll(
    nodesFromText([
      `${carrier}. SYNTH zonal`,
      `${carrier}. 5 IN A 10.0.0.1`,
      `${carrier}. 5 IN A 10.0.0.2`,
      `a.pin.${carrier}. 5 IN A 10.0.0.1`,
      `_zone.plain.mynamespace.svc.${Z}. 5 IN A 10.0.0.9`,
    ]),
    1,
  );
  const zone = kubernetesZone(Z, 5);
  const at = async (name: string) => {
    const node = await lookupNode(store, zone, name);
    return node && node.sets.flatMap((s) => s.data.map((d) => `${s.type} ${String(d)}`));
  };
  assert.deepEqual(await at(`a.pin.${carrier}`), ['A 10.0.0.1']);
  assert.deepEqual(await at(`b.pin.${carrier}`), []);
  assert.deepEqual(await at(`x.b.prefer.${carrier}`), ['A 10.0.0.1', 'A 10.0.0.2']);
  assert.equal(await at(carrier), undefined);
  assert.equal(await at(`pin.${carrier}`), undefined);
  assert.equal(await at(`b.florp.${carrier}`), undefined);
  // A node that is no carrier gives no zonal names.
  assert.equal(await at(`b.pin._zone.plain.mynamespace.svc.${Z}`), undefined);
});
