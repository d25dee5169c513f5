// dig's and kdig's text output read back, for the interop tests with real clients.
import { normalizeLine } from './presentation.ts';

/** What a client printed, read back: header, sections as normalized presentation lines, EDNS, stats. */
export interface ClientReply {
  status: string;
  flags: string[];
  answer: string[];
  authority: string[];
  additional: string[];
  /** UDP size of the reply's OPT record; undefined when the reply has no OPT. */
  udpSize: number | undefined;
  /** Bytes of the (last) reply received. */
  size: number | undefined;
  transport: string | undefined;
  /** dig said it got TC over UDP and asked again over TCP. */
  retriedOverTcp: boolean;
  text: string;
}

/** Reads dig's (`+comments +stats`) and kdig's default text output; both mark sections `;; X SECTION:`. */
export function parseClientOutput(text: string): ClientReply {
  const reply: ClientReply = {
    status: '',
    flags: [],
    answer: [],
    authority: [],
    additional: [],
    udpSize: undefined,
    size: undefined,
    transport: undefined,
    retriedOverTcp: false,
    text,
  };
  let section: 'answer' | 'authority' | 'additional' | undefined;
  const num = (m: RegExpExecArray | null) => (m ? Number(m[1]) : undefined);
  for (const line of text.split('\n')) {
    const header = /->>HEADER<<-.*status: (\w+)/.exec(line);
    if (header) reply.status = header[1] as string;
    const flags = /^;; flags: ([^;]*);/i.exec(line);
    if (flags) reply.flags = (flags[1] as string).trim().split(/\s+/);
    reply.udpSize ??=
      num(/^; EDNS: .*udp: (\d+)/.exec(line)) ?? num(/^;; Version: .*UDP size: (\d+) B/.exec(line));
    reply.size =
      num(/^;; MSG SIZE\s+rcvd: (\d+)/.exec(line)) ??
      num(/^;; Received (\d+) B/.exec(line)) ??
      reply.size;
    reply.transport = /^;; (?:SERVER: |From ).*\((UDP|TCP)\)/.exec(line)?.[1] ?? reply.transport;
    if (/Truncated, retrying in TCP mode/.test(line)) reply.retriedOverTcp = true;
    const start = /^;; (ANSWER|AUTHORITY|ADDITIONAL) SECTION:/.exec(line);
    if (start) section = (start[1] as string).toLowerCase() as typeof section;
    else if (line.trim() === '' || /^;; \w+ (PSEUDO)?SECTION:/.test(line)) section = undefined;
    else if (section && !line.startsWith(';')) reply[section].push(normalizeLine(line));
  }
  return reply;
}
