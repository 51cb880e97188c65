/**
 * The words of the main process's native dialogs (About, quit confirmation,
 * save and open dialogs) in the app's two languages. They follow the page's
 * language, like the menu. dialogs.test.ts checks both tables are complete.
 */
import type { MenuLang } from './menu-labels';

export interface DialogLabels {
  ok: string;
  about: {
    title: string;
    versions: (v: { electron: string; chrome: string; node: string }) => string;
    dataFolder: (path: string) => string;
    notices: (path: string) => string;
    noNotices: string;
    licences: string;
    openDataFolder: string;
  };
  quit: {
    message: string;
    detail: (n: number) => string;
    quit: string;
    cancel: string;
    dontAsk: string;
  };
  save: {
    exportTitle: string;
    captureTitle: string;
    importTitle: string;
    filter: Record<'text' | 'csv' | 'jsonl' | 'pcapng' | 'bin' | 'profile' | 'all', string>;
  };
  guide: { missing: string };
}

const en: DialogLabels = {
  ok: 'OK',
  about: {
    title: 'About Wirebench',
    versions: (v) => `Electron ${v.electron} · Chrome ${v.chrome} · Node.js ${v.node}`,
    dataFolder: (p) => `Data folder: ${p}`,
    notices: (p) => `Third-party notices: ${p}`,
    noNotices: 'Third-party notices: not part of this development build (npm run build writes them).',
    licences: 'Third-party Licences',
    openDataFolder: 'Open Data Folder',
  },
  quit: {
    message: 'Quit Wirebench?',
    detail: (n) =>
      n === 1
        ? '1 session is still open. Quitting closes its connections and stops its captures.'
        : `${n} sessions are still open. Quitting closes their connections and stops their captures.`,
    quit: 'Quit',
    cancel: 'Cancel',
    dontAsk: 'Don’t ask again',
  },
  save: {
    exportTitle: 'Export Log',
    captureTitle: 'Save Received Data',
    importTitle: 'Import Profile',
    filter: {
      text: 'Text',
      csv: 'CSV',
      jsonl: 'JSON Lines',
      pcapng: 'pcapng (Wireshark)',
      bin: 'Raw bytes',
      profile: 'Wirebench profile (JSON)',
      all: 'All Files',
    },
  },
  guide: { missing: 'The user guide is not part of this build. It is docs/user-guide.md in Wirebench’s source.' },
};

const zhCN: DialogLabels = {
  ok: '确定',
  about: {
    title: '关于 Wirebench',
    versions: (v) => `Electron ${v.electron} · Chrome ${v.chrome} · Node.js ${v.node}`,
    dataFolder: (p) => `数据文件夹：${p}`,
    notices: (p) => `第三方声明：${p}`,
    noNotices: '第三方声明：本开发版本未包含（npm run build 会生成）。',
    licences: '第三方许可',
    openDataFolder: '打开数据文件夹',
  },
  quit: {
    message: '退出 Wirebench？',
    detail: (n) => `还有 ${n} 个会话处于打开状态。退出将关闭它们的连接并停止保存接收数据。`,
    quit: '退出',
    cancel: '取消',
    dontAsk: '不再询问',
  },
  save: {
    exportTitle: '导出日志',
    captureTitle: '保存接收数据',
    importTitle: '导入方案',
    filter: {
      text: '文本',
      csv: 'CSV',
      jsonl: 'JSON Lines',
      pcapng: 'pcapng（Wireshark）',
      bin: '原始字节',
      profile: 'Wirebench 方案（JSON）',
      all: '所有文件',
    },
  },
  guide: { missing: '本版本未包含用户指南，它位于 Wirebench 源码的 docs/user-guide.md。' },
};

export const DIALOG_LABELS: Readonly<Record<MenuLang, DialogLabels>> = { en, 'zh-CN': zhCN };
