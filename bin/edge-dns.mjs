#!/usr/bin/env node
// `edge-dns`: the DNS server (functions/entry/container.ts). `edge-dns --help` lists every flag.
import { launch } from './launch.mjs';

await launch('container/container.mjs', 'functions/entry/container.ts');
