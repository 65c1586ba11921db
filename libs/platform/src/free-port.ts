import { createServer } from 'node:net';

/**
 * Asks the kernel for a free TCP port on the loopback interface. The port is released before it is
 * returned, so another process could take it in between; callers that start a server on it should
 * retry on "address in use" rather than assume it is still free.
 */
export function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen({ port: 0, host: '127.0.0.1' }, () => {
      const address = server.address();
      if (address === null || typeof address === 'string') {
        server.close();
        reject(new Error('could not read the port of a listening socket'));
        return;
      }
      server.close(() => resolve(address.port));
    });
  });
}
