// What a sync publishes (docs/architecture.md §3.1): the Services its selection chooses, and the
// EndpointSlices of those only. Besides `namespaces`, CoreDNS's `labels` selector, and edge-dns's
// per-Service annotation `edge-dns.io/expose`: with `opt-in`, only Services annotated "true";
// with `opt-out`, every Service but those annotated "false". A Service not chosen gives no name,
// no SRV and no PTR, as if it did not exist. Namespaces are CoreDNS's (`<ns>.svc.<zone>` is
// NODATA for every Namespace object): `namespaces` narrows which names show. Pod records (`pods`)
// are not per Service: an edge meant for the outside keeps `pods disabled`. Pure.
import {
  EXPOSE_ANNOTATION,
  serviceNameLabel,
  type ClusterObjects,
  type Service,
} from '../kube/objects.ts';
import { serviceKey } from './endpoints.ts';
import { parseLabelSelector, selects, type LabelSelector } from './label-selector.ts';
import type { BuildOptions } from './options.ts';

const parsed = new Map<string, LabelSelector>();

/** `objects` narrowed to the Services `options` choose and their EndpointSlices. */
export function exposedObjects(objects: ClusterObjects, options: BuildOptions): ClusterObjects {
  const mode = options.expose ?? 'all';
  if (options.labels === undefined && mode === 'all') return objects;
  let selector: LabelSelector | undefined;
  if (options.labels !== undefined) {
    selector = parsed.get(options.labels) ?? parseLabelSelector(options.labels);
    parsed.set(options.labels, selector);
  }
  const chosen = (s: Service) => {
    if (selector && !selects(selector, s.metadata.labels ?? {})) return false;
    const said = s.metadata.annotations?.[EXPOSE_ANNOTATION];
    return mode === 'all' || (mode === 'opt-in' ? said === 'true' : said !== 'false');
  };
  const services = objects.services.filter(chosen);
  const kept = new Set(services.map((s) => serviceKey(s.metadata.namespace, s.metadata.name)));
  const endpointSlices = objects.endpointSlices.filter((e) => {
    const owner = e.metadata.labels?.[serviceNameLabel];
    return owner !== undefined && kept.has(serviceKey(e.metadata.namespace, owner));
  });
  return { ...objects, services, endpointSlices };
}
