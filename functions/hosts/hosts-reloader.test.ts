import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hostsNodesFromText } from '../../sync/hosts/hosts-nodes.ts';
import { HostsReloader, type HostsFileAccess } from './hosts-reloader.ts';
import { HostsTable } from './hosts-table.ts';

/** A hosts file in memory: undefined while deleted; counts its reads. */
class FakeFile implements HostsFileAccess {
  text: string | undefined;
  mtimeMs = 1;
  reads = 0;
  constructor(text: string) {
    this.text = text;
  }
  write(text: string | undefined, mtimeMs: number): void {
    this.text = text;
    this.mtimeMs = mtimeMs;
  }
  async stat() {
    return this.text === undefined ? undefined : { mtimeMs: this.mtimeMs, size: this.text.length };
  }
  async read() {
    this.reads++;
    return this.text;
  }
}

function setup(text: string) {
  const file = new FakeFile(text);
  const table = new HostsTable(
    hostsNodesFromText('10.0.0.9 inline.example', { zones: [''], ttl: 3600, reverse: true }),
  );
  const reloads: { entries: number; mtimeMs: number }[] = [];
  const reloader = new HostsReloader({
    file,
    table,
    build: (t) => hostsNodesFromText(t, { zones: [''], ttl: 3600, reverse: true }),
    onReload: (info) => reloads.push(info),
  });
  const a = (name: string) => table.addresses(name, 'A')?.data;
  return { file, table, reloader, reloads, a };
}

test('reads at start, again only when the time or size changed', async () => {
  const { file, reloader, reloads, a } = setup('10.0.0.1 a.example');
  assert.equal(await reloader.check(), true);
  assert.deepEqual(a('a.example'), ['10.0.0.1']);
  assert.equal(await reloader.check(), false);
  assert.equal(file.reads, 1);
  file.write('10.0.0.2 a.example', 1); // same time, same size: CoreDNS does not look
  assert.equal(await reloader.check(), false);
  file.write('10.0.0.2 a.example', 2);
  assert.equal(await reloader.check(), true);
  assert.deepEqual(a('a.example'), ['10.0.0.2']);
  assert.deepEqual(reloads, [
    { entries: 4, mtimeMs: 1 },
    { entries: 4, mtimeMs: 2 },
  ]);
});

test('a deleted file keeps what was read; restored, it is read again', async () => {
  const { file, reloader, a } = setup('10.0.0.1 a.example');
  await reloader.check();
  file.write(undefined, 3);
  assert.equal(await reloader.check(), false);
  assert.deepEqual(a('a.example'), ['10.0.0.1']);
  assert.deepEqual(a('inline.example'), ['10.0.0.9']);
  file.write('10.0.0.3 b.example', 4);
  assert.equal(await reloader.check(), true);
  assert.equal(a('a.example'), undefined);
  assert.deepEqual(a('b.example'), ['10.0.0.3']);
});

test('calls during a check share it; a failing read is reported and changes nothing', async () => {
  const { file, reloader, a } = setup('10.0.0.1 a.example');
  const [x, y] = await Promise.all([reloader.check(), reloader.check()]);
  assert.deepEqual([x, y, file.reads], [true, true, 1]);
  const errors: unknown[] = [];
  const broken = new HostsReloader({
    file: {
      stat: async () => ({ mtimeMs: 9, size: 1 }),
      read: () => Promise.reject(new Error('EIO')),
    },
    table: new HostsTable(),
    build: () => [],
    onError: (e) => errors.push(e),
  });
  assert.equal(await broken.check(), false);
  assert.equal((errors[0] as Error).message, 'EIO');
  assert.deepEqual(a('a.example'), ['10.0.0.1']);
});
