// Cold import of a bundle: the median, over fresh Node processes, of the time `import()` takes.
// The bundle is imported from a copy alone in a temporary folder, as Lambda unpacks the zip (the
// bundle and its map, nothing else): nothing resolves from the repository's node_modules, so a
// package left out of the bundle fails the measure instead of being loaded from here.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { percentiles } from './dnsperf.ts';

export function lambdaColdImport(bundle: string, processes: number): number {
  const dir = mkdtempSync(join(tmpdir(), 'edge-dns-cold-'));
  try {
    const alone = join(dir, basename(bundle));
    copyFileSync(bundle, alone);
    const times: number[] = [];
    const script = `const t = performance.now(); await import(${JSON.stringify(alone)}); console.log(performance.now() - t);`;
    for (let i = 0; i < processes; i++) {
      // The entry validates its configuration at import, as it does at a Lambda init.
      const env = {
        ...process.env,
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
        EDGE_DNS_TABLE: 'edge-dns',
        EDGE_DNS_CLUSTER: 'bench',
        AWS_REGION: 'us-east-1',
        EDGE_DNS_TOKENS: 'bench-token-0123456789',
      };
      const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
        cwd: dir,
        encoding: 'utf8',
        env,
      });
      if (r.status !== 0) throw new Error(`import of ${bundle} failed: ${r.stderr}`);
      times.push(Number(r.stdout.trim().split('\n').pop()));
    }
    return percentiles(times, [50])[0] ?? NaN;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
