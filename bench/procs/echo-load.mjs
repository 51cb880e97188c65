/**
 * Echo load (its own process): `clients` connections to 127.0.0.1:port; once
 * all are up and the parent says "go" (a line on stdin), every client runs
 * `rounds` round trips of a `size`-byte message at the same time, each waiting
 * for its whole message back before the next. Prints { connected } and then
 * { n, p50, p99, max, mean, ms, bad } (round trips in ms).
 * argv[2] JSON: { port, clients, rounds, size }
 */
import { createConnection } from 'node:net';
import { createInterface } from 'node:readline';

const o = JSON.parse(process.argv[2]);
const socks = [];
const rtts = [];
let bad = 0;

function connectOne(i) {
  return new Promise((res, rej) => {
    const s = createConnection({ host: '127.0.0.1', port: o.port, noDelay: true }, () => res(s));
    s.once('error', rej);
    s.index = i;
  });
}

async function connectAll() {
  const CONCURRENCY = 100;
  let next = 0;
  const worker = async () => {
    while (next < o.clients) {
      const i = next++;
      socks[i] = await connectOne(i);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
}

function run(s) {
  return new Promise((res) => {
    let round = 0;
    let got = 0;
    let t0 = 0;
    let msg;
    const sendNext = () => {
      msg = Buffer.alloc(o.size, 46);
      msg.write(`c${s.index}r${round}`, 'latin1');
      got = 0;
      t0 = performance.now();
      s.write(msg);
    };
    s.on('data', (d) => {
      if (!msg.subarray(got, got + d.length).equals(d)) bad++;
      got += d.length;
      if (got < o.size) return;
      rtts.push(performance.now() - t0);
      if (++round < o.rounds) sendNext();
      else res();
    });
    sendNext();
  });
}

await connectAll();
console.log(JSON.stringify({ connected: socks.length }));
const rl = createInterface({ input: process.stdin });
await new Promise((r) => rl.once('line', r));
const start = performance.now();
await Promise.all(socks.map(run));
const ms = performance.now() - start;
rtts.sort((a, b) => a - b);
const q = (p) => rtts[Math.min(rtts.length - 1, Math.floor(p * rtts.length))];
const mean = rtts.reduce((a, b) => a + b, 0) / rtts.length;
console.log(JSON.stringify({ n: rtts.length, p50: q(0.5), p99: q(0.99), max: rtts[rtts.length - 1], mean, ms, bad }));
for (const s of socks) s.destroy();
rl.close();
process.exit(0);
