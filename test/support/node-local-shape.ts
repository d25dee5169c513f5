// What the kubelet would run for infra/kubernetes/node-local, read from its manifests: the
// interface sidecar's command, arguments and startup probe, the DNS container's arguments and
// HTTP probes, with what the kubelet supplies mapped onto this machine: the ConfigMap's files
// (kustomization.yaml's configMapGenerator) written to a folder in place of their mount path,
// $(VAR) expanded from the environment it is given, and /etc/resolv.conf (dnsPolicy: Default)
// swapped for a file of the test's.
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { IContainer } from 'kubernetes-models/v1/Container';
import type { IDaemonSet } from 'kubernetes-models/apps/v1/DaemonSet';
import { REPO_ROOT } from './container.ts';

const FOLDER = 'infra/kubernetes/node-local';

export interface NodeLocalShape {
  interface: { command: string[]; args: string[]; startupProbe: string[] };
  dns: { args: string[]; httpProbes: { host: string; port: number; path: string }[] };
}

interface Where {
  /** Where the ConfigMap's files are put, in place of the pod's mount path. */
  configDir: string;
  /** Replaces /etc/resolv.conf. */
  resolvConf: string;
  /** Variables for $(VAR) in commands and arguments (the kubelet sets them for Services). */
  env: Record<string, string>;
}

export function nodeLocalShape(where: Where): NodeLocalShape {
  const read = (file: string) => readFileSync(join(REPO_ROOT, FOLDER, file), 'utf8');
  const daemonSet = parse(read('daemonset.yaml')) as IDaemonSet;
  const pod = daemonSet.spec!.template.spec!;
  const kustomization = parse(read('kustomization.yaml')) as {
    configMapGenerator: { name: string; files: string[] }[];
  };
  // The config volume's ConfigMap, its files, and where the containers mount it.
  const volume = pod.volumes!.find((v) => v.configMap)!;
  const generator = kustomization.configMapGenerator.find((g) => g.name === volume.configMap!.name);
  if (!generator) throw new Error(`no configMapGenerator for ${volume.configMap!.name}`);
  for (const file of generator.files) {
    copyFileSync(join(REPO_ROOT, FOLDER, file), join(where.configDir, file));
  }
  const mountOf = (c: IContainer) => c.volumeMounts!.find((m) => m.name === volume.name)!.mountPath;

  const map = (c: IContainer, words: string[]) =>
    words.map((w) => {
      const out = w
        .split(mountOf(c))
        .join(where.configDir)
        .replace('/etc/resolv.conf', where.resolvConf)
        .replace(/\$\((\w+)\)/g, (whole, name: string) => where.env[name] ?? whole);
      if (/\$\(\w+\)/.test(out)) throw new Error(`${w}: no value for its variable`);
      return out;
    });

  const sidecar = pod.initContainers!.find((c) => c.restartPolicy === 'Always')!;
  const dns = pod.containers.find((c) => c.name === 'dns')!;
  const portOf = (port: number | string) =>
    typeof port === 'number' ? port : dns.ports!.find((p) => p.name === port)!.containerPort;
  return {
    interface: {
      command: map(sidecar, sidecar.command!),
      args: map(sidecar, sidecar.args!),
      startupProbe: map(sidecar, sidecar.startupProbe!.exec!.command!),
    },
    dns: {
      args: map(dns, dns.args!),
      httpProbes: [dns.livenessProbe!, dns.readinessProbe!].map((p) => ({
        host: p.httpGet!.host!,
        port: portOf(p.httpGet!.port),
        path: p.httpGet!.path!,
      })),
    },
  };
}
