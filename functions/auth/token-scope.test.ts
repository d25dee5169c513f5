// The scope check (docs/architecture.md §6.19) as a table: a token's claims, a question name, and
// whether it is answered or why not. Zones cluster.local and the reverse zones; cluster zone
// east.example answered from cluster `east`, everything else from this edge's cluster `ci`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import dnsPacket from 'dns-packet';
import { outOfScope, type ScopeContext, type TokenScope } from './token-scope.ts';
import { questionName } from './question-name.ts';
import { scopeOfClaims } from './scope-claims.ts';

const ctx: ScopeContext = {
  kubernetesZones: ['cluster.local', 'in-addr.arpa', 'ip6.arpa', 'east.example'],
  externalZones: ['ext.example'],
  clusterOf: (name) => (name === 'east.example' || name.endsWith('.east.example') ? 'east' : 'ci'),
};

const shop: TokenScope = { namespaces: ['shop'] };
const zones: TokenScope = { zones: ['shop.svc.cluster.local', 'example.com'] };
const ci: TokenScope = { clusters: ['ci'] };
const none: TokenScope = { namespaces: [] };

const table: [TokenScope, string, ReturnType<typeof outOfScope>][] = [
  [{}, 'kubernetes.default.svc.cluster.local', undefined],
  [{}, '1.0.96.10.in-addr.arpa', undefined],
  [shop, 'cart.shop.svc.cluster.local', undefined],
  [shop, '_http._tcp.cart.shop.svc.cluster.local', undefined],
  [shop, 'shop.svc.cluster.local', undefined],
  [shop, '10-0-0-1.shop.pod.cluster.local', undefined],
  [shop, 'kubernetes.default.svc.cluster.local', 'namespace'],
  [shop, 'default.svc.cluster.local', 'namespace'],
  [shop, '10-0-0-1.default.pod.cluster.local', 'namespace'],
  [shop, 'cart.data.svc.east.example', 'namespace'],
  [shop, 'cart.shop.svc.east.example', undefined],
  [shop, 'cart.default.ext.example', 'namespace'],
  [shop, 'cart.shop.ext.example', undefined],
  [shop, 'cluster.local', undefined],
  [shop, 'dns-version.cluster.local', undefined],
  [shop, 'svc.cluster.local', undefined],
  [shop, 'example.com', undefined],
  [shop, '1.0.96.10.in-addr.arpa', 'reverse'],
  [shop, 'b.a.9.8.ip6.arpa', 'reverse'],
  [shop, 'svc\\046shop.svc.cluster.local', 'namespace'], // one label `svc\\046shop`, not shop
  [none, 'cart.shop.svc.cluster.local', 'namespace'],
  [zones, 'cart.shop.svc.cluster.local', undefined],
  [zones, 'shop.svc.cluster.local', undefined],
  [zones, 'www.example.com', undefined],
  [zones, 'cart.data.svc.cluster.local', 'zone'],
  [zones, 'xshop.svc.cluster.local', 'zone'],
  [zones, 'example.org', 'zone'],
  [zones, '1.0.96.10.in-addr.arpa', 'zone'],
  [{ zones: ['in-addr.arpa'] }, '1.0.96.10.in-addr.arpa', undefined],
  [{ zones: [''] }, 'anything.example', undefined],
  [ci, 'kubernetes.default.svc.cluster.local', undefined],
  [ci, 'cart.shop.svc.east.example', 'cluster'],
  [{ clusters: ['east'] }, 'cart.shop.svc.east.example', undefined],
  [{ clusters: ['east'] }, 'kubernetes.default.svc.cluster.local', 'cluster'],
  [{ clusters: [] }, 'kubernetes.default.svc.cluster.local', 'cluster'],
  [{ ...shop, ...ci }, 'cart.shop.svc.cluster.local', undefined],
  [{ ...shop, ...zones }, 'cart.data.svc.cluster.local', 'zone'],
];

test('the scope check, name by name', () => {
  for (const [scope, name, want] of table)
    assert.equal(outOfScope(scope, name, ctx), want, `${JSON.stringify(scope)} ${name}`);
});

test('without a cluster id, a token restricted to clusters sees nothing', () => {
  const nowhere = { ...ctx, clusterOf: () => undefined };
  assert.equal(outOfScope(ci, 'kubernetes.default.svc.cluster.local', nowhere), 'cluster');
  assert.equal(outOfScope(shop, 'cart.shop.svc.cluster.local', nowhere), undefined);
});

test('the question name as the scope check reads it', () => {
  const q = (name: string) =>
    dnsPacket.encode({ type: 'query', id: 1, questions: [{ name, type: 'A', class: 'IN' }] });
  const wire: [Uint8Array, string | undefined][] = [
    [q('Cart.SHOP.svc.Cluster.Local.'), 'cart.shop.svc.cluster.local'],
    [q('.'), ''],
    [
      Uint8Array.from([
        ...q('a.b').subarray(0, 12),
        5,
        0x61,
        0x2e,
        0x62,
        0x20,
        0x5c,
        0,
        0,
        1,
        0,
        1,
      ]),
      'a\\046b\\032\\092',
    ],
    [q('a.b').subarray(0, 14), undefined], // cut short
    [dnsPacket.encode({ type: 'query', id: 1, questions: [] }), undefined],
    [
      dnsPacket.encode({ type: 'response', id: 1, questions: [{ name: 'a', type: 'A' }] }),
      undefined,
    ],
  ];
  for (const [message, want] of wire) assert.equal(questionName(message), want);
});

test('claims to a scope: arrays of strings, or the token is invalid', () => {
  assert.deepEqual(scopeOfClaims({ sub: 'x' }), {});
  assert.deepEqual(scopeOfClaims({ zones: ['Shop.SVC.cluster.local.', '.'] }), {
    zones: ['shop.svc.cluster.local', ''],
  });
  assert.deepEqual(scopeOfClaims({ namespaces: ['shop'], clusters: [] }), {
    namespaces: ['shop'],
    clusters: [],
  });
  assert.deepEqual(scopeOfClaims({ namespaces: 'shop' }), { bad: 'namespaces' });
  assert.deepEqual(scopeOfClaims({ clusters: [1] }), { bad: 'clusters' });
});
