// Small Kubernetes object fixtures for the builder's unit tests, parsed through the real schemas.
import {
  endpointSliceSchema,
  namespaceSchema,
  podSchema,
  serviceNameLabel,
  serviceSchema,
  type EndpointSlice,
  type EndpointSliceInput,
  type Namespace,
  type Pod,
  type Service,
  type ServiceInput,
} from '../../sync/kube/objects.ts';
import { buildCluster, type ClusterObjects } from '../../sync/records/cluster.ts';
import { defaultBuildOptions, type BuildOptions } from '../../sync/records/options.ts';
import { presentation } from './node-presentation.ts';

type ServiceSpec = ServiceInput['spec'];
type SliceEndpoint = EndpointSliceInput['endpoints'];
type SlicePorts = EndpointSliceInput['ports'];

export function namespace(name: string): Namespace {
  return namespaceSchema.parse({ metadata: { name } });
}

export function service(ns: string, name: string, spec: ServiceSpec): Service {
  return serviceSchema.parse({ metadata: { name, namespace: ns }, spec });
}

export function slice(
  ns: string,
  svc: string | undefined,
  addressType: string,
  endpoints: SliceEndpoint,
  ports: SlicePorts = null,
  name = `${svc ?? 'orphan'}-${addressType.toLowerCase()}`,
): EndpointSlice {
  const labels = svc === undefined ? {} : { [serviceNameLabel]: svc };
  return endpointSliceSchema.parse({
    metadata: { name, namespace: ns, labels },
    addressType,
    endpoints,
    ports,
  });
}

export function pod(
  ns: string,
  name: string,
  status: { phase?: string; podIP?: string; podIPs?: { ip: string }[] },
  deletionTimestamp?: string,
): Pod {
  return podSchema.parse({ metadata: { name, namespace: ns, deletionTimestamp }, status });
}

export function objects(parts: Partial<ClusterObjects>): ClusterObjects {
  return { namespaces: [], services: [], endpointSlices: [], pods: [], ...parts };
}

/** Lines every build with zones ['cluster.local'] holds, whatever the objects. */
const base = [
  'dns-version.cluster.local. 28800 IN TXT "1.1.0"',
  'pod.cluster.local. ; empty non-terminal',
  'svc.cluster.local. ; empty non-terminal',
];

/** The build of `parts` in presentation format, sorted; zones default to ['cluster.local'] and
 * the `base` lines are left out unless `keepBase`. */
export function build(
  parts: Partial<ClusterObjects>,
  options: Partial<BuildOptions> = {},
  keepBase = false,
): string[] {
  const nodes = buildCluster(objects(parts), {
    ...defaultBuildOptions,
    zones: ['cluster.local'],
    ...options,
  });
  const lines = presentation(nodes.values()).sort();
  return keepBase ? lines : lines.filter((l) => !base.includes(l));
}

/** A row of a builder case table: objects and options in, the build's presentation lines out. */
export interface BuildCase {
  name: string;
  parts: Partial<ClusterObjects>;
  options?: Partial<BuildOptions>;
  want: string[];
}

/** `lines` sorted, to compare with a build. */
export function sorted(lines: string[]): string[] {
  return [...lines].sort();
}
