/**
 * A session's peer table: each row of the record names its peer by a small
 * number (ref ≥ 1) instead of carrying peer id and endpoints. Refs are never
 * reused, so old rows keep their peer. Look-ups on the hot path build no
 * strings: TCP rows are keyed by peer id (checked against the remote, since
 * a client's 'conn' comes back from another port after a reconnect), UDP
 * rows by address then port.
 */
import { formatEndpoint } from '../../shared/protocol/format';
import type { Endpoint } from '../../shared/protocol/model';

export interface PeerEntry {
  peerId?: string;
  remote: Endpoint;
  local?: Endpoint;
  /** `address:port`, IPv6 in brackets: what the peer filter compares */
  key: string;
}

const endpointKey = formatEndpoint;

export class PeerTable {
  private readonly entries: PeerEntry[] = [];
  private readonly byPeerId = new Map<string, number>();
  private readonly byAddress = new Map<string, Map<number, number>>();

  /** The ref of this peer, added on first sight. */
  ref(peerId: string | undefined, remote: Endpoint, local: Endpoint | undefined): number {
    if (peerId !== undefined) {
      const r = this.byPeerId.get(peerId);
      if (r !== undefined) {
        const e = this.entries[r - 1] as PeerEntry;
        if (e.remote.port === remote.port && e.remote.address === remote.address) return r;
      }
      const ref = this.add({ peerId, remote, ...(local ? { local } : {}), key: endpointKey(remote) });
      this.byPeerId.set(peerId, ref);
      return ref;
    }
    let ports = this.byAddress.get(remote.address);
    const r = ports?.get(remote.port);
    if (r !== undefined) return r;
    if (!ports) this.byAddress.set(remote.address, (ports = new Map()));
    const ref = this.add({ remote, ...(local ? { local } : {}), key: endpointKey(remote) });
    ports.set(remote.port, ref);
    return ref;
  }

  private add(e: PeerEntry): number {
    this.entries.push(e);
    return this.entries.length;
  }

  get(ref: number): PeerEntry | undefined {
    return ref > 0 ? this.entries[ref - 1] : undefined;
  }

  /** Refs whose endpoint key is `key` (the peer filter). */
  refsOf(key: string): Set<number> {
    const out = new Set<number>();
    this.entries.forEach((e, i) => {
      if (e.key === key) out.add(i + 1);
    });
    return out;
  }
}
