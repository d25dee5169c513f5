// `npm run bench NAME [flags]`: runs bench/NAME.ts (dns, sync, doh, forward); without NAME, lists them.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const benches = ['dns', 'sync', 'doh', 'forward'].filter((b) => existsSync(`bench/${b}.ts`));
const [name, ...rest] = process.argv.slice(2);
if (!name || !benches.includes(name)) {
  console.error(`usage: npm run bench <${benches.join('|')}> [flags]   (see bench/README.md)`);
  process.exit(name ? 2 : 0);
}
const result = spawnSync(process.execPath, ['--import', 'tsx', `bench/${name}.ts`, ...rest], {
  stdio: 'inherit',
});
process.exit(result.status ?? 1);
