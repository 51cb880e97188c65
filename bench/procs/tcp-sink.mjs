/**
 * Baseline sink (its own process): a bare node:net server that only counts
 * bytes. Prints { port } when listening and { bytes } as each connection closes.
 */
import { createServer } from 'node:net';

const server = createServer((s) => {
  let n = 0;
  s.on('data', (d) => (n += d.length));
  s.on('error', () => undefined);
  s.on('close', () => console.log(JSON.stringify({ bytes: n })));
});
server.listen(0, '127.0.0.1', () => console.log(JSON.stringify({ port: server.address().port })));
process.stdin.on('end', () => process.exit(0)).resume();
