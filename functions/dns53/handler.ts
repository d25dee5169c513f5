/** What a port-53 transport calls for each message: the response, or null to send nothing. */
export type MessageHandler = (message: Buffer, transport: 'udp' | 'tcp') => Promise<Buffer | null>;

/** Where transports report what they drop or fail on; never on the hot path of a good query. */
export interface TransportLog {
  warn(message: string): void;
}
