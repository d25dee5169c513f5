// bench:dns --native: builds bench/native-ceiling.c with the machine's C compiler and prints the
// UDP sweep of edge-dns, the Node ceiling and the native prototype (one datagram per system call,
// and batches) side by side. The figures of what a native fast path would reach: bench/README.md.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type { Measured } from './report.ts';

/** Datagrams per recvmmsg/sendmmsg call in the prototype's runs. */
export const nativeBatches = [1, 64] as const;

/** The compiled prototype's path, or why there is none (no gcc/cc). */
export function buildNative(root: string, dir: string): { path: string } | { missing: string } {
  const path = join(dir, 'native-ceiling');
  for (const cc of ['gcc', 'cc']) {
    const built = spawnSync(cc, ['-O2', '-o', path, join(root, 'bench', 'native-ceiling.c')], {
      encoding: 'utf8',
    });
    if (built.error) continue;
    if (built.status !== 0) return { missing: `${cc} failed: ${built.stderr.trim()}` };
    return { path };
  }
  return { missing: 'no C compiler (gcc or cc) on this machine' };
}

/** Best q/s of each variant's sweep, CPU per query, and each against edge-dns and the Node ceiling. */
export function printNativeComparison(rows: { name: string; runs: readonly Measured[] }[]): void {
  const best = (runs: readonly Measured[]) =>
    runs.reduce((a, b) => (b.result.qps > a.result.qps ? b : a));
  const figures = rows.map((r) => ({ name: r.name, m: best(r.runs) }));
  const [edge, ceiling] = figures;
  const line = (cells: string[]) => console.log(`| ${cells.join(' | ')} |`);
  console.log('\nUDP, best of the sweep, the servers in turns (mean of two runs each):');
  line([
    'server',
    'q/s',
    'server CPU',
    'CPU per query',
    "dnsperf's core",
    'vs edge-dns',
    'vs Node ceiling',
    'setting',
  ]);
  line(['---', '---', '---', '---', '---', '---', '---', '---']);
  for (const { name, m } of figures) {
    const qps = m.result.qps;
    line([
      name,
      Math.round(qps).toLocaleString('en-US'),
      `${Math.round(m.serverCpu * 100)}%`,
      `${((m.serverCpu / qps) * 1e6).toFixed(1)} µs`,
      // A server below 100% CPU with dnsperf's core at 100%: dnsperf set the pace, not the server.
      m.cores[1] === undefined ? 'n/a' : `${Math.round(m.cores[1] * 100)}%`,
      `${(qps / edge!.m.result.qps).toFixed(2)}x`,
      `${(qps / ceiling!.m.result.qps).toFixed(2)}x`,
      `-c ${m.result.run.clients} -q ${m.result.run.outstanding}`,
    ]);
  }
}
