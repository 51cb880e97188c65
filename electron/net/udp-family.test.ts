/** IPv4/IPv6 mismatches in UDP sessions are explained, never a bare EINVAL or NETWORK_UNREACHABLE. */
import { afterEach, expect, it } from 'vitest';
import { WbError } from '../../shared/protocol';
import { udpConfigSchema } from '../../shared/protocol/schemas';
import { SessionManager } from './manager';

let manager: SessionManager | undefined;
afterEach(async () => {
  await manager?.closeAll();
  manager = undefined;
});

const udp = (over: Record<string, unknown>) => udpConfigSchema.parse({ kind: 'udp', bindPort: 0, ...over });

async function refusal(p: Promise<unknown>): Promise<WbError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof WbError) return e;
    throw e;
  }
  throw new Error('expected a refusal');
}

it('a bind address of the other family is explained before binding', async () => {
  manager = new SessionManager(() => undefined);
  const v6on4 = await refusal(manager.open(udp({ family: 'udp4', bindAddress: '::1' })));
  expect(v6on4.code).toBe('INVALID_ARGUMENT');
  expect(v6on4.message).toMatch(/::1 is IPv6, but this UDP session is IPv4/);
  const v4on6 = await refusal(manager.open(udp({ family: 'udp6', bindAddress: '127.0.0.1' })));
  expect(v4on6.message).toMatch(/127\.0\.0\.1 is IPv4, but this UDP session is IPv6/);
});

it('a udp6 session bound to ::1 explains why it cannot send to 127.0.0.1', async () => {
  manager = new SessionManager(() => undefined);
  const info = await manager.open(udp({ family: 'udp6', bindAddress: '::1' }));
  const e = await refusal(manager.send(info.sessionId, { kind: 'text', text: 'hi', encoding: 'utf-8', escapes: false, lineEnding: 'none' }, { kind: 'address', host: '127.0.0.1', port: 9 }));
  expect(e.code).toBe('INVALID_ARGUMENT');
  expect(e.message).toMatch(/bound to the IPv6 address ::1, so it cannot reach the IPv4 address 127\.0\.0\.1/);
});
