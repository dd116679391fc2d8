import net from 'node:net';

/** The first port from `preferred` upwards that can be bound on 127.0.0.1. */
export async function freePort(preferred: number, attempts = 50): Promise<number> {
  for (let port = preferred; port < preferred + attempts; port++) {
    if (await canListen(port)) return port;
  }
  throw new Error(`Rowtrail: no free port between ${preferred} and ${preferred + attempts - 1} for embedded PostgreSQL`);
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}
