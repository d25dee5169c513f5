// The Kubernetes objects edge-dns reads, narrowed to the fields it uses (docs/architecture.md §2).
// z.object strips unknown fields. Optional here = `omitempty` (or a pointer) in the Kubernetes Go
// types; list fields Go serializes without omitempty (`endpoints`, `ports` of an EndpointSlice)
// may be `null` and are normalized to []. IP strings are not validated here: the builder skips
// what does not parse, as CoreDNS does, so one odd address never rejects a whole object.
import * as z from 'zod';

/** A Go slice: absent or null both mean empty. */
function list<T extends z.ZodType>(item: T) {
  return z
    .array(item)
    .nullish()
    .transform((v): z.output<T>[] => v ?? []);
}

// Kubernetes object names are DNS-1123 subdomains (the API server enforces it); a dump that breaks
// this is refused here rather than turned into odd owner names.
const name = z
  .string()
  .min(1, 'must be a non-empty name')
  .max(253, 'must be at most 253 characters')
  .regex(
    /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/,
    'expected a DNS-1123 name: lowercase letters, digits, "-" and "."',
  );

/** ObjectMeta of a cluster-scoped object. */
const clusterMeta = z.object({
  name,
  labels: z.record(z.string(), z.string()).nullish(),
});

/** ObjectMeta of a namespaced object (List items from `-A` always carry the namespace). */
const namespacedMeta = clusterMeta.extend({
  namespace: name,
  deletionTimestamp: z.string().nullish(),
});

export const namespaceSchema = z.object({
  metadata: clusterMeta,
});
export type Namespace = z.infer<typeof namespaceSchema>;

/** core/v1 ServicePort. `protocol` defaults to TCP on the server, so it is normally present. */
const servicePortSchema = z.object({
  name: z.string().nullish(),
  port: z.number().int().min(0).max(65535),
  protocol: z.string().nullish(),
});

/** The per-Service exposure annotation (sync/records/exposure.ts): "true" or "false". */
export const EXPOSE_ANNOTATION = 'edge-dns.io/expose';

export const serviceSchema = z.object({
  metadata: namespacedMeta.extend({
    /** Only the exposure annotation is kept; z.object drops the others. */
    annotations: z.object({ [EXPOSE_ANNOTATION]: z.string().optional() }).nullish(),
  }),
  spec: z
    .object({
      /** ClusterIP (default) | NodePort | LoadBalancer | ExternalName. */
      type: z.string().nullish(),
      /** An IP, 'None' (headless) or '' / absent. */
      clusterIP: z.string().nullish(),
      clusterIPs: list(z.string()),
      ipFamilies: list(z.string()),
      ports: list(servicePortSchema),
      externalName: z.string().nullish(),
      publishNotReadyAddresses: z.boolean().nullish(),
      /** Addresses routed to the Service from outside (k8s_external, sync/records/external.ts). */
      externalIPs: list(z.string()),
    })
    .default({ clusterIPs: [], ipFamilies: [], ports: [], externalIPs: [] }),
  /** A LoadBalancer's ingress points: an IP, else a hostname (k8s_external). */
  status: z
    .object({
      loadBalancer: z
        .object({
          ingress: list(z.object({ ip: z.string().nullish(), hostname: z.string().nullish() })),
        })
        .nullish(),
    })
    .nullish(),
});
export type Service = z.infer<typeof serviceSchema>;

/** discovery/v1 EndpointPort: every field is a pointer in Go. */
const endpointPortSchema = z.object({
  name: z.string().nullish(),
  port: z.number().int().min(0).max(65535).nullish(),
  protocol: z.string().nullish(),
});

/** discovery/v1 EndpointConditions: nil `ready` means ready (API doc: "unknown state ... ready"). */
const endpointConditionsSchema = z.object({
  ready: z.boolean().nullish(),
  serving: z.boolean().nullish(),
  terminating: z.boolean().nullish(),
});

const objectReferenceSchema = z.object({
  kind: z.string().nullish(),
  name: z.string().nullish(),
  namespace: z.string().nullish(),
});

const endpointSchema = z.object({
  addresses: list(z.string()),
  conditions: endpointConditionsSchema.nullish(),
  hostname: z.string().nullish(),
  targetRef: objectReferenceSchema.nullish(),
  nodeName: z.string().nullish(),
  /** The topology zone the endpoint is in: what zonal names select on (sync/records/zonal.ts). */
  zone: z.string().nullish(),
});
export type Endpoint = z.infer<typeof endpointSchema>;

/** Label that joins an EndpointSlice to its Service. */
export const serviceNameLabel = 'kubernetes.io/service-name';

/**
 * When the EndpointSlice controller saw the change a slice carries (RFC 3339): what CoreDNS's
 * `coredns_kubernetes_dns_programming_duration_seconds` is measured from (sync/live/).
 */
export const lastChangeTriggerTime = 'endpoints.kubernetes.io/last-change-trigger-time';

export const endpointSliceSchema = z.object({
  metadata: namespacedMeta.extend({
    /** Only the trigger time is kept; z.object drops the other annotations. */
    annotations: z.object({ [lastChangeTriggerTime]: z.string().optional() }).nullish(),
  }),
  /** IPv4 | IPv6 | FQDN. */
  addressType: z.string(),
  endpoints: list(endpointSchema),
  ports: list(endpointPortSchema),
});
export type EndpointSlice = z.infer<typeof endpointSliceSchema>;

/** Pod names come from EndpointSlices (hostname, targetRef): CoreDNS reads no pod spec field. */
export const podSchema = z.object({
  metadata: namespacedMeta,
  status: z
    .object({
      phase: z.string().nullish(),
      podIP: z.string().nullish(),
      podIPs: list(z.object({ ip: z.string() })),
    })
    .nullish(),
});
export type Pod = z.infer<typeof podSchema>;

/** Labels of the EndpointSlices an MCS implementation imports (KEP-1645, sync/records/multicluster.ts). */
export const multiclusterServiceLabel = 'multicluster.kubernetes.io/service-name';
export const sourceClusterLabel = 'multicluster.kubernetes.io/source-cluster';

/** multicluster.x-k8s.io/v1alpha1 ServiceImport (KEP-1645): what CoreDNS object.ToServiceImport keeps. */
export const serviceImportSchema = z.object({
  metadata: namespacedMeta.extend({
    annotations: z.object({ [EXPOSE_ANNOTATION]: z.string().optional() }).nullish(),
  }),
  spec: z
    .object({
      /** ClusterSetIP | Headless. */
      type: z.string().nullish(),
      ips: list(z.string()),
      ports: list(servicePortSchema),
    })
    .default({ ips: [], ports: [] }),
});
export type ServiceImport = z.infer<typeof serviceImportSchema>;

/** multicluster.x-k8s.io/v1alpha1 ServiceExport (KEP-1645): its name and namespace are the
 *  exported Service's; nothing else is read (sync/records/exported.ts). */
export const serviceExportSchema = z.object({ metadata: namespacedMeta });
export type ServiceExport = z.infer<typeof serviceExportSchema>;

/** Schema per `kind`, for a loader that dispatches List items. */
export const objectSchemas = {
  Namespace: namespaceSchema,
  Service: serviceSchema,
  EndpointSlice: endpointSliceSchema,
  Pod: podSchema,
  ServiceImport: serviceImportSchema,
  ServiceExport: serviceExportSchema,
} as const;
export type ObjectKind = keyof typeof objectSchemas;

/** What the schemas accept (JSON as the API serves it), e.g. for fixtures. */
export type ServiceInput = z.input<typeof serviceSchema>;
export type EndpointSliceInput = z.input<typeof endpointSliceSchema>;

/**
 * An object's key within its kind: `namespace/name`, or `name` for a cluster-scoped object (a
 * Namespace, whose narrowed metadata has no namespace).
 */
export function objectKey(obj: { metadata: { name: string; namespace?: string } }): string {
  const { name, namespace } = obj.metadata;
  return namespace === undefined ? name : `${namespace}/${name}`;
}

/** Everything the builder reads, as the snapshot loader (or the watch) hands it over. */
export interface ClusterObjects {
  namespaces: Namespace[];
  services: Service[];
  endpointSlices: EndpointSlice[];
  pods: Pod[];
  /** Read only with `multicluster` zones (sync/records/multicluster.ts). */
  serviceImports?: ServiceImport[];
  /** Read only with an export zone (sync/records/exported.ts). */
  serviceExports?: ServiceExport[];
}
