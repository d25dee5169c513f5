import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CorefileError } from './corefile.ts';
import { memoryCorefileIo } from './memory-io.ts';
import { parseCorefile } from './parse-corefile.ts';
import { checkPluginName, inPluginOrder, PLUGIN_ORDER, SUPPORTED_PLUGINS } from './plugin-order.ts';

test("plugin.cfg's order: every in-tree plugin once, from root to nomad", () => {
  assert.equal(new Set(PLUGIN_ORDER).size, PLUGIN_ORDER.length);
  assert.equal(PLUGIN_ORDER[0], 'root');
  assert.equal(PLUGIN_ORDER[PLUGIN_ORDER.length - 1], 'nomad');
  // The query-time chain: log, loadbalance, rewrite, acl, cache, template, the zones, forward.
  const rank = (n: string) => PLUGIN_ORDER.indexOf(n);
  const chain = [
    'log',
    'loadbalance',
    'rewrite',
    'acl',
    'cache',
    'template',
    'hosts',
    'kubernetes',
    'file',
    'forward',
  ];
  assert.deepEqual(
    [...chain].sort((a, b) => rank(a) - rank(b)),
    chain,
  );
  // Every supported plugin is in plugin.cfg but `ratelimit`, an external plugin (it runs first here).
  for (const name of SUPPORTED_PLUGINS) if (name !== 'ratelimit') assert.ok(rank(name) >= 0, name);
  assert.ok(!SUPPORTED_PLUGINS.has('whoami'));
});

test('a block is run in plugin.cfg order, not the order written', () => {
  const written = [
    'forward',
    'cache',
    'kubernetes',
    'log',
    'errors',
    'health',
    'prometheus',
    'ready',
    'reload',
    'loadbalance',
    'hosts',
    'cache',
  ];
  const named = written.map((name, i) => ({ name, i }));
  assert.deepEqual(
    inPluginOrder(named).map((d) => `${d.name}${d.name === 'cache' ? d.i : ''}`),
    [
      'reload',
      'ready',
      'health',
      'prometheus',
      'errors',
      'log',
      'loadbalance',
      'cache1',
      'cache11',
      'hosts',
      'kubernetes',
      'forward',
    ],
  );
  assert.deepEqual(inPluginOrder([{ name: 'mine' }, { name: 'log' }]), [
    { name: 'log' },
    { name: 'mine' },
  ]);
});

test('names: unknown to CoreDNS, or known but not served by edge-dns', () => {
  const at = { file: 'Corefile', line: 7 };
  const reason = (name: string, supported?: ReadonlySet<string>) => {
    try {
      checkPluginName({ ...at, name }, supported);
      return 'ok';
    } catch (e) {
      assert.ok(e instanceof CorefileError && e.line === 7 && e.file === 'Corefile');
      return e.reason;
    }
  };
  assert.equal(reason('forward'), 'ok');
  assert.equal(reason('webhook'), "unknown directive 'webhook': no CoreDNS plugin has this name");
  assert.equal(reason('dnssec'), "plugin 'dnssec' is not supported by edge-dns yet");
  assert.equal(reason('Forward'), "unknown directive 'Forward': no CoreDNS plugin has this name");
  const only = new Set(['forward', 'mine']);
  assert.equal(reason('mine', only), 'ok');
  assert.equal(reason('log', only), "plugin 'log' is not supported by edge-dns yet");
});

test('parseCorefile checks names against the supported set it is given', () => {
  const text = '. {\n  whoami\n}';
  const io = { ...memoryCorefileIo({}), env: {} };
  assert.throws(
    () => parseCorefile(text, 'Corefile', io),
    /Corefile:2 - Error during parsing: plugin 'whoami' is not supported by edge-dns yet/,
  );
  const parsed = parseCorefile(text, 'Corefile', { ...io, supported: new Set(['whoami']) });
  assert.equal(parsed.servers[0]?.directives[0]?.name, 'whoami');
});
