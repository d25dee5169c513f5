import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NameNode } from '../../functions/core/record.ts';
import {
  hostsNodes,
  recordIndexEntries,
  zoneRecords,
} from '../../functions/store/dynamodb/codec-record-items.ts';
import { toPresentation } from '../../test/support/presentation.ts';
import { presentation } from '../../test/support/node-presentation.ts';
import { defaultBuildOptions } from '../records/options.ts';
import { staticSource } from '../reconcile/object-source.ts';
import { Reconciler } from '../reconcile/reconciler.ts';
import type { StoreChange, StoreWriter } from '../write/store-writer.ts';
import { RecordSources } from './record-sources.ts';

const dir = mkdtempSync(join(tmpdir(), 'edge-dns-record-sources-'));
const zoneFile = join(dir, 'db.example.org');
const hostsFile = join(dir, 'hosts');
const corefile = join(dir, 'Corefile');
const zone = (serial: number, www: string) =>
  `@ 60 SOA ns hostmaster ${serial} 1 1 1 60\n@ 60 NS ns\nns 60 A 192.0.2.1\nwww 60 A ${www}\n`;

/** Records what each apply() put and deleted; names starting with '.' only (record items). */
class RecordingWriter implements StoreWriter {
  readonly applied: { put: string[]; delete: string[] }[] = [];
  readonly held = new Map<string, string>();
  async listOwned() {
    return new Map(this.held);
  }
  async apply(change: StoreChange) {
    const own = (n: string) => n.startsWith('.');
    this.applied.push({
      put: change.put.map((n) => n.name).filter(own),
      delete: change.delete.filter(own),
    });
    return { written: [...change.put.map((n) => n.name), ...change.delete], failed: [] };
  }
}

const write = (files: Record<string, string>) => {
  for (const [path, text] of Object.entries(files)) writeFileSync(path, text);
};

test('the items of a Corefile: one per zone, one per hosts source, and the index', () => {
  write({
    [zoneFile]: zone(1, '192.0.2.10'),
    [hostsFile]: '192.0.2.7 printer.hosts.test',
    [corefile]: [
      'example.org {',
      `  file ${zoneFile} { reload 0 }`,
      '}',
      'hosts.test {',
      `  hosts ${hostsFile} { `,
      '    192.0.2.8 scanner.hosts.test',
      '    ttl 30',
      '    fallthrough',
      '  }',
      '}',
    ].join('\n'),
  });
  const s = new RecordSources(corefile, () => {});
  assert.deepEqual([...s.keys()], ['.zone/example.org', '.hosts/0', '.records']);
  assert.deepEqual(recordIndexEntries(s.get('.records')!), [
    { kind: 'file', origin: 'example.org' },
    {
      kind: 'hosts',
      item: '.hosts/0',
      zones: ['hosts.test'],
      fallthrough: [],
      fallthroughUnsupported: false,
    },
  ]);
  assert.deepEqual(zoneRecords(s.get('.zone/example.org')!).map(toPresentation), [
    'example.org. 60 IN SOA ns.example.org. hostmaster.example.org. 1 1 1 1 60',
    'example.org. 60 IN NS ns.example.org.',
    'ns.example.org. 60 IN A 192.0.2.1',
    'www.example.org. 60 IN A 192.0.2.10',
  ]);
  const hosts = hostsNodes(s.get('.hosts/0')!);
  assert.deepEqual(presentation(hosts.file), [
    'printer.hosts.test. 30 IN A 192.0.2.7',
    '7.2.0.192.in-addr.arpa. 30 IN PTR printer.hosts.test.',
  ]);
  assert.deepEqual(presentation(hosts.inline), [
    'scanner.hosts.test. 30 IN A 192.0.2.8',
    '8.2.0.192.in-addr.arpa. 30 IN PTR scanner.hosts.test.',
  ]);
});

test('reloads publish only what changed: a zone on a new serial, hosts on new records', async () => {
  write({
    [zoneFile]: zone(1, '192.0.2.10'),
    [hostsFile]: '192.0.2.7 printer.hosts.test',
    [corefile]: `example.org {\n  file ${zoneFile}\n  hosts ${hostsFile}\n}\n`,
  });
  const lines: string[] = [];
  const sources = new RecordSources(corefile, (line) => lines.push(line));
  const writer = new RecordingWriter();
  const empty = { namespaces: [], services: [], endpointSlices: [], pods: [] };
  const reconciler = new Reconciler({
    source: staticSource(empty),
    build: defaultBuildOptions,
    writer,
    hash: (n: NameNode) => JSON.stringify(n),
    extra: sources,
  });
  await reconciler.start();
  assert.deepEqual(writer.applied.at(-1), {
    put: ['.zone/example.org', '.hosts/0', '.records'],
    delete: [],
  });
  const rounds = () => writer.applied.length;
  const before = rounds();

  // The same serial: CoreDNS keeps the zone it has, and so does the sync.
  write({ [zoneFile]: zone(1, '192.0.2.11') });
  assert.deepEqual(sources.reload(), []);
  write({ [zoneFile]: zone(2, '192.0.2.12') });
  assert.deepEqual(sources.reload(), ['.zone/example.org']);
  await reconciler.settled();
  assert.deepEqual(writer.applied.slice(before), [{ put: ['.zone/example.org'], delete: [] }]);
  assert.deepEqual(
    zoneRecords(sources.get('.zone/example.org')!).map(toPresentation).at(-1),
    'www.example.org. 60 IN A 192.0.2.12',
  );

  write({ [hostsFile]: '192.0.2.7 printer.example.org' });
  assert.deepEqual(sources.reload(), ['.hosts/0']);
  // A zone file that no longer parses: logged, the published zone stays.
  write({ [zoneFile]: '@ 60 SOA ns hostmaster 3 1 1 1 60\nwww 60 A not-an-address\n' });
  assert.deepEqual(sources.reload(), []);
  assert.match(
    lines.join('\n'),
    /^file .*db\.example\.org: .*db\.example\.org:2.*keeping what was published$/m,
  );
  await reconciler.stop();
});

test('a bad source stops start-up naming the file and line', () => {
  write({
    [zoneFile]: 'www 60 A 192.0.2.1\n',
    [corefile]: `example.org {\n  file ${zoneFile}\n}\n`,
  });
  assert.throws(() => new RecordSources(corefile, () => {}), {
    message: `${zoneFile}:2: zone 'example.org' has no SOA record`,
  });
  write({
    [zoneFile]: zone(1, '192.0.2.10'),
    [corefile]: `example.org {\n  file ${zoneFile}\n}\norg {\n  file ${zoneFile} example.org\n}\n`,
  });
  assert.throws(() => new RecordSources(corefile, () => {}), {
    message: `${corefile}:5 - Error during parsing: file: zone example.org is also served at line 2`,
  });
  write({ [corefile]: `example.org {\n  hosts ${hostsFile} {\n    ttl 0\n  }\n}\n` });
  assert.throws(() => new RecordSources(corefile, () => {}), {
    message: `${corefile}:3 - Error during parsing: ttl: expected a TTL of 1..65535 seconds, got "0"`,
  });
});

test("start(): each directive's reload interval re-reads its file and names what changed", async () => {
  write({
    [zoneFile]: zone(1, '192.0.2.10'),
    [hostsFile]: '192.0.2.7 printer.hosts.test',
    [corefile]: [
      'example.org {',
      `  file ${zoneFile} { reload 20ms }`,
      `  hosts ${hostsFile} { reload 0 }`,
      '}',
    ].join('\n'),
  });
  const sources = new RecordSources(corefile, () => {});
  const changed = new Promise<readonly string[]>((resolve) => sources.onChange(resolve));
  sources.start();
  // The reload timers are unref'ed; this deadline keeps the process waiting, and bounds the wait.
  let guard: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    guard = setTimeout(() => reject(new Error('no reload within 10 s')), 10_000);
  });
  try {
    write({ [zoneFile]: zone(2, '192.0.2.20') });
    assert.deepEqual(await Promise.race([changed, deadline]), ['.zone/example.org']);
    assert.equal(
      zoneRecords(sources.get('.zone/example.org')!).map(toPresentation).at(-1),
      'www.example.org. 60 IN A 192.0.2.20',
    );
  } finally {
    clearTimeout(guard);
    sources.stop();
  }
});
