// bench:doh's side-by-side table: the best of each server's runs (the host's noise only slows a
// run), edge-dns's ratio to the minimal Node server beside the floors, then every run's figures.
import type { H2loadResult } from './h2load.ts';
import type { ServerName } from './doh-servers.ts';

export interface Figures {
  get: { max: H2loadResult; fixed: H2loadResult };
  post: { max: H2loadResult; fixed: H2loadResult };
  rss: number;
}

const COLUMNS: ServerName[] = ['edge-dns', 'minimal', 'canned', 'unbound'];
type Method = 'get' | 'post';

const bestRps = (runs: Figures[], m: Method) => Math.max(...runs.map((r) => r[m].max.rps));
const bestFixed = (runs: Figures[], m: Method) =>
  runs.map((r) => r[m].fixed).reduce((a, b) => (b.p99 < a.p99 ? b : a));

export function describeDoh(all: Map<ServerName, Figures[]>): string {
  const out: string[] = [];
  const row = (cells: string[]) => out.push(`| ${cells.join(' | ')} |`);
  const n = Math.max(...[...all.values()].map((r) => r.length));
  row(['', 'edge-dns', 'minimal Node', 'canned Node', 'unbound', 'edge-dns / minimal', 'floor']);
  row(Array(7).fill('---'));
  const cell = (name: ServerName, f: (runs: Figures[]) => string) => {
    const runs = all.get(name);
    return runs?.length ? f(runs) : '';
  };
  const ratio = (f: (runs: Figures[]) => number) => {
    const [e, m] = [all.get('edge-dns'), all.get('minimal')];
    return e?.length && m?.length ? `${(f(e) / f(m)).toFixed(2)}x` : '';
  };
  for (const m of ['get', 'post'] as const) {
    const label = m.toUpperCase();
    row([
      `${label} q/s at full load (8 connections x 32 streams), best of ${n}`,
      ...COLUMNS.map((c) => cell(c, (r) => bestRps(r, m).toFixed(0))),
      ratio((r) => bestRps(r, m)),
      '>= 0.8x',
    ]);
    row([
      `${label} p50 / p99 at 5,000 q/s, best p99 of ${n}`,
      ...COLUMNS.map((c) =>
        cell(c, (r) => `${bestFixed(r, m).p50.toFixed(2)} / ${bestFixed(r, m).p99.toFixed(2)} ms`),
      ),
      ratio((r) => bestFixed(r, m).p99),
      '<= 1.5x (p99)',
    ]);
  }
  row([
    'RSS after the runs (largest)',
    ...COLUMNS.map((c) => cell(c, (r) => `${Math.max(...r.map((x) => x.rss)).toFixed(0)} MB`)),
    '',
    '',
  ]);
  out.push('', 'Every run (full-load q/s; p99 at 5,000 q/s; failed requests):');
  for (const [name, runs] of all)
    for (const m of ['get', 'post'] as const)
      out.push(
        `- ${name} ${m.toUpperCase()}: ${runs.map((r) => `${r[m].max.rps.toFixed(0)} q/s, ${r[m].fixed.p99.toFixed(2)} ms, ${r[m].max.failed + r[m].fixed.failed} failed`).join('; ')}`,
      );
  return out.join('\n');
}
