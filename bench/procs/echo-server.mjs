/** Baseline echo server (its own process): writes back what it reads. Prints { port }. */
import { createServer } from 'node:net';

const server = createServer({ noDelay: true }, (s) => {
  s.on('data', (d) => s.write(d));
  s.on('error', () => undefined);
});
server.listen({ port: 0, host: '127.0.0.1', backlog: 2048 }, () => console.log(JSON.stringify({ port: server.address().port })));
process.stdin.on('end', () => process.exit(0)).resume();
