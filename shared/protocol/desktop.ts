/**
 * Desktop-only contract: commands that only the Electron main process can
 * answer (native save/open dialogs, the menu's language, quitting), and the
 * one event the main process sends its own window (a menu click, a choice
 * made in a native dialog). Serve mode answers these commands with
 * FORBIDDEN and the reason `desktop.only`.
 *
 * The renderer never sends a path: it asks, the main process shows the OS
 * dialog and starts the export or capture itself, in the folder chosen there.
 */
import { z } from 'zod';
import { command } from './command-def';
import type { ProfileSummary } from './profiles';
import { recordingCommands, type CaptureInfo, type ExportInfo } from './recording';

export const DESKTOP_LOCALES = ['en', 'zh-CN'] as const;
export type DesktopLocale = (typeof DESKTOP_LOCALES)[number];
export const DESKTOP_THEMES = ['light', 'dark', 'system'] as const;
export type DesktopTheme = (typeof DESKTOP_THEMES)[number];

/** What the main process needs to know of the page's settings. */
export const desktopPrefsSchema = z
  .object({
    /** the language the UI shows now (the menu and native dialogs follow it) */
    locale: z.enum(DESKTOP_LOCALES),
    /** the Settings choice behind it ('auto': follow the system) */
    language: z.enum(['auto', ...DESKTOP_LOCALES]),
    theme: z.enum(DESKTOP_THEMES),
    /** ask before quitting while sessions are live */
    confirmQuit: z.boolean(),
  })
  .strict();
export type DesktopPrefs = z.output<typeof desktopPrefsSchema>;

export const desktopCommands = {
  /** The page's language, theme and quit confirmation: sent at start and on every change; the menu is rebuilt. */
  'desktop.prefs': command(desktopPrefsSchema).returns<null>(),
  /** Ask where to save an export (OS save dialog), then start it there; null: the user cancelled. */
  'desktop.exportTo': command(recordingCommands['export.start'].args).returns<ExportInfo | null>(),
  /** Ask where to save a capture (OS save dialog), then start it there; null: the user cancelled. */
  'desktop.captureTo': command(recordingCommands['capture.start'].args).returns<CaptureInfo | null>(),
  /** Pick a profile file (OS open dialog) and import it like profile.import; null: the user cancelled. */
  'desktop.importProfile': command(z.object({}).strict()).returns<ProfileSummary | null>(),
} as const;

export type DesktopCommandName = keyof typeof desktopCommands;

export const isDesktopCommand = (s: unknown): s is DesktopCommandName =>
  typeof s === 'string' && Object.prototype.hasOwnProperty.call(desktopCommands, s);

/** What a menu item or a native dialog asks the page to do. */
export type DesktopAction =
  | { kind: 'newSession' }
  | { kind: 'openProfile' }
  | { kind: 'saveProfile' }
  | { kind: 'exportLog' }
  | { kind: 'settings' }
  /** pick a profile file: the page asks `desktop.importProfile` as its own Import button does */
  | { kind: 'importProfile' }
  | { kind: 'theme'; theme: DesktopTheme }
  | { kind: 'language'; language: DesktopLocale }
  /** "Don't ask again" was ticked in the quit dialog */
  | { kind: 'confirmQuit'; value: boolean };

/** Main → its own window only (never a WebSocket client): a menu click or a native dialog's outcome. */
export interface DesktopActionEvent {
  type: 'desktop.action';
  ts: number;
  action: DesktopAction;
}
