/**
 * Paced UDP load (its own process): `rate` datagrams/s of `size` bytes for
 * `secs` seconds to 127.0.0.1:port, topping up to rate × elapsed every tick.
 * Prints { sent, ms }.  argv[2] JSON: { port, rate, secs, size }
 */
import { createSocket } from 'node:dgram';

const o = JSON.parse(process.argv[2]);
const s = createSocket('udp4');
const b = Buffer.alloc(o.size, 98);
const total = Math.round(o.rate * o.secs);
let sent = 0;
let errors = 0;
s.on('error', () => errors++);
s.connect(o.port, '127.0.0.1', () => {
  const start = performance.now();
  const tick = () => {
    const due = Math.min(total, Math.floor(((performance.now() - start) / 1000) * o.rate));
    while (sent < due) {
      s.send(b);
      sent++;
    }
    if (sent < total) setTimeout(tick, 1);
    else setTimeout(() => {
      console.log(JSON.stringify({ sent, errors, ms: performance.now() - start }));
      s.close();
    }, 20);
  };
  tick();
});
