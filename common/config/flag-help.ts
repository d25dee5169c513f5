import type { FlagRow } from './flag-table.ts';

// --help, generated from a command's flag table: each flag with its placeholder and description,
// then its default, the key it sets in the --config file and its CoreDNS equivalent.

const COLUMN = 30;

export function helpText(command: string, summary: string, rows: readonly FlagRow[]): string {
  const lines = [
    `usage: ${command} [FLAG]...`,
    '',
    summary,
    '',
    'Flags (a flag overrides its key in the --config file):',
  ];
  const pad = ' '.repeat(COLUMN + 4);
  for (const row of rows) {
    const name = `  --${row.flag}${row.value ? ` ${row.value}` : ''}${row.repeat ? ' (repeatable)' : ''}`;
    if (name.length < COLUMN + 2) lines.push(`${name.padEnd(COLUMN + 4)}${row.help}`);
    else lines.push(name, `${pad}${row.help}`);
    const notes = [
      row.default !== undefined ? `default ${row.default}` : '',
      row.key ? `key ${row.key}` : '',
      row.coredns ? `CoreDNS: ${row.coredns}` : '',
    ].filter(Boolean);
    if (notes.length) lines.push(`${pad}${notes.join('; ')}`);
  }
  return lines.join('\n');
}
