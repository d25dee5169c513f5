// DNS programming latency, as CoreDNS's `kubernetes` plugin measures it for
// `coredns_kubernetes_dns_programming_duration_seconds` (the Kubernetes "DNS programming latency"
// SLI): from the time the EndpointSlice controller saw the change a slice carries (its
// `endpoints.kubernetes.io/last-change-trigger-time` annotation) to that change being served.
// CoreDNS serves from its informer, so it observes when the slice is stored; edge-dns observes
// when the reconcile round that rebuilt the slice's names has published them
// (docs/architecture.md §8.9). As CoreDNS: only a slice of exactly one Service, a headless one
// (clusterIP None), with the annotation counts, as `headless_with_selector` (the controller writes
// the annotation only for Services with a selector); a deleted slice is not observed; a time that
// does not parse is logged and skipped.
import {
  lastChangeTriggerTime,
  serviceNameLabel,
  type EndpointSlice,
  type Service,
} from '../kube/objects.ts';
import type { ObjectSource } from '../reconcile/object-source.ts';

/** CoreDNS's `service_kind` label values; only `headless_with_selector` is ever observed. */
export type ServiceKind = 'cluster_ip' | 'headless_with_selector' | 'headless_without_selector';

export interface ProgrammingLatencyOptions {
  source: ObjectSource;
  /** Told each programmed change: its kind and the seconds since its trigger time. */
  observe: (kind: ServiceKind, seconds: number) => void;
  now?: () => number;
  log?: (line: string) => void;
}

const SLICE = 'EndpointSlice/';

export class ProgrammingLatency {
  readonly #o: ProgrammingLatencyOptions;
  /** Slices changed and not yet published that count: key -> trigger time (unix ms). */
  readonly #pending = new Map<string, number>();

  constructor(options: ProgrammingLatencyOptions) {
    this.#o = options;
  }

  /** A watch event: remembers the slice's trigger time when it counts, forgets it otherwise. */
  changed(kind: string, key: string): void {
    if (kind !== 'EndpointSlice') return;
    const at = this.#triggerTime(key);
    if (at === undefined) this.#pending.delete(key);
    else this.#pending.set(key, at);
  }

  /** The reconciler published the change of `id` (`Kind/key`, reconcile/change-latency.ts). */
  published(id: string): void {
    if (!id.startsWith(SLICE)) return;
    const key = id.slice(SLICE.length);
    const at = this.#pending.get(key);
    if (at === undefined) return;
    this.#pending.delete(key);
    this.#o.observe('headless_with_selector', ((this.#o.now ?? Date.now)() - at) / 1000);
  }

  #triggerTime(key: string): number | undefined {
    const source = this.#o.source;
    const slice = source.objects('EndpointSlice').get(key) as EndpointSlice | undefined;
    const text = slice?.metadata.annotations?.[lastChangeTriggerTime];
    const service = slice?.metadata.labels?.[serviceNameLabel];
    if (text === undefined || service === undefined) return undefined;
    const owner = source.objects('Service').get(`${slice!.metadata.namespace}/${service}`) as
      Service | undefined;
    if (owner?.spec.clusterIP !== 'None') return undefined;
    const at = parseRfc3339(text);
    if (at === undefined)
      this.#o.log?.(
        `DNS programming latency cannot be calculated for EndpointSlice ${key}: invalid ${lastChangeTriggerTime} annotation, expected an RFC 3339 time, got ${JSON.stringify(text)}`,
      );
    return at;
  }
}

const RFC3339 =
  /^(\d{4})-(\d\d)-(\d\d)[Tt](\d\d):(\d\d):(\d\d)(?:\.(\d{1,9}))?(?:[Zz]|([+-])(\d\d):(\d\d))$/;

/** An RFC 3339 time (Go's time.RFC3339Nano, which Kubernetes writes) as unix ms; else undefined. */
export function parseRfc3339(text: string): number | undefined {
  const m = RFC3339.exec(text);
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  if (mo < 1 || mo > 12 || h > 23 || mi > 59 || s > 59) return undefined;
  const day = Date.UTC(y, mo - 1, d, h, mi, s);
  // Date.UTC rolls 31 April over into May: a day the month lacks is refused, as Go does.
  if (d < 1 || new Date(day).getUTCDate() !== d) return undefined;
  const fraction = m[7] ? Number(`0.${m[7]}`) * 1000 : 0;
  const offset = m[8] ? (m[8] === '-' ? -1 : 1) * (Number(m[9]) * 60 + Number(m[10])) * 60_000 : 0;
  return day + fraction - offset;
}
