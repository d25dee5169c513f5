// The one error a zone file raises: it names the file, the line and what was expected, as
// NSD's zone checker words its own (`db.example.org:12: AAAA: '10.0.0.1' is not an IPv6 address`).

export class ZoneFileError extends Error {
  override name = 'ZoneFileError';
  constructor(
    readonly file: string,
    readonly line: number,
    readonly reason: string,
  ) {
    super(`${file}:${line}: ${reason}`);
  }
}

/** Where a token or record was read: for errors. */
export interface Position {
  file: string;
  line: number;
}

/** Throws the ZoneFileError for `reason` at `at`. */
export function fail(at: Position, reason: string): never {
  throw new ZoneFileError(at.file, at.line, reason);
}
