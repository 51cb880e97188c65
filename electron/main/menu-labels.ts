/**
 * The application menu's words in the app's two languages. The type makes
 * both tables have the same keys; menu.test.ts checks no label is missing.
 */

export type MenuLang = 'en' | 'zh-CN';

const en = {
  aboutApp: 'About Wirebench',
  services: 'Services',
  hideApp: 'Hide Wirebench',
  hideOthers: 'Hide Others',
  showAll: 'Show All',
  quitApp: 'Quit Wirebench',
  file: 'File',
  newSession: 'New Session…',
  openProfile: 'Open Profile…',
  saveProfile: 'Save Profile…',
  importProfile: 'Import Profile File…',
  exportLog: 'Export Log…',
  settings: 'Settings…',
  closeWindow: 'Close Window',
  quit: 'Quit',
  edit: 'Edit',
  undo: 'Undo',
  redo: 'Redo',
  cut: 'Cut',
  copy: 'Copy',
  paste: 'Paste',
  selectAll: 'Select All',
  view: 'View',
  reload: 'Reload',
  forceReload: 'Force Reload',
  toggleDevTools: 'Toggle Developer Tools',
  actualSize: 'Actual Size',
  zoomIn: 'Zoom In',
  zoomOut: 'Zoom Out',
  fullScreen: 'Toggle Full Screen',
  theme: 'Theme',
  themeLight: 'Light',
  themeDark: 'Dark',
  themeSystem: 'Follow System',
  language: 'Language',
  window: 'Window',
  minimize: 'Minimize',
  zoom: 'Zoom',
  bringAllToFront: 'Bring All to Front',
  close: 'Close',
  help: 'Help',
  userGuide: 'User Guide',
};

export type MenuLabelKey = keyof typeof en;

const zhCN: Record<MenuLabelKey, string> = {
  aboutApp: '关于 Wirebench',
  services: '服务',
  hideApp: '隐藏 Wirebench',
  hideOthers: '隐藏其他',
  showAll: '全部显示',
  quitApp: '退出 Wirebench',
  file: '文件',
  newSession: '新建会话…',
  openProfile: '打开方案…',
  saveProfile: '保存方案…',
  importProfile: '导入方案文件…',
  exportLog: '导出日志…',
  settings: '设置…',
  closeWindow: '关闭窗口',
  quit: '退出',
  edit: '编辑',
  undo: '撤销',
  redo: '重做',
  cut: '剪切',
  copy: '复制',
  paste: '粘贴',
  selectAll: '全选',
  view: '视图',
  reload: '重新加载',
  forceReload: '强制重新加载',
  toggleDevTools: '切换开发者工具',
  actualSize: '实际大小',
  zoomIn: '放大',
  zoomOut: '缩小',
  fullScreen: '切换全屏',
  theme: '主题',
  themeLight: '浅色',
  themeDark: '深色',
  themeSystem: '跟随系统',
  language: '语言',
  window: '窗口',
  minimize: '最小化',
  zoom: '缩放',
  bringAllToFront: '全部置于顶层',
  close: '关闭',
  help: '帮助',
  userGuide: '用户指南',
};

export const MENU_LABELS: Readonly<Record<MenuLang, Readonly<Record<MenuLabelKey, string>>>> = { en, 'zh-CN': zhCN };

/** Each language's name in itself: the View › Language items read the same in both menus. */
export const LANGUAGE_NAMES: Readonly<Record<MenuLang, string>> = { en: 'English', 'zh-CN': '中文' };

/**
 * The menu's language before the page has said which it shows (the page
 * then tells the main process, `desktop.prefs`, and the menu follows it):
 * the page's "Follow system" default uses the same rule on navigator.language,
 * zh-* → Chinese.
 */
export function menuLang(locale: string): MenuLang {
  return locale.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}
