import { serveUdp, type UdpServer } from './udp.ts';
import { serveTcp, type TcpLimits, type TcpServer } from './tcp.ts';
import type { MessageHandler, TransportLog } from './handler.ts';

/**
 * UDP and TCP on one port, as DNS clients expect (RFC 1035 §4.2). With port 0 the UDP port is
 * picked by the system and TCP takes the same number; if another process holds that TCP port,
 * both are picked again.
 */
export async function serveDns53(
  host: string,
  port: number,
  handle: MessageHandler,
  log: TransportLog,
  limits: TcpLimits,
): Promise<{ udp: UdpServer; tcp: TcpServer }> {
  for (let attempt = 1; ; attempt++) {
    const udp = await serveUdp(host, port, handle, log);
    try {
      return { udp, tcp: await serveTcp(host, udp.address.port, handle, log, limits) };
    } catch (error) {
      await udp.close();
      if (port !== 0 || (error as NodeJS.ErrnoException).code !== 'EADDRINUSE' || attempt >= 20)
        throw error;
    }
  }
}
