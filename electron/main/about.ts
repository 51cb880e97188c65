/**
 * Wirebench's About box (Help › About, or the macOS app menu): the version,
 * the Electron, Chrome and Node.js versions, the data folder, and the
 * third-party notices bundled at build time (`out/third-party-notices.txt`).
 * Its buttons open the notices and the data folder with the system's own
 * apps. Only *types* come from electron: the dialog and shell are passed in,
 * so about.test.ts runs without the binary.
 */
import { copyFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { MessageBoxOptions } from 'electron';
import { DIALOG_LABELS } from './dialog-labels';
import type { MenuLang } from './menu-labels';

export interface AboutInfo {
  version: string;
  versions: { electron: string; chrome: string; node: string };
  /** app.getPath('userData') */
  dataDir: string;
  /** where the notices would be; `noticesFound` says whether they are */
  noticesPath: string;
  noticesFound: boolean;
}

type AboutChoice = 'ok' | 'licences' | 'data';

/** The message box for `info` in `lang`, and what each of its buttons does. Pure. */
export function aboutBox(info: AboutInfo, lang: MenuLang): { options: MessageBoxOptions; choices: AboutChoice[] } {
  const t = DIALOG_LABELS[lang];
  const choices: AboutChoice[] = ['ok', ...(info.noticesFound ? (['licences'] as const) : []), 'data'];
  const label: Record<AboutChoice, string> = { ok: t.ok, licences: t.about.licences, data: t.about.openDataFolder };
  const detail = [
    t.about.versions(info.versions),
    '',
    t.about.dataFolder(info.dataDir),
    info.noticesFound ? t.about.notices(info.noticesPath) : t.about.noNotices,
  ].join('\n');
  return {
    options: {
      type: 'info',
      title: t.about.title,
      message: `Wirebench ${info.version}`,
      detail,
      buttons: choices.map((c) => label[c]),
      defaultId: 0,
      cancelId: 0,
      noLink: true,
    },
    choices,
  };
}

export interface AboutDeps {
  showMessageBox(options: MessageBoxOptions): Promise<{ response: number }>;
  /** shell.openPath: '' on success, else the error */
  openPath(path: string): Promise<string>;
  /** a folder the system's apps can read (the notices sit inside app.asar in a packaged app): app.getPath('temp') */
  tempDir: string;
}

/**
 * A copy of `file` the system's apps can open: the app's files live inside
 * app.asar, which only Electron's own fs reads (it copies out of it too).
 */
export async function openableCopy(file: string, tempDir: string): Promise<string> {
  const copy = join(tempDir, `wirebench-${basename(file)}`);
  await copyFile(file, copy);
  return copy;
}

/** Show the box; a button opens the notices or the data folder. Never rejects. */
export async function showAbout(deps: AboutDeps, info: AboutInfo, lang: MenuLang): Promise<AboutChoice> {
  const { options, choices } = aboutBox(info, lang);
  let choice: AboutChoice = 'ok';
  try {
    const { response } = await deps.showMessageBox(options);
    choice = choices[response] ?? 'ok';
    const target = choice === 'licences' ? await openableCopy(info.noticesPath, deps.tempDir) : choice === 'data' ? info.dataDir : null;
    if (target) {
      const error = await deps.openPath(target);
      if (error) console.warn(`[wirebench] could not open ${target}: ${error}`);
    }
  } catch (e) {
    console.warn(`[wirebench] About failed: ${e instanceof Error ? e.message : String(e)}`);
  }
  return choice;
}
