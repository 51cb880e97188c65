/**
 * The window's icon for the running app. Pure (no electron import), so it is
 * unit-tested; window.ts passes what Electron knows.
 *
 * - Linux: a PNG. Packaged, electron-builder's `extraResources` copies
 *   build/icons/512x512.png to `<resources>/icon.png`; in development it is read
 *   from the repository's build/ (two levels above out/main).
 * - Windows: packaged, none — the window takes the exe's icon (build/icon.ico,
 *   every size hand-rendered); in development (electron.exe) the same .ico.
 * - macOS: none; the Dock shows the bundle's icon.icns and windows have no icon.
 */
import { join } from 'node:path';

/** The window icon's file name in the packaged app's resources folder (electron-builder.yml, linux.extraResources). */
export const PACKAGED_WINDOW_ICON = 'icon.png';

export interface WindowIconInput {
  platform: NodeJS.Platform;
  isPackaged: boolean;
  /** `process.resourcesPath`: the packaged app's resources folder. */
  resourcesPath: string;
  /** The folder of the running main bundle (`__dirname`, i.e. out/main). */
  mainDir: string;
}

/** The BrowserWindow `icon` path, or undefined where the platform's own icon is the right one. */
export function windowIconPath({ platform, isPackaged, resourcesPath, mainDir }: WindowIconInput): string | undefined {
  if (platform === 'darwin') return undefined;
  const buildDir = join(mainDir, '..', '..', 'build');
  if (platform === 'win32') return isPackaged ? undefined : join(buildDir, 'icon.ico');
  return isPackaged ? join(resourcesPath, PACKAGED_WINDOW_ICON) : join(buildDir, 'icons', '512x512.png');
}
