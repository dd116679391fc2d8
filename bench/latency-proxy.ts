import net from 'node:net';

export interface LatencyProxy {
  /** Port on 127.0.0.1 that forwards to the target with the added delay. */
  port: number;
  /** Chunks forwarded from clients to the server (a rough count of client round trips). */
  clientChunks(): number;
  close(): Promise<void>;
}

/**
 * A TCP proxy on 127.0.0.1 that delays every chunk by `delayMs` in each
 * direction, keeping order, like a network hop to a database server nearby.
 */
export async function startLatencyProxy(target: { host: string; port: number }, delayMs: number): Promise<LatencyProxy> {
  let chunks = 0;
  const sockets = new Set<net.Socket>();
  const delayed = (from: net.Socket, to: net.Socket, count: boolean) => {
    from.on('data', (data) => {
      if (count) chunks++;
      setTimeout(() => {
        if (!to.destroyed) to.write(data);
      }, delayMs); // timers of equal delay fire in insertion order: the stream stays ordered
    });
    from.on('end', () => setTimeout(() => to.end(), delayMs));
    from.on('error', () => to.destroy());
  };
  const server = net.createServer((client) => {
    client.setNoDelay(true);
    const upstream = net.connect({ host: target.host, port: target.port });
    upstream.setNoDelay(true);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
    }
    delayed(client, upstream, true);
    delayed(upstream, client, false);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  return {
    port: (server.address() as net.AddressInfo).port,
    clientChunks: () => chunks,
    close: () => new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    }),
  };
}

/** The URL with host and port replaced by the proxy's. */
export function throughProxy(url: string, port: number): string {
  const parsed = new URL(url);
  parsed.hostname = '127.0.0.1';
  parsed.port = String(port);
  return parsed.toString();
}
