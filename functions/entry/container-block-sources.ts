// The `file` and `hosts` plugins of a server block, with their files read and re-read on their
// reload intervals (CoreDNS checks a zone file's SOA serial and a hosts file's mtime and size).
// A file that cannot be read or parsed at start stops start-up naming it; on a later check it is
// logged and the data already loaded keeps answering.
import { readFileSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import type { Plugin } from '../core/plugin.ts';
import { CorefileError, directiveError, type Directive } from '../corefile/corefile.ts';
import { fileFromDirective } from '../file/file-config.ts';
import { filePlugin } from '../file/file-plugin.ts';
import { FileZone } from '../file/file-zone.ts';
import { ZoneData } from '../file/zone-data.ts';
import { hostsFromDirective } from '../hosts/hosts-corefile.ts';
import { hostsPlugin } from '../hosts/hosts-plugin.ts';
import { HostsReloader } from '../hosts/hosts-reloader.ts';
import { HostsTable } from '../hosts/hosts-table.ts';
import { hostsNodesFromText } from '../../sync/hosts/hosts-nodes.ts';
import { parseZoneFile } from '../../sync/zonefile/parse-zone-file.ts';
import { WeightTable } from '../loadbalance/weight-table.ts';
import { weightedPlugin } from '../loadbalance/weighted.ts';
import { loadbalanceFromDirective } from '../loadbalance/loadbalance-corefile.ts';
import { forwardFromDirective } from '../forward/forward-corefile.ts';
import type { ServerConfig } from './container-blocks.ts';

/** A source plugin with what keeps it current. */
export interface BlockSource {
  plugin: Plugin;
  /** Moves whenever its answers may change (the answer cache keys on it). */
  version(): number;
  close(): void;
}

const every = (ms: number, run: () => void) => {
  if (ms <= 0) return undefined;
  const timer = setInterval(run, ms);
  timer.unref();
  return timer;
};

/** `file DBFILE [ZONES...] { reload }`: every zone read now; re-read when its SOA serial moves. */
export function fileSource(
  d: Directive,
  blockZones: string[],
  warn: (line: string) => void,
): BlockSource {
  const o = fileFromDirective(d);
  const zones = o.zones.length > 0 ? o.zones : blockZones;
  const load = (text: string, zone: string) =>
    new ZoneData(
      zone,
      parseZoneFile(text, {
        file: o.file,
        origin: zone,
        read: (p) => readFileSync(p, 'utf8'),
      }),
    );
  const text = readFileSync(o.file, 'utf8');
  const fileZone = new FileZone(
    zones,
    zones.map((zone) => load(text, zone)),
  );
  const check = async () => {
    try {
      const next = await readFile(o.file, 'utf8');
      for (const zone of zones) {
        const data = load(next, zone);
        const now = fileZone.zones.get(zone);
        if (now?.soa.data.serial !== data.soa.data.serial) fileZone.swap(data);
      }
    } catch (error) {
      warn(`file ${o.file}: ${(error as Error).message}; keeping the zone loaded`);
    }
  };
  const timer = every(o.reloadMs, () => void check());
  return {
    plugin: filePlugin(fileZone),
    version: () => fileZone.version,
    close: () => clearInterval(timer),
  };
}

/** `hosts [FILE [ZONES...]] { ... }`: the file read now (a missing one serves the inline entries
 *  alone, as CoreDNS), then when its mtime or size changes. */
export async function hostsSource(
  d: Directive,
  blockZones: string[],
  warn: (line: string) => void,
): Promise<BlockSource> {
  const o = hostsFromDirective(d, blockZones);
  const build = { zones: o.zones, ttl: o.ttl, reverse: o.reverse };
  const table = new HostsTable(hostsNodesFromText(o.inline.join('\n'), build));
  const missing = (e: unknown) => (e as NodeJS.ErrnoException).code === 'ENOENT';
  const reloader = new HostsReloader({
    file: {
      stat: () => stat(o.file).catch((e) => (missing(e) ? undefined : Promise.reject(e))),
      read: () =>
        readFile(o.file, 'utf8').catch((e) => (missing(e) ? undefined : Promise.reject(e))),
    },
    table,
    build: (text) => hostsNodesFromText(text, build),
    onError: (error) => warn(`hosts ${o.file}: ${(error as Error).message}`),
  });
  await reloader.check();
  const timer = every(o.reloadMs, () => void reloader.check());
  return {
    plugin: hostsPlugin({
      table,
      zones: o.zones,
      ...(o.fallthrough && { fallthrough: o.fallthrough }),
      fallthroughUnsupported: o.fallthroughUnsupported,
    }),
    version: () => table.version,
    close: () => clearInterval(timer),
  };
}

/** `loadbalance weighted FILE { reload }`: the weights read now, and again every interval. */
export function weightedSource(
  file: string,
  reloadMs: number,
  warn: (line: string) => void,
): BlockSource {
  const table = new WeightTable(file);
  table.update(readFileSync(file, 'utf8'));
  let version = 0;
  const timer = every(reloadMs, () => {
    readFile(file, 'utf8')
      .then((text) => table.update(text) && version++)
      .catch((error: Error) => warn(`loadbalance ${file}: ${error.message}; keeping the weights`));
  });
  return {
    plugin: weightedPlugin(() => table.weights, Math.random),
    version: () => version,
    close: () => clearInterval(timer),
  };
}

/**
 * What start-up reads for a block's sources, read and parsed now without keeping anything:
 * `file` DBFILE for each of its zones, `loadbalance weighted` FILE, `forward { tls }`'s PEM
 * files. What `--validate` adds to
 * checkBlocks. Throws a CorefileError at the directive, naming the file and why.
 */
export function checkSourceFiles(servers: readonly ServerConfig[]): void {
  for (const server of servers) {
    for (const d of server.plugins) {
      try {
        if (d.name === 'file') fileSource(d, server.zones, () => {}).close();
        else if (d.name === 'loadbalance') {
          const lb = loadbalanceFromDirective(d);
          if (lb.policy === 'weighted') weightedSource(lb.weightFile, 0, () => {}).close();
        } else if (d.name === 'forward') {
          const tls = forwardFromDirective(d).tls as Record<string, string> | undefined;
          for (const path of Object.values(tls ?? {})) readFileSync(path);
        }
      } catch (error) {
        if (error instanceof CorefileError) throw error;
        throw directiveError(d, (error as Error).message);
      }
    }
  }
}
