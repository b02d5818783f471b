import { createServer } from 'node:net';

/**
 * freePort asks the kernel for a TCP port free on host (127.0.0.1 unless
 * given) and gives it back at once: for tests and benchmarks that must name a
 * port before something listens on it (a published port, a manager's
 * --listen). The one copy of it: tests and bench/ import it from @cluster/agent.
 */
export async function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, host, () => {
      const address = s.address();
      s.close(() => (address !== null && typeof address === 'object' ? resolve(address.port) : reject(new Error('freePort: no port'))));
    });
  });
}
