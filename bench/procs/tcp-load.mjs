/**
 * Load generator (its own process): connects to 127.0.0.1:port and writes
 * `bytes` in `chunk`-byte writes, honouring backpressure, then ends and waits
 * for the peer to close (it only does after reading everything).
 * Prints one JSON line: { ms, bytes } — ms from connect to close.
 *
 * argv[2] JSON: { port, bytes, pattern: 'text' | 'binary' | 'lines', chunk?, tls?: true (TLS, the
 *   certificate not checked; ms from the end of the handshake),
 *   lines?: count (pattern 'lines': "L000000001\n"…), needle?: { every, offset, text }
 *   (lines i with i % every === offset get " <text>" appended) }
 */
import { randomFillSync } from 'node:crypto';
import { createConnection } from 'node:net';
import { connect as tlsConnect } from 'node:tls';

const o = JSON.parse(process.argv[2]);
const CHUNK = o.chunk ?? 65536;
const POOL = 8 * 1024 * 1024;

/** The pool the chunks are cut from (prepared before connecting, so it is not timed). */
function pool() {
  if (o.pattern === 'binary') return randomFillSync(Buffer.allocUnsafe(POOL));
  const words = 'the quick brown fox jumps over the lazy dog 0123456789 wirebench text line';
  const parts = [];
  let n = 0;
  for (let i = 1; n < POOL; i++) {
    const s = `${String(i).padStart(9, '0')} ${words.slice(0, 20 + (i % 50))}\n`;
    parts.push(s);
    n += s.length;
  }
  return Buffer.from(parts.join('').slice(0, POOL), 'latin1');
}

/** Whole lines "L000000001[ needle]\n", in chunks of about CHUNK bytes. */
function* lineChunks() {
  let i = 1;
  const total = o.lines;
  while (i <= total) {
    const parts = [];
    let size = 0;
    while (i <= total && size < CHUNK - 64) {
      const n = o.needle;
      const s = n && i % n.every === n.offset ? `L${String(i).padStart(9, '0')} ${n.text}\n` : `L${String(i).padStart(9, '0')}\n`;
      parts.push(s);
      size += s.length;
      i++;
    }
    yield Buffer.from(parts.join(''), 'latin1');
  }
}

function* poolChunks(buf, bytes) {
  let left = bytes;
  let at = 0;
  while (left > 0) {
    const n = Math.min(left, CHUNK);
    if (at + n > buf.length) at = (at * 7 + 4093) % (buf.length - n); // wrap at a varying offset
    yield buf.subarray(at, at + n);
    at += n;
    left -= n;
  }
}

const chunks = o.pattern === 'lines' ? lineChunks() : poolChunks(pool(), o.bytes);
let sent = 0;
let start = 0;
const onConnect = () => {
  start = performance.now();
  const pump = () => {
    for (;;) {
      const c = chunks.next();
      if (c.done) return void s.end();
      sent += c.value.length;
      if (!s.write(c.value)) return void s.once('drain', pump);
    }
  };
  pump();
};
const s = o.tls
  ? tlsConnect({ host: '127.0.0.1', port: o.port, rejectUnauthorized: false }, onConnect)
  : createConnection({ host: '127.0.0.1', port: o.port }, onConnect);
s.on('data', () => undefined);
s.on('error', (e) => {
  console.error(`tcp-load: ${e.message}`);
  process.exit(2);
});
s.on('close', () => {
  console.log(JSON.stringify({ ms: performance.now() - start, bytes: sent }));
  process.exit(0);
});
