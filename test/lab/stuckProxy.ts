/**
 * stuckProxy is a test program: a unix socket in front of a Docker engine
 * that passes everything through except container starts, which it takes and
 * never answers (an engine call that hangs). Pings, inspections and the event
 * stream go on, so the engine looks alive.
 *
 *   node stuckProxy.js LISTEN_SOCKET ENGINE_SOCKET
 *
 * It runs until killed; every connection it holds ends with it.
 */
import { createConnection, createServer, type Socket } from 'node:net';
import { rmSync } from 'node:fs';

/** STUCK matches the request line of a container start (any API version prefix). */
const STUCK = /(^|\r\n)POST [^ ]*\/containers\/[^/ ]+\/start[ ?]/;

const [listen, target] = process.argv.slice(2);
if (!listen || !target) {
  process.stderr.write('usage: stuckProxy LISTEN_SOCKET ENGINE_SOCKET\n');
  process.exit(2);
}
rmSync(listen, { force: true });
const held: Socket[] = [];
const server = createServer((client) => {
  const engine = createConnection(target);
  let stuck = false;
  client.on('data', (chunk: Buffer) => {
    if (stuck) return;
    if (STUCK.test(chunk.toString('latin1'))) {
      // Taken and never answered: the connection stays open and silent.
      stuck = true;
      held.push(client);
      engine.destroy();
      return;
    }
    engine.write(chunk);
  });
  engine.on('data', (chunk: Buffer) => client.write(chunk));
  engine.on('end', () => { if (!stuck) client.end(); });
  engine.on('error', () => { if (!stuck) client.destroy(); });
  client.on('error', () => engine.destroy());
  client.on('close', () => engine.destroy());
});
server.listen(listen, () => process.stdout.write(`stuck proxy on ${listen} for ${target}\n`));

