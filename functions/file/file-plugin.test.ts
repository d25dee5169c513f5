import { test } from 'node:test';
import assert from 'node:assert/strict';
import { filePlugin } from './file-plugin.ts';
import { FileZone } from './file-zone.ts';
import { ZoneData } from './zone-data.ts';
import type { PluginQuery } from '../core/plugin.ts';
import { emptySections } from '../core/sections.ts';
import { parseZoneFile } from '../../sync/zonefile/parse-zone-file.ts';
import { toPresentation } from '../../test/support/presentation.ts';

const zone = (serial: number, address: string) =>
  new ZoneData(
    'example.org',
    parseZoneFile(`@ 60 SOA ns hostmaster ${serial} 1 1 1 60\nwww 60 A ${address}`, {
      file: 'db.example.org',
      origin: 'example.org',
    }),
  );
const query = (name: string): PluginQuery => ({
  name,
  type: 'A',
  class: 'IN',
  flags: { cd: false, do: false },
  transport: 'udp',
  zone: '',
});
const next = async () => emptySections('REFUSED');

test('names outside the zones go to the next plugin; a zone never read is SERVFAIL', async () => {
  const zones = new FileZone(['example.org', 'example.net'], [zone(1, '192.0.2.1')]);
  const plugin = filePlugin(zones);
  assert.equal((await plugin(query('www.example.com'), next)).rcode, 'REFUSED');
  assert.equal((await plugin(query('www.example.net'), next)).rcode, 'SERVFAIL');
  const answer = await plugin(query('www.example.org'), next);
  assert.deepEqual(answer.answers.map(toPresentation), ['www.example.org. 60 IN A 192.0.2.1']);
  // No fallthrough: a name the zone lacks is NXDOMAIN, never passed on.
  assert.equal((await plugin(query('nope.example.org'), next)).rcode, 'NXDOMAIN');
});

test('swap replaces a zone at once and moves the version', async () => {
  const zones = new FileZone(['example.org'], [zone(1, '192.0.2.1')]);
  const plugin = filePlugin(zones);
  const before = zones.version;
  zones.swap(zone(2, '192.0.2.2'));
  assert.equal(zones.version, before + 1);
  assert.equal(zones.zones.get('example.org')?.serial, 2);
  const answer = await plugin(query('www.example.org'), next);
  assert.deepEqual(answer.answers.map(toPresentation), ['www.example.org. 60 IN A 192.0.2.2']);
  assert.throws(() => new FileZone(['example.net'], [zone(1, '192.0.2.1')]), {
    message: 'zone example.org is not one of example.net',
  });
});
