// A TCP port on 127.0.0.1 that was free a moment ago: bound, read, released. Also serves
// as a port with nothing listening (connection-refused tests).
import { createServer } from 'node:net';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      if (address === null || typeof address === 'string') return reject(new Error('the probe server has no TCP address'));
      server.close(() => resolve(address.port));
    });
  });
}
