// The hosts file's reload, as CoreDNS's `hosts` plugin does it (plugin/hosts readHosts): read it
// at start-up and every `reload`; parse it only when its modification time or size changed; when
// it cannot be read (deleted, unreadable), keep answering from what was read last. The entry
// passes the file access and the builder (sync/hosts), and schedules `check` (functions/hosts/README.md).
import type { NameNode } from '../core/record.ts';
import type { HostsTable } from './hosts-table.ts';

export interface HostsFileStat {
  mtimeMs: number;
  size: number;
}

/** The file, through the entry's I/O: undefined where it cannot be read. */
export interface HostsFileAccess {
  stat(): Promise<HostsFileStat | undefined>;
  read(): Promise<string | undefined>;
}

export interface HostsReloaderOptions {
  file: HostsFileAccess;
  table: HostsTable;
  /** The file's text to NameNodes (sync/hosts hostsNodesFromText with the plugin's options). */
  build: (text: string) => Iterable<NameNode>;
  /** Told after each swap: for `coredns_hosts_entries` and `coredns_hosts_reload_timestamp_seconds`. */
  onReload?: (info: { entries: number; mtimeMs: number }) => void;
  /** Told when the file access or the builder throws (the table stays as it was). */
  onError?: (error: unknown) => void;
}

export class HostsReloader {
  readonly #o: HostsReloaderOptions;
  #seen: HostsFileStat | undefined;
  #running: Promise<boolean> | undefined;

  constructor(o: HostsReloaderOptions) {
    this.#o = o;
  }

  /**
   * Reads the file if it changed and swaps the table: true when it did. Calls while one runs share
   * it. Never rejects: a file that cannot be read or stat'ed leaves the table as it is.
   */
  check(): Promise<boolean> {
    this.#running ??= this.#check().finally(() => (this.#running = undefined));
    return this.#running;
  }

  async #check(): Promise<boolean> {
    try {
      const stat = await this.#o.file.stat();
      if (!stat) return false;
      const seen = this.#seen;
      if (seen && seen.mtimeMs === stat.mtimeMs && seen.size === stat.size) return false;
      const text = await this.#o.file.read();
      if (text === undefined) return false;
      this.#o.table.replaceFile(this.#o.build(text));
      this.#seen = stat;
      this.#o.onReload?.({ entries: this.#o.table.entries, mtimeMs: stat.mtimeMs });
      return true;
    } catch (error) {
      this.#o.onError?.(error);
      return false;
    }
  }
}
