// The `file` and `hosts` directives of a Corefile, published for the edge as record items
// (docs/architecture.md §5.6, functions/store/dynamodb/codec-record-items.ts): one item per zone, one per hosts
// source, and the index listing them. Read at start (a file that cannot be read or parsed stops
// start-up, naming it), then re-read on each directive's `reload` interval as CoreDNS does: a
// zone is replaced only when its SOA serial moves, a hosts source whenever its records change; a
// file that no longer reads is logged and the items already published stay.
import { readFileSync } from 'node:fs';
import type { NameNode } from '../../functions/core/record.ts';
import { parseCorefile } from '../../functions/corefile/parse-corefile.ts';
import { nodeCorefileIo } from '../../functions/corefile/node-io.ts';
import { directiveError, type Directive } from '../../functions/corefile/corefile.ts';
import { fileFromDirective } from '../../functions/file/file-config.ts';
import { hostsFromDirective } from '../../functions/hosts/hosts-corefile.ts';
import {
  hostsItem,
  hostsItemName,
  recordIndex,
  zoneItem,
  zoneItemName,
  type RecordIndexEntry,
} from '../../functions/store/dynamodb/codec-record-items.ts';
import { hostsNodesFromText } from '../hosts/hosts-nodes.ts';
import { parseZoneFile } from '../zonefile/parse-zone-file.ts';
import type { ExtraNodes } from '../reconcile/reconciler.ts';

/** One directive's items, rebuilt on its reload interval. */
interface Source {
  reloadMs: number;
  /** Its items now; `previous` lets a zone keep its data until the serial moves. */
  load(previous: ReadonlyMap<string, NameNode>): NameNode[];
  what: string;
}

const read = (path: string) => readFileSync(path, 'utf8');
const missing = (e: unknown) => (e as NodeJS.ErrnoException).code === 'ENOENT';

export class RecordSources implements ExtraNodes {
  readonly #sources: Source[];
  readonly #items = new Map<string, NameNode>();
  readonly #listeners = new Set<(names: readonly string[]) => void>();
  readonly #timers: ReturnType<typeof setInterval>[] = [];
  readonly #log: (line: string) => void;

  /** Reads `corefile` and every file its `file` and `hosts` directives name; throws naming the
   *  file and line of the first problem. */
  constructor(corefile: string, log: (line: string) => void, env = process.env) {
    this.#log = log;
    const parsed = parseCorefile(read(corefile), corefile, { ...nodeCorefileIo, env });
    const index: RecordIndexEntry[] = [];
    const origins = new Map<string, Directive>();
    this.#sources = [];
    for (const block of parsed.servers) {
      const blockZones = block.keys.map((k) => k.zone);
      for (const d of block.directives) {
        if (d.name === 'file') {
          const o = fileFromDirective(d);
          const zones = o.zones.length > 0 ? o.zones : blockZones;
          for (const zone of zones) {
            const seen = origins.get(zone);
            if (seen)
              throw directiveError(d, `zone ${zone || '.'} is also served at line ${seen.line}`);
            origins.set(zone, d);
            index.push({ kind: 'file', origin: zone });
          }
          this.#sources.push(fileSource(o.file, zones, o.reloadMs));
        } else if (d.name === 'hosts') {
          const n = index.filter((e) => e.kind === 'hosts').length;
          const o = hostsFromDirective(d, blockZones);
          index.push({
            kind: 'hosts',
            item: hostsItemName(n),
            zones: o.zones,
            ...(o.fallthrough && { fallthrough: o.fallthrough }),
            fallthroughUnsupported: o.fallthroughUnsupported,
          });
          const build = { zones: o.zones, ttl: o.ttl, reverse: o.reverse };
          const inline = hostsNodesFromText(o.inline.join('\n'), build);
          this.#sources.push({
            reloadMs: o.reloadMs,
            what: `hosts ${o.file}`,
            load: (previous) => {
              let text = '';
              try {
                text = read(o.file);
              } catch (e) {
                // A hosts file that does not exist serves the inline entries (CoreDNS); one that
                // disappears later keeps what was read (plugin/hosts readHosts).
                if (!missing(e)) throw e;
                const held = previous.get(hostsItemName(n));
                if (held) return [held];
              }
              return [hostsItem(n, hostsNodesFromText(text, build), inline)];
            },
          });
        }
      }
    }
    for (const source of this.#sources)
      for (const item of source.load(this.#items)) this.#items.set(item.name, item);
    if (index.length > 0) this.#items.set(recordIndex(index).name, recordIndex(index));
  }

  get(name: string): NameNode | undefined {
    return this.#items.get(name);
  }

  keys(): Iterable<string> {
    return this.#items.keys();
  }

  onChange(listener: (names: readonly string[]) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Re-reads every source now; the names whose items changed. */
  reload(): string[] {
    return this.#sources.flatMap((s) => this.#reload(s));
  }

  /** Starts the reload timers (unref'ed: they never keep the process alive). */
  start(): void {
    for (const source of this.#sources) {
      if (source.reloadMs <= 0) continue;
      const timer = setInterval(() => this.#reload(source), source.reloadMs);
      timer.unref();
      this.#timers.push(timer);
    }
  }

  stop(): void {
    for (const timer of this.#timers.splice(0)) clearInterval(timer);
  }

  #reload(source: Source): string[] {
    let items: NameNode[];
    try {
      items = source.load(this.#items);
    } catch (error) {
      this.#log(`${source.what}: ${(error as Error).message}; keeping what was published`);
      return [];
    }
    const changed = items.filter(
      (item) => JSON.stringify(this.#items.get(item.name)) !== JSON.stringify(item),
    );
    for (const item of changed) this.#items.set(item.name, item);
    const names = changed.map((item) => item.name);
    if (names.length > 0) for (const listener of this.#listeners) listener(names);
    return names;
  }
}

/** `file DBFILE [ZONES...]`: each zone parsed from the file; a zone whose SOA serial did not move
 *  keeps its published item (CoreDNS's file plugin reloads on a new serial only). */
function fileSource(file: string, zones: string[], reloadMs: number): Source {
  return {
    reloadMs,
    what: `file ${file}`,
    load: (previous) => {
      const text = read(file);
      return zones.map((origin) => {
        // Throws for a zone without its SOA (zone-check.ts), as the container's load does.
        const records = parseZoneFile(text, { file, origin, read });
        const soa = records.find((rr) => rr.type === 'SOA');
        const serial = soa?.type === 'SOA' ? (soa.data.serial ?? 0) : 0;
        const held = previous.get(zoneItemName(origin));
        if (held && serialOf(held) === serial) return held;
        return withSerial(zoneItem(origin, records), serial);
      });
    },
  };
}

/** The serial a zone item was built from, kept beside it (not published). */
const serials = new WeakMap<NameNode, number>();
const serialOf = (item: NameNode) => serials.get(item);
function withSerial(item: NameNode, serial: number): NameNode {
  serials.set(item, serial);
  return item;
}
