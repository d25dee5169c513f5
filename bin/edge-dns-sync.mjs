#!/usr/bin/env node
// `edge-dns-sync`: the sync job (sync/main.ts). `edge-dns-sync --help` lists every flag.
import { launch } from './launch.mjs';

await launch('sync/sync.mjs', 'sync/main.ts');
