/** 桌面版自身部分的中文：菜单请求、系统对话框、退出（并入 zh-CN.ts）。 */
import type desktopEn from './desktop.en';

const desktopZh: typeof desktopEn = {
  desktop: {
    settings: {
      quitting: '退出',
      confirmQuit: '有会话打开时，退出前先询问',
      confirmQuitHint: '退出会关闭所有连接并停止保存接收数据。',
    },
    export: {
      saveAs: '另存为…',
      saveAsHint: '选择文件保存的位置；读取日志的同时写入该文件。',
    },
    noSession: '请先打开一个会话：没有可导出的日志。',
  },
};

export default desktopZh;
