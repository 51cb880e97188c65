/**
 * The native save and open dialogs behind the desktop-only commands: the
 * page asks (`desktop.exportTo`, `desktop.captureTo`,
 * `desktop.importProfile`), the main process shows the OS dialog, and
 * starts the export or the capture itself at the chosen path, or reads the
 * chosen profile and imports it like `profile.import`. The page never sends
 * a path. A cancelled dialog answers `null`. Only *types* come from
 * electron: the dialog is passed in (desktop-dialogs.test.ts fakes it).
 */
import { readFile, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { OpenDialogOptions, SaveDialogOptions } from 'electron';
import type { CaptureFormat, CaptureInfo, CommandArgs, ExportFormat, ExportInfo, ProfileSummary, Result } from '../../shared/protocol';
import { err, ok, say, WbError } from '../../shared/protocol';
import type { Backend } from '../backend';
import { DIALOG_LABELS, type DialogLabels } from './dialog-labels';
import type { MenuLang } from './menu-labels';

/** What the module needs of Electron's `dialog`, already bound to the window. */
export interface DialogLike {
  showSaveDialog(options: SaveDialogOptions): Promise<{ canceled: boolean; filePath?: string }>;
  showOpenDialog(options: OpenDialogOptions): Promise<{ canceled: boolean; filePaths: string[] }>;
}

export interface DesktopDialogDeps {
  dialog: DialogLike;
  backend: Pick<Backend, 'recorder' | 'handle'>;
  /** the page's language (the dialogs' titles and filters) */
  lang(): MenuLang;
  /** where the first dialog opens (the user's documents folder); later ones open where the last file went */
  defaultDir(): string;
}

/** The largest profile file read (profile.import refuses larger JSON anyway). */
export const MAX_PROFILE_BYTES = 16 * 1024 * 1024;

type Filter = { name: string; extensions: string[] };

const exportFilter = (t: DialogLabels, format: ExportFormat): Filter =>
  format === 'csv'
    ? { name: t.save.filter.csv, extensions: ['csv'] }
    : format === 'jsonl'
      ? { name: t.save.filter.jsonl, extensions: ['jsonl'] }
      : format === 'pcapng'
        ? { name: t.save.filter.pcapng, extensions: ['pcapng'] }
        : { name: t.save.filter.text, extensions: ['txt'] };

const captureFilter = (t: DialogLabels, format: CaptureFormat): Filter =>
  format === 'pcapng' ? { name: t.save.filter.pcapng, extensions: ['pcapng'] } : { name: t.save.filter.bin, extensions: ['bin'] };

export interface DesktopDialogs {
  exportTo(args: CommandArgs<'desktop.exportTo'>): Promise<Result<ExportInfo | null>>;
  captureTo(args: CommandArgs<'desktop.captureTo'>): Promise<Result<CaptureInfo | null>>;
  importProfile(): Promise<Result<ProfileSummary | null>>;
}

const failed = (e: unknown): Result<never> => {
  if (e instanceof WbError) return e.toResult();
  return err('INTERNAL', say('internal', { message: e instanceof Error ? e.message : String(e) }));
};

export function desktopDialogs(deps: DesktopDialogDeps): DesktopDialogs {
  let lastDir: string | undefined;
  const where = (name: string): string => join(lastDir ?? deps.defaultDir(), name);
  const t = (): DialogLabels => DIALOG_LABELS[deps.lang()];

  async function askSave(title: string, name: string, filter: Filter): Promise<string | null> {
    const r = await deps.dialog.showSaveDialog({
      title,
      defaultPath: where(name),
      filters: [filter, { name: t().save.filter.all, extensions: ['*'] }],
      properties: ['createDirectory', 'showOverwriteConfirmation'],
    });
    if (r.canceled || !r.filePath) return null;
    lastDir = dirname(r.filePath);
    return r.filePath;
  }

  return {
    async exportTo({ sessionId, format, timeZone, language }) {
      try {
        const { recorder } = deps.backend;
        const path = await askSave(t().save.exportTitle, recorder.suggestedName(sessionId, { export: format }), exportFilter(t(), format));
        if (!path) return ok(null);
        return ok(await recorder.startExport(sessionId, format, timeZone, language, path));
      } catch (e) {
        return failed(e);
      }
    },

    async captureTo({ sessionId, perPeer, format, rotate }) {
      try {
        const { recorder } = deps.backend;
        const chosen = recorder.captureFormat(sessionId, format);
        const path = await askSave(t().save.captureTitle, recorder.suggestedName(sessionId, { capture: chosen }), captureFilter(t(), chosen));
        if (!path) return ok(null);
        return ok(await recorder.startCapture(sessionId, perPeer, chosen, rotate, path));
      } catch (e) {
        return failed(e);
      }
    },

    async importProfile() {
      try {
        const r = await deps.dialog.showOpenDialog({
          title: t().save.importTitle,
          defaultPath: lastDir ?? deps.defaultDir(),
          filters: [{ name: t().save.filter.profile, extensions: ['json'] }, { name: t().save.filter.all, extensions: ['*'] }],
          properties: ['openFile'],
        });
        const path = r.filePaths[0];
        if (r.canceled || !path) return ok(null);
        lastDir = dirname(path);
        let json: string;
        try {
          if ((await stat(path)).size > MAX_PROFILE_BYTES) {
            return err('PAYLOAD_TOO_LARGE', say('desktop.fileTooLarge', { path, max: MAX_PROFILE_BYTES / (1024 * 1024) }));
          }
          json = await readFile(path, 'utf8');
        } catch (e) {
          const sysCode = (e as { code?: unknown }).code;
          const code = sysCode === 'EACCES' || sysCode === 'EPERM' ? 'PERMISSION_DENIED' : 'INVALID_ARGUMENT';
          const why = say('desktop.readFailed', { path, detail: e instanceof Error ? e.message : String(e) });
          return err(code, why, typeof sysCode === 'string' ? { sysCode } : undefined);
        }
        // exactly what the page's own import does: validated by the profile schema, saved, summarised
        return (await deps.backend.handle('profile.import', { json })) as Result<ProfileSummary>;
      } catch (e) {
        return failed(e);
      }
    },
  };
}
