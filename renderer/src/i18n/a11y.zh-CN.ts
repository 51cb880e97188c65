/** 无障碍与键盘快捷键的中文文字（展开到 zh-CN.ts 中）。 */
const a11yZh = {
  a11y: {
    languageSwitch: '语言：切换到 {lang}',
    actions: '操作',
    decrease: '减少',
    increase: '增加',
    shortcuts: {
      open: '键盘快捷键',
      title: '键盘快捷键',
      intro: '单个按键在光标不在文本框中时生效；带 Ctrl（Mac 上为 ⌘）的组合键和 F1 在输入时也可用。打开对话框时快捷键不起作用。',
      keys: '按键',
      action: '操作',
      or: '或',
      global: '任意位置',
      inSend: '在发送框中',
      inLog: '在日志中',
      newSession: '新建会话',
      clearLog: '清空日志',
      pause: '暂停或继续显示日志',
      viewText: '以文本显示日志',
      viewHex: '以十六进制显示日志',
      viewBoth: '同时显示文本和十六进制',
      focusSend: '将光标移到发送框',
      help: '显示此列表',
      send: '发送消息',
      history: '调出之前发送的消息',
      selectAll: '选择所有行',
      copyRows: '复制所选行',
      clearSelection: '取消选择',
      details: '行详情（双击）',
    },
  },
};

export default a11yZh;
