/** 简体中文：view 部分的界面文字（展开到 zh-CN.ts；结构与 view.en.ts 相同）。 */
import type viewEn from './view.en';

type Widen<T> = { [K in keyof T]: T[K] extends string ? string : Widen<T[K]> };

const viewZh: Widen<typeof viewEn> = {
  view: {
    side: {
      collapse: '收起侧栏',
      expand: '展开侧栏',
      fold: '折叠{title}',
      unfold: '展开{title}',
      sessionsN: '会话（{n}）',
      auxOpen: '显示{title}',
      receive: '接收设置',
      receiveOpen: '显示接收设置',
      encoding: '编码',
      framingPending: '尚未应用',
    },
    log: {
      modeText: '文本',
      modeHex: '十六进制',
      modeBoth: '混合',
      wrap: '自动换行',
      wrapHint: '长消息自动换行并完整显示（按会话记住）',
      display: '显示选项',
      showTime: '显示时间',
      showDate: '显示日期',
      showDelta: '显示与上一条的时间差（Δt）',
      deltaTitle: '与上一条的时间差，单位为秒',
      copy: '复制',
      copyMenu: '复制选中的记录',
      copyAs: {
        text: '复制为文本',
        hex: '复制为十六进制',
        hexdump: '复制为 Hexdump',
        c: '复制为 C 数组',
        python: '复制为 Python bytes',
      },
      formatName: { text: '文本', hex: '十六进制', hexdump: 'Hexdump', c: 'C 数组', python: 'Python bytes' },
      selectAll: '全选（Ctrl+A）',
      clearSelection: '取消选择（Esc）',
      details: '详情',
      noSelection: '尚未选中记录：点击记录最左侧即可选中（按住 Shift 或 Ctrl 可多选，Ctrl+A 全选）',
      selectedN: '未选中记录 | 已选中 {n} 条 | 已选中 {n} 条',
      selectRow: '选中这条记录（Shift：连续选择，Ctrl：加选或取消）',
      copying: '正在复制…',
      copied: '已将 {n} 条记录复制为{format} | 已将 {n} 条记录复制为{format} | 已将 {n} 条记录复制为{format}',
      copyMissing: '有 {n} 条选中的记录已不在磁盘日志中，未被复制',
      copyTooLarge: '复制内容约为 {size}，超过上限 {limit}。请少选一些记录，或使用“导出日志”。',
      copyTooMany: '已选中 {n} 条记录，一次最多复制 {max} 条。请少选一些，或使用“导出日志”。',
      copyFailed: '复制失败：{reason}',
      copyEmpty: '没有可复制的内容：选中的记录在这种格式下没有数据',
      moreBytes: '… 还有 {n} 字节（在“详情”中查看全部）',
      followHint: '跟随最新数据',
    },
    settings: {
      newSessionsShow: '新会话的显示方式',
    },
    counters: {
      chart: '速率图',
      showChart: '显示速率图',
      hideChart: '隐藏速率图',
      chartTitle: '最近一分钟的每秒字节数 · 峰值 接收 {rx}/s，发送 {tx}/s',
    },
  },
};

export default viewZh;
