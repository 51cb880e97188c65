/**
 * Profiles, the built-in examples and the last workspace.
 *
 * profile.apply opens every session of the profile in order and sets its
 * rules. A session that cannot start (its device is off, its port is taken)
 * is still created, in state `error` with the reason, its config and rules
 * intact, so nothing the user made is lost: they start it once the cause is
 * gone. Only a session whose rules are refused makes the command fail, with
 * a message naming it; every session is opened all the same.
 */
import { say, WbError, type Profile, type profileCommands, type Reason, type SessionInfo } from '../../shared/protocol';
import { ProfileStore } from '../store/profiles';
import type { CommandContext, HandlerModule } from './context';

async function applyProfile(ctx: CommandContext, profile: Profile): Promise<SessionInfo[]> {
  const opened: SessionInfo[] = [];
  const failed: { label: string; error: WbError; why: Reason }[] = [];
  const whyOf = (e: WbError): Reason => e.why ?? say('plain', { text: e.message });
  for (const [i, s] of profile.sessions.entries()) {
    const label = s.config.name?.trim() || `${s.config.kind} #${i + 1}`;
    let info: SessionInfo;
    try {
      info = await ctx.manager.open(s.config, { keepOnFailure: true });
    } catch (e) {
      const error = e instanceof WbError ? e : new WbError('INTERNAL', String(e));
      failed.push({ label, error, why: whyOf(error) });
      continue;
    }
    if (s.rules) {
      try {
        info = ctx.manager.setRules(info.sessionId, s.rules);
      } catch (e) {
        const inner = e instanceof WbError ? whyOf(e) : say('plain', { text: e instanceof Error ? e.message : String(e) });
        const error = new WbError(e instanceof WbError ? e.code : 'INTERNAL', say('profile.withoutRules', { why: inner }));
        failed.push({ label, error, why: whyOf(error) });
      }
    }
    opened.push(info);
  }
  if (failed.length === 0) return opened;
  const first = failed[0] as { error: WbError };
  const list = failed.map((f) => say('profile.notOpenedItem', { label: f.label, why: f.why }));
  const total = profile.sessions.length;
  const params = { opened: opened.length, total, name: profile.name, list };
  throw new WbError(first.error.code, say(total === 1 ? 'profile.partlyOpened1' : 'profile.partlyOpenedN', params), first.error.detail);
}

export function profilesModule(ctx: CommandContext): HandlerModule<keyof typeof profileCommands> {
  let store: ProfileStore | undefined;
  // created on first use, so a backend that never touches profiles never touches the files
  const profiles = (): ProfileStore =>
    (store ??= new ProfileStore(ctx.dataDir, (file, movedTo, reason) =>
      ctx.emit({ type: 'app.notice', ts: Date.now(), notice: { code: 'FILE_SET_ASIDE', file, movedTo, reason } }),
    ));
  return {
    handlers: {
      'profile.list': () => profiles().list(),
      'profile.get': ({ name }) => profiles().get(name),
      'profile.save': ({ profile }) => profiles().save(profile),
      'profile.delete': ({ name }) => {
        profiles().delete(name);
        return null;
      },
      'profile.import': ({ json }) => profiles().import(json),
      'profile.export': ({ name }) => profiles().export(name),
      'workspace.get': () => profiles().getWorkspace(),
      'workspace.save': ({ profile }) => {
        profiles().saveWorkspace(profile);
        return null;
      },
      'profile.apply': ({ profile }) => applyProfile(ctx, profile),
    },
  };
}
