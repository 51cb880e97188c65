/** UDP 日志的界面文字：UDP 面板的来源表。 */
import type udplogEn from './udplog.en';

type Widen<T> = { [K in keyof T]: T[K] extends string ? string : Widen<T[K]> };

const udplogZh: Widen<typeof udplogEn> = {
  udplog: {
    title: '来源',
    scroll: '来源表（可横向滚动）',
    kernelDrops: '系统丢弃',
    notReported: '未提供',
    recvBuffer: '接收缓冲区',
    asked: '请求 {size}',
    none: '尚未收到数据报',
    more: '另有 {n} 个来源（CSV 中包含全部）',
    firstSeen: '首次出现 {time}',
    exportCsv: '导出来源（CSV）',
    bufferKiB: '接收缓冲区（KiB）',
    bufferApply: '应用缓冲区大小',
    col: {
      source: '来源',
      datagrams: '数据报',
      bytes: '字节',
      rate: '速率',
      lastSeen: '最后出现',
      gap: '最大间隔',
      lost: '丢失',
      duplicates: '重复',
      outOfOrder: '乱序',
    },
    seq: {
      enable: '序号',
      offset: '序号偏移（字节）',
      width: '序号宽度',
      endian: '序号字节序',
      bytes: '{n} 字节',
      be: '大端',
      le: '小端',
      apply: '应用序号设置',
    },
  },
};

export default udplogZh;
