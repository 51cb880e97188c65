/**
 * Baseline UDP sink (its own process): a bare dgram socket that counts
 * datagrams. Prints { port }; answers each "report" line on stdin with { count }.
 */
import { createSocket } from 'node:dgram';
import { createInterface } from 'node:readline';

let count = 0;
const s = createSocket('udp4');
s.on('message', () => count++);
s.bind(0, '127.0.0.1', () => console.log(JSON.stringify({ port: s.address().port })));
createInterface({ input: process.stdin })
  .on('line', () => console.log(JSON.stringify({ count })))
  .on('close', () => process.exit(0));
