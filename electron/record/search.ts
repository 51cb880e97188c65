/**
 * `log.search` over one session's record: filters by direction and peer, and
 * a text or hex query. The scan runs in slices of a few milliseconds with the
 * event loop free in between, and answers soon after its first match (a
 * client asks again from `nextSeq` while `done` is false).
 */
import { parseHex } from '../../shared/codec/hex';
import type { Encoding } from '../../shared/protocol/encodings';
import type { LogFilter, LogSearchResult } from '../../shared/protocol/log';
import { RowDecoder } from './decode';
import { decodeNote, noteText, type RawRecord } from './format';
import type { SessionLog } from './session-log';

const SLICE_MS = 4;
/** A search page that has found matches answers after this long instead of its whole budget. */
const FIRST_ANSWER_MS = 20;
/** Encodings in which a byte below 0x80 is always that ASCII character (never part of another one). */
const ASCII_SAFE: ReadonlySet<Encoding> = new Set<Encoding>(['utf-8', 'iso-8859-1', 'ascii']);

export async function searchRecord(
  log: SessionLog,
  args: { filter: LogFilter; fromSeq?: number; maxMatches: number; budgetMs: number },
): Promise<LogSearchResult> {
  const rec = log.record;
  const match = matcher(log, args.filter);
  const from = Math.max(rec.firstSeq, args.fromSeq ?? rec.firstSeq);
  const to = rec.lastSeq;
  const seqs: number[] = [];
  const started = performance.now();
  let sliceStart = started;
  let next = from;
  let scanned = 0;
  let stopped = false;
  const dec = match.needsText ? new RowDecoder(log.encoding) : undefined;
  const gen = rec.scan(from, to);
  try {
    for await (const batch of gen) {
      for (let i = 0; i < batch.length; i++) {
        const r = batch[i] as RawRecord;
        const text = dec ? rowText(log, r, dec) : '';
        if (match.test(r, text)) seqs.push(r.seq);
        scanned++;
        next = r.seq + 1;
        if (seqs.length >= args.maxMatches) {
          stopped = true;
          break;
        }
        // one read batch holds thousands of small rows: look at the clock inside it, not only between batches
        if ((i & 63) !== 63 && i !== batch.length - 1) continue;
        const now = performance.now();
        // out of time; or matches in hand and a first screenful's worth of waiting done: answer now
        if (now - started >= args.budgetMs || (seqs.length > 0 && now - started >= FIRST_ANSWER_MS)) {
          stopped = true;
          break;
        }
        // let sockets and commands run between slices (the batch's payload views stay valid meanwhile)
        if (now - sliceStart >= SLICE_MS) {
          await new Promise<void>((res) => setImmediate(res));
          sliceStart = performance.now();
        }
      }
      if (stopped) break;
    }
  } finally {
    await gen.return(undefined);
  }
  if (!stopped) next = Math.max(next, to + 1);
  return { seqs, nextSeq: next, done: next > to, scanned, firstSeq: rec.firstSeq, lastSeq: rec.lastSeq };
}

function rowText(log: SessionLog, r: RawRecord, dec: RowDecoder): string {
  if (r.dir === 'rx' || r.dir === 'tx') return dec.text({ dir: r.dir, peerRef: r.peerRef, payload: r.payload, size: r.payload.length });
  return noteOf(log, r);
}

function noteOf(log: SessionLog, r: RawRecord): string {
  return noteText(decodeNote(r.payload), log.peers.get(r.peerRef)?.key ?? '');
}

function matcher(log: SessionLog, f: LogFilter): { needsText: boolean; test: (r: RawRecord, text: string) => boolean } {
  const tests: Array<(r: RawRecord, text: string) => boolean> = [];
  if (f.dirs && f.dirs.length < 4) {
    const dirs = new Set<string>(f.dirs);
    tests.push((r) => dirs.has(r.dir));
  }
  if (f.peer !== undefined && f.peer !== '') {
    const refs = log.peers.refsOf(f.peer);
    tests.push((r) => refs.has(r.peerRef));
  }
  const q = f.query.trim();
  let needsText = false;
  if (q !== '') {
    if (f.mode === 'hex') {
      const needle = Buffer.from(parseHex(q));
      if (needle.length > 0) {
        tests.push((r) => (r.dir === 'rx' || r.dir === 'tx') && Buffer.from(r.payload.buffer, r.payload.byteOffset, r.payload.byteLength).indexOf(needle) >= 0);
      }
    } else {
      const needle = q.toLowerCase();
      if (/^[\x20-\x7e]+$/.test(needle) && ASCII_SAFE.has(log.encoding)) {
        // an ASCII query in an encoding whose ASCII bytes are always ASCII characters: match the
        // bytes read as Latin-1 (native, no decoder, no carry needed); bytes ≥ 0x80 never fold into ASCII
        tests.push((r) => {
          if (r.dir !== 'rx' && r.dir !== 'tx') return noteOf(log, r).toLowerCase().includes(needle);
          const b = r.payload;
          return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('latin1').toLowerCase().includes(needle);
        });
      } else {
        needsText = true;
        tests.push((_r, text) => text.toLowerCase().includes(needle));
      }
    }
  }
  return { needsText, test: (r, text) => tests.every((t) => t(r, text)) };
}
