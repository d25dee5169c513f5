// edge-dns's own series about its records: which version is served, how old it is, where it comes
// from, and whether the last known good records are standing in for an absent live source
// (docs/architecture.md §8.10). Read at scrape time.
import { Gauge, type Registry } from 'prom-client';

export type SourceState = 'snapshot' | 'watching' | 'synced';
const STATES: SourceState[] = ['snapshot', 'watching', 'synced'];

export interface RecordsState {
  /** The store's version: it moves with every change of the records. */
  version: number;
  /** Names held. */
  names: number;
  /** When the records last changed (unix ms), 0 before the first load. */
  changedAtMs: number;
  /** snapshot files; a live source before its first full list; a live source after it. */
  state: SourceState;
  /** A live source that has synced is away now: the records served are the last known good. */
  lastKnownGood: boolean;
}

export function registerRecordsMetrics(
  registry: Registry,
  records: () => RecordsState,
  now: () => number,
): void {
  const gauge = (name: string, help: string, read: (r: RecordsState) => number) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        this.set(read(records()));
      },
    });
  gauge(
    'edge_dns_records_version',
    'Version of the records served; moves with every change.',
    (r) => r.version,
  );
  gauge('edge_dns_records_names', 'Owner names in the records served.', (r) => r.names);
  gauge(
    'edge_dns_records_age_seconds',
    'Seconds since the records served last changed (0 before the first load).',
    (r) => (r.changedAtMs > 0 ? Math.max(0, (now() - r.changedAtMs) / 1000) : 0),
  );
  gauge(
    'edge_dns_last_known_good',
    '1 while the live source is away and the last known good records are served, else 0.',
    (r) => (r.lastKnownGood ? 1 : 0),
  );
  new Gauge({
    name: 'edge_dns_source_state',
    help: 'The records source: 1 for its current state (snapshot, watching before the first full list, synced), 0 for the others.',
    labelNames: ['state'],
    registers: [registry],
    collect() {
      const state = records().state;
      for (const s of STATES) this.set({ state: s }, s === state ? 1 : 0);
    },
  });
}
