import * as z from 'zod';
import { hostPort, validateWith } from '../../common/config/fields.ts';
import { durationMs } from '../../common/config/duration.ts';
import { isLiveSource, refineLiveSource } from '../../common/config/source-choice.ts';
import { ZONE_NAME, ZONE_NAME_EXPECTED, normalizeZoneName } from '../../common/config/zone-name.ts';
import { isReverseZone } from '../records/names.ts';
import type { BuildOptions } from '../records/options.ts';
import { kubernetesSchema } from './kubernetes-config.ts';

// The sync job's configuration (sync/main.ts): a YAML/JSON file and flags that mirror it
// (sync-flags.ts). README "The sync" lists both.

/** A cluster id is the DynamoDB sort key of every item the cluster owns. */
const clusterId = z
  .string()
  .regex(
    /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/,
    'expected a cluster id: 1-63 lowercase letters, digits and "-" (like a DNS label)',
  );

const syncConfigSchema = z
  .object({
    /** Required, except with createTable and no source (create the table, then exit). */
    clusterId: clusterId.optional(),
    dynamodb: z
      .object({
        table: z
          .string()
          .regex(
            /^[a-zA-Z0-9_.-]{3,255}$/,
            'expected a DynamoDB table name (3-255 of a-z A-Z 0-9 _ . -)',
          ),
        region: z.string().min(1, 'expected an AWS region such as eu-west-1 (or set AWS_REGION)'),
        /** Another endpoint than AWS's (dynalite, DynamoDB Local). */
        endpoint: z.url().optional(),
        /** The deadline of one DynamoDB call (sync/write/dynamodb-client.ts). */
        timeoutMs: durationMs({ min: 100, max: 60_000 }).default(5000),
      })
      .strict(),
    kubernetes: kubernetesSchema,
    /** coordination.k8s.io Lease: only its holder writes. */
    lease: z
      .object({
        namespace: z.string().min(1).default('default'),
        name: z.string().min(1).optional(),
        identity: z.string().min(1).default('edge-dns-sync'),
        durationSeconds: z.number().int().min(2).max(600).default(15),
      })
      .strict()
      .prefault({}),
    health: z.object({ listen: hostPort.optional() }).strict().prefault({}),
    /** Prometheus /metrics (sync/metrics/), as CoreDNS's `prometheus`; off when absent. */
    metrics: z.object({ listen: hostPort.optional() }).strict().prefault({}),
    /** Publish once and exit: a full list of the live cluster, or the snapshot files. */
    once: z.boolean().default(false),
    snapshots: z.array(z.string().min(1)).default([]),
    /** Re-plan everything (and re-read what the table holds) this often. */
    resyncSeconds: z.number().int().min(0).max(86_400).default(600),
    /** A Corefile whose `file` and `hosts` directives are published for the edge (sync/sources/). */
    corefile: z.string().min(1).optional(),
    /** The clusterset zone of the exported Services (sync/records/exported.ts); none when absent. */
    exportZone: z
      .string()
      .regex(ZONE_NAME, ZONE_NAME_EXPECTED)
      .transform(normalizeZoneName)
      .optional(),
    /** Create the table (sync/write/create-table.ts) unless it exists, before anything else. */
    createTable: z.boolean().default(false),
  })
  .strict()
  .superRefine((c, ctx) => {
    const live = refineLiveSource(c, ctx);
    if (c.snapshots.length > 0 && (live || !c.once)) {
      ctx.addIssue({
        code: 'custom',
        path: ['snapshots'],
        message: 'snapshots are published with once, and without a live cluster',
      });
    }
    const createOnly = c.createTable && !live && c.snapshots.length === 0;
    if (c.clusterId === undefined && !createOnly) {
      ctx.addIssue({
        code: 'custom',
        path: ['clusterId'],
        message: 'required: the cluster id this sync publishes as (--cluster-id)',
      });
    }
    const zone = c.exportZone;
    const clash =
      zone === undefined
        ? undefined
        : isReverseZone(zone)
          ? 'a reverse zone: the export zone is a forward zone'
          : c.kubernetes.multicluster?.includes(zone)
            ? 'also a multicluster zone: one zone answers either the imports or the exports'
            : [...c.kubernetes.zones, ...(c.kubernetes.external?.zones ?? [])].includes(zone)
              ? "also a zone this cluster serves: the export zone is the clusterset's own"
              : undefined;
    if (clash) ctx.addIssue({ code: 'custom', path: ['exportZone'], message: clash });
    if (!live && c.snapshots.length === 0 && !c.createTable) {
      ctx.addIssue({
        code: 'custom',
        path: ['kubernetes'],
        message: 'no source: give kubeconfig or inCluster (or snapshots with once)',
      });
    }
  });

/** clusterId is absent only when the sync just creates the table (`createOnly` above). */
export type SyncConfig = z.output<typeof syncConfigSchema> & { clusterId: string };

export function validateSyncConfig(input: unknown, source: string): SyncConfig {
  return validateWith(syncConfigSchema, input, source) as SyncConfig;
}

/** What the builder is given: the kubernetes options, and the export zone with this cluster's id. */
export function syncBuildOptions(c: SyncConfig): BuildOptions {
  return {
    ...c.kubernetes,
    ...(c.exportZone !== undefined && { export: { zone: c.exportZone, cluster: c.clusterId } }),
  };
}

/** With createTable and no source: create the table and exit. */
export function createsTableOnly(c: SyncConfig): boolean {
  return c.createTable && !isLiveSource(c.kubernetes) && c.snapshots.length === 0;
}
