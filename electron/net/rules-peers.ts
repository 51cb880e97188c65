/**
 * Each peer's place in the reply rules' dialogue, kept per peer key (a TCP
 * connection or a UDP source): its state, its variables (and how a rule's
 * `set` stores one), its {{count}} counters, the "collect until" buffer
 * while one runs, and its hit log (rules-hits.ts).
 *
 * - A peer is made on first sight: state `start`, the rule set's `vars`.
 * - Bounded: at most MAX_PEERS peers (the least recently seen forgotten
 *   first); per peer at most MAX_PEER_VARS variables holding at most
 *   MAX_PEER_VAR_CHARS characters (the least recently set forgotten first);
 *   a collect buffer of at most MAX_COLLECT_BYTES; hit logs for at most
 *   MAX_LOGGED_PEERS peers, and those of the last MAX_LEFT_LOGS that left.
 * - A peer that leaves is forgotten whole (a reconnect starts in `start`);
 *   only its hit log stays, among those of the peers that left.
 */
import { MAX_COLLECT_BYTES, START_STATE, type PeerHitLog, type RuleHit } from '../../shared/protocol/rules';
import type { CompiledRule, CompiledSet } from './rules-compile';
import { HitLog, MAX_LEFT_LOGS, MAX_LOGGED_PEERS } from './rules-hits';
import { renderText, type RenderInput } from './rules-render';
import { stripLineEnding } from './rules-match';

/**
 * What one peer's variables may hold: names can come from what the peer sends
 * (`SET <key> <value>`), so a client must not grow the engine without bound.
 * Past either limit the least recently set variables are forgotten.
 */
const MAX_PEER_VARS = 1024;
const MAX_PEER_VAR_CHARS = 4 * 1024 * 1024;

/** Peers whose counters are kept at most (least recently seen forgotten first). */
const MAX_PEERS = 10_000;

/** A "collect until" in progress: the rule collecting, its match's groups, the lines so far. */
export interface Collecting {
  rule: CompiledRule;
  groups: RegExpExecArray | undefined;
  lines: string[];
  /** characters held by `lines` (one more each for the newline joining them) */
  bytes: number;
}

/** One peer's place in the dialogue. */
export interface PeerDialogue {
  state: string;
  vars: Map<string, string>;
  /** characters held by `vars` (names and values), kept under MAX_PEER_VAR_CHARS */
  varChars: number;
  /** its address as shown ({{peer}}), for the hit log */
  addr: string;
  /** ruleId → replies sent so far ({{count}}) */
  counters: Map<string, number>;
  collect?: Collecting;
  /** what the rules did with this peer's messages (made on its first hit) */
  hits?: HitLog;
}

/** Store a variable, forgetting the least recently set ones past the limits (never the new one). */
export function setPeerVar(peer: PeerDialogue, name: string, value: string): void {
  const old = peer.vars.get(name);
  if (old !== undefined) {
    peer.varChars -= name.length + old.length;
    peer.vars.delete(name); // re-insert: most recently set last
  }
  peer.vars.set(name, value);
  peer.varChars += name.length + value.length;
  for (const [k, v] of peer.vars) {
    if (peer.vars.size <= MAX_PEER_VARS && peer.varChars <= MAX_PEER_VAR_CHARS) break;
    if (k === name) break; // the newest is kept (itself at most MAX_COLLECT_BYTES)
    peer.vars.delete(k);
    peer.varChars -= k.length + v.length;
  }
}

/**
 * Store one variable a matching rule sets: its name maybe from a capture
 * (`$1`, `$<name>`; an empty capture sets nothing), its value a text template
 * cut to MAX_COLLECT_BYTES. Returns what was stored, for the hit log.
 */
export function setRuleVar(
  peer: PeerDialogue,
  ruleId: string,
  v: CompiledSet,
  { ctx, groups, message }: Pick<RenderInput, 'ctx' | 'groups'> & { message: Uint8Array },
): [string, string] | undefined {
  let name = v.name;
  if (name.startsWith('$')) {
    const ref = name.startsWith('$<') ? name.slice(2, -1) : Number(name.slice(1));
    name = (typeof ref === 'number' ? groups?.[ref] : groups?.groups?.[ref]) ?? '';
    if (name === '') return undefined;
  }
  const count = (peer.counters.get(ruleId) ?? 0) + 1;
  const rendered = renderText(v.parts, { ctx, count, groups, peer, message });
  const value = rendered.length > MAX_COLLECT_BYTES ? rendered.slice(0, MAX_COLLECT_BYTES) : rendered;
  setPeerVar(peer, name, value);
  return [name, value];
}

/**
 * One more message while collecting: true when it is the terminator line
 * (compared without its line ending); otherwise the line is kept while the
 * buffer has room for it.
 */
export function collectMessage(col: Collecting, text: string): boolean {
  const line = stripLineEnding(text);
  if (line === col.rule.rule.collect!.until) return true;
  if (col.bytes + line.length <= MAX_COLLECT_BYTES) {
    col.lines.push(line);
    col.bytes += line.length + 1;
  }
  return false;
}

/** Every peer's dialogue, least recently seen first, and the hit logs of those that left. */
export class PeerTable {
  /** peerKey → its dialogue; a Map keeps least recently used first */
  private peers = new Map<string, PeerDialogue>();
  /** hit logs of peers that left, newest last */
  private left: { peer: string; state: string; leftAt: number; log: HitLog }[] = [];
  /** hit-log entries recorded so far (every peer) */
  private hitTotal = 0;
  /** peers (not left) that have a hit log */
  private loggedPeers = 0;

  /** `startVars` gives the variables a new peer starts with (the rule set's `vars`). */
  constructor(private readonly startVars: () => Record<string, string> | undefined) {}

  /** The peer's dialogue, made on first sight (least recently seen forgotten beyond MAX_PEERS). */
  get(key: string, addr = key): PeerDialogue {
    let p = this.peers.get(key);
    if (p) {
      this.peers.delete(key); // re-insert: most recently used last
    } else {
      const vars = new Map(Object.entries(this.startVars() ?? {}));
      let varChars = 0;
      for (const [k, v] of vars) varChars += k.length + v.length;
      p = { state: START_STATE, vars, varChars, counters: new Map(), addr };
      if (this.peers.size >= MAX_PEERS) {
        const oldest = this.peers.entries().next();
        if (!oldest.done) {
          this.peers.delete(oldest.value[0]);
          if (oldest.value[1].hits) this.loggedPeers--;
        }
      }
    }
    this.peers.set(key, p);
    return p;
  }

  /** Each known peer's state (only peers that have one: seen at least once). */
  states(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [k, p] of this.peers) out[k] = p.state;
    return out;
  }

  /** One peer's variables (a copy). */
  vars(peerKey: string): Record<string, string> {
    return Object.fromEntries(this.peers.get(peerKey)?.vars ?? []);
  }

  /**
   * The peer left: drop its counters, state and variables (a reconnect starts
   * in `start`); its hit log is kept among the last MAX_LEFT_LOGS that left.
   */
  forget(peerKey: string, now: number): void {
    const p = this.peers.get(peerKey);
    this.peers.delete(peerKey);
    if (!p?.hits) return;
    this.loggedPeers--;
    this.left.push({ peer: peerKey, state: p.state, leftAt: now, log: p.hits });
    if (this.left.length > MAX_LEFT_LOGS) this.left.shift();
  }

  /** Add to the peer's hit log (made on its first hit; beyond MAX_LOGGED_PEERS the least recently seen peer's goes). */
  logHit(peer: PeerDialogue, hit: RuleHit): void {
    if (!peer.hits) {
      peer.hits = new HitLog(peer.addr);
      if (++this.loggedPeers > MAX_LOGGED_PEERS) {
        // many UDP sources: the least recently seen peer's log goes (its state stays)
        for (const p of this.peers.values()) {
          if (p.hits && p !== peer) {
            p.hits = undefined;
            this.loggedPeers--;
            break;
          }
        }
      }
    }
    peer.hits.push(hit);
    this.hitTotal++;
  }

  /** Hit-log entries recorded so far, every peer. */
  get hitCount(): number {
    return this.hitTotal;
  }

  /**
   * The hit logs: one peer's (its connection, then earlier ones kept) with
   * every entry, or every peer's (connected, then those that left, newest
   * first) with the newest entry each.
   */
  hitLogs(peerKey?: string): PeerHitLog[] {
    const out: PeerHitLog[] = [];
    const one = peerKey !== undefined;
    for (const [k, p] of this.peers) if (p.hits && (!one || k === peerKey)) out.push(p.hits.view(k, p.state, !one));
    if (!one) out.reverse(); // most recently seen first
    for (let i = this.left.length - 1; i >= 0; i--) {
      const l = this.left[i]!;
      if (!one || l.peer === peerKey) out.push(l.log.view(l.peer, l.state, !one, l.leftAt));
    }
    return out;
  }
}
