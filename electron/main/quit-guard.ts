/**
 * "Quit Wirebench?" — asked once when the app is about to quit (or its last
 * window to close, on Windows and Linux) while sessions are live, unless the
 * user turned it off (Settings, or "Don't ask again" in the question itself).
 * The decision is pure (`shouldAskToQuit`); the question is a native message
 * box, passed in, so quit-guard.test.ts runs without Electron.
 */
import type { MessageBoxOptions } from 'electron';
import type { SessionState } from '../../shared/protocol/model';
import { DIALOG_LABELS } from './dialog-labels';
import type { MenuLang } from './menu-labels';

/** States in which quitting would cut something off: a connection, a listener, a bound socket. */
const LIVE: ReadonlySet<SessionState> = new Set(['connecting', 'connected', 'listening', 'open', 'reconnecting']);

export const liveSessionCount = (sessions: readonly { state: SessionState }[]): number => sessions.filter((s) => LIVE.has(s.state)).length;

export interface QuitDecisionInput {
  /** the Settings choice "Ask before quitting while sessions are open" */
  enabled: boolean;
  liveSessions: number;
  /** the user already said yes: the quit is under way */
  confirmed: boolean;
}

export const shouldAskToQuit = ({ enabled, liveSessions, confirmed }: QuitDecisionInput): boolean => enabled && !confirmed && liveSessions > 0;

export interface QuitAnswer {
  quit: boolean;
  /** the "Don't ask again" box was ticked */
  dontAskAgain: boolean;
}

/** The question, in `lang`. */
export function quitQuestion(lang: MenuLang, liveSessions: number): MessageBoxOptions {
  const t = DIALOG_LABELS[lang].quit;
  return {
    type: 'question',
    title: 'Wirebench',
    message: t.message,
    detail: t.detail(liveSessions),
    buttons: [t.quit, t.cancel],
    defaultId: 0,
    cancelId: 1,
    noLink: true,
    checkboxLabel: t.dontAsk,
    checkboxChecked: false,
  };
}

export async function askToQuit(
  showMessageBox: (o: MessageBoxOptions) => Promise<{ response: number; checkboxChecked?: boolean }>,
  lang: MenuLang,
  liveSessions: number,
): Promise<QuitAnswer> {
  const r = await showMessageBox(quitQuestion(lang, liveSessions));
  return { quit: r.response === 0, dontAskAgain: r.checkboxChecked === true };
}

export interface QuitGuardDeps {
  liveSessions(): number;
  ask(liveSessions: number): Promise<QuitAnswer>;
  /** the user ticked "Don't ask again": remember it (resolves once it is kept) */
  dontAskAgain(): Promise<void> | void;
}

export class QuitGuard {
  /** the Settings choice; the page reports it (`desktop.prefs`) */
  enabled = true;
  private confirmed = false;
  private asking = false;

  constructor(private readonly deps: QuitGuardDeps) {}

  /** the question is on screen */
  get busy(): boolean {
    return this.asking;
  }

  /**
   * Called where a quit (or a last window's close) can still be stopped.
   * True: let it go on. False: stop it; the question is (or already was)
   * on screen, and `proceed` runs if the user says Quit.
   */
  intercept(proceed: () => void): boolean {
    if (this.asking) return false;
    const liveSessions = this.deps.liveSessions();
    if (!shouldAskToQuit({ enabled: this.enabled, liveSessions, confirmed: this.confirmed })) return true;
    this.asking = true;
    void this.deps
      .ask(liveSessions)
      .then(async (answer) => {
        if (answer.dontAskAgain) {
          this.enabled = false;
          await this.deps.dontAskAgain();
        }
        if (!answer.quit) return;
        this.confirmed = true;
        proceed();
      })
      .catch((e: unknown) => console.warn(`[wirebench] quit question failed: ${e instanceof Error ? e.message : String(e)}`))
      .finally(() => {
        this.asking = false;
      });
    return false;
  }
}
