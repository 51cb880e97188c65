/**
 * Profiles and the workspace survive a restart of serve mode: save over the
 * WebSocket, close everything, start a new host on the same data dir, read
 * them back and apply the profile (its sessions and rules open again).
 */
import { createServer } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { profileSchema, type Profile, type SessionInfo } from '../../shared/protocol';
import { Backend } from '../backend';
import { makeSite, WireClient } from './helpers.test-util';
import { startWebHost, type WebHost } from './server';
import { sampleProfile } from '../store/profiles.test-util';

const TOKEN = 'persistence-test-token-0123456789';

async function start(dataDir: string, staticDir: string): Promise<{ host: WebHost; client: WireClient }> {
  const host = await startWebHost({ host: '127.0.0.1', port: 0, token: TOKEN, staticDir, hub: new Backend({ dataDir }) });
  const client = await WireClient.open(`ws://127.0.0.1:${host.port}/ws`, TOKEN);
  return { host, client };
}

async function ok<T>(client: WireClient, cmd: string, args: unknown): Promise<T> {
  const r = await client.request<T>(cmd, args);
  if (!r.ok) throw new Error(`${cmd}: ${r.message}`);
  return r.data;
}

describe('profiles across a restart', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  it('workspace.get and profile.get return what was saved; profile.apply reopens the sessions with rules', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'wb-persist-'));
    const site = makeSite();
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }), () => site.cleanup());

    const first = await start(dataDir, site.staticDir);
    const profile = sampleProfile('Restart me');
    await ok(first.client, 'profile.save', { profile });
    await ok(first.client, 'workspace.save', { profile: sampleProfile('last workspace') });
    const savedProfile = await ok<Profile>(first.client, 'profile.get', { name: 'Restart me' });
    const savedWorkspace = await ok<Profile>(first.client, 'workspace.get', {});
    await first.client.close();
    await first.host.close();
    await first.host.hub.dispose();

    const second = await start(dataDir, site.staticDir);
    cleanups.push(async () => {
      await second.client.close();
      await second.host.close();
      await second.host.hub.dispose();
    });
    expect(await ok(second.client, 'profile.get', { name: 'Restart me' })).toEqual(savedProfile);
    expect(await ok(second.client, 'workspace.get', {})).toEqual(savedWorkspace);
    const framing = savedProfile.sessions[0]?.config.framing;
    expect(framing?.kind === 'delimiter' ? [...framing.delimiter] : null).toEqual([13, 10]);

    const opened = await ok<SessionInfo[]>(second.client, 'profile.apply', { profile: savedProfile });
    expect(opened.map((s) => [s.kind, s.name, s.state])).toEqual([
      ['tcp-server', 'Echo server', 'listening'],
      ['udp', 'Listener', 'open'],
    ]);
    expect(opened[0]?.rules).toMatchObject({ echo: true, rules: [{ id: 'hi' }] });
    expect(opened[1]?.rules).toBeUndefined();
    const list = await ok<SessionInfo[]>(second.client, 'session.list', {});
    expect(list).toHaveLength(2);
  });

  it('profile.apply keeps every session: one that cannot start comes back in state error with its config and rules', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'wb-persist-'));
    const hub = new Backend({ dataDir });
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
    // a port nobody listens on: a device that is switched off
    const off = createServer();
    await new Promise<void>((r) => off.listen(0, '127.0.0.1', () => r()));
    const offPort = (off.address() as { port: number }).port;
    await new Promise<void>((r) => off.close(() => r()));
    cleanups.push(
      () => rmSync(dataDir, { recursive: true, force: true }),
      () => hub.dispose(),
      () => new Promise<void>((r) => blocker.close(() => r())),
    );
    const port = (blocker.address() as { port: number }).port;
    const rules = { echo: true, rules: [] };
    const profile = profileSchema.parse({
      wirebench: 'profile',
      version: 1,
      name: 'Lab',
      sessions: [
        { config: { kind: 'tcp-server', name: 'Taken', host: '127.0.0.1', port }, rules },
        { config: { kind: 'tcp-client', name: 'Device', host: '127.0.0.1', port: offPort }, rules },
        { config: { kind: 'tcp-server', name: 'Free', host: '127.0.0.1', port: 0 } },
      ],
    });
    const r = await hub.handle('profile.apply', { profile });
    if (!r.ok) throw new Error(r.message);
    const list = hub.manager.list();
    expect(list.map((s) => [s.name, s.state])).toEqual([
      ['Taken', 'error'],
      ['Device', 'error'],
      ['Free', 'listening'],
    ]);
    for (const s of list.slice(0, 2)) {
      expect(s.rules).toEqual(rules);
      expect(s.statusLog[s.statusLog.length - 1]?.reason).toMatch(/already in use|refused/i);
    }
    // the device comes up: the kept client connects with its saved config
    const device = createServer((c) => c.end());
    await new Promise<void>((res) => device.listen(offPort, '127.0.0.1', () => res()));
    cleanups.push(() => new Promise<void>((res) => device.close(() => res())));
    const started = await hub.handle('session.start', { sessionId: list[1]!.sessionId });
    expect(started).toMatchObject({ ok: true, data: { state: 'connected' } });
  });

  it('session.open keeps a TCP client whose device is down, and refuses a server whose port is taken', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'wb-persist-'));
    const hub = new Backend({ dataDir });
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
    cleanups.push(
      () => rmSync(dataDir, { recursive: true, force: true }),
      () => hub.dispose(),
      () => new Promise<void>((r) => blocker.close(() => r())),
    );
    const port = (blocker.address() as { port: number }).port;
    await new Promise<void>((r) => blocker.close(() => r()));
    const client = await hub.handle('session.open', { config: { kind: 'tcp-client', host: '127.0.0.1', port } });
    expect(client).toMatchObject({ ok: true, data: { state: 'error' } });
    const taken = createServer();
    await new Promise<void>((r) => taken.listen(0, '127.0.0.1', () => r()));
    cleanups.push(() => new Promise<void>((r) => taken.close(() => r())));
    const server = await hub.handle('session.open', { config: { kind: 'tcp-server', host: '127.0.0.1', port: (taken.address() as { port: number }).port } });
    expect(server).toMatchObject({ ok: false, code: 'ADDRESS_IN_USE' });
    expect(hub.manager.list()).toHaveLength(1);
  });
});
