// Runs one of edge-dns's commands: the bundle `npm run build` wrote (dist/...) when it is newer
// than every TypeScript source file, else the TypeScript entry through tsx (a checkout after
// `npm install`). The entry reads process.argv as if it had been started directly.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

/** Newest modification time of the .ts files under `dir` (0 when there are none). */
function newestSource(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.ts')) continue;
    newest = Math.max(newest, statSync(join(entry.parentPath ?? entry.path, entry.name)).mtimeMs);
  }
  return newest;
}

function sourceIsNewer(bundle) {
  const folders = ['functions', 'sync', 'common'].map((f) => join(root, f)).filter(existsSync);
  const built = statSync(bundle).mtimeMs;
  return folders.some((f) => newestSource(f) > built);
}

/** `bundle`: under dist/; `source`: the TypeScript entry, from the repository root. */
export async function launch(bundle, source) {
  const built = join(root, 'dist', bundle);
  const entry = join(root, source);
  const fromSource = existsSync(entry) && (!existsSync(built) || sourceIsNewer(built));
  if (fromSource) {
    const { register } = await import('tsx/esm/api');
    register();
    await import(pathToFileURL(entry).href);
  } else {
    await import(pathToFileURL(built).href);
  }
}
