/** 简体中文：issue #9 各项修正的界面文字（展开到 zh-CN.ts；结构与 papercuts.en.ts 相同）。 */
import type papercutsEn from './papercuts.en';

type Widen<T> = { [K in keyof T]: T[K] extends string ? string : Widen<T[K]> };

const papercutsZh: Widen<typeof papercutsEn> = {
  papercuts: {
    theme: {
      button: '切换主题（当前：{mode}；下一步：{next}）',
      following: '{system}，{look}',
    },
    framing: {
      hint: '选择项立即生效；输入的值按回车或“应用”后生效。',
      pending: '已输入，尚未应用：按回车或“应用”',
      invalid: '未应用：请先修正输入',
    },
    udp: {
      broadcastNeeded: '{address} 是广播地址：向它发送需要开启广播选项。',
      turnOn: '开启广播',
    },
    profiles: {
      portMoved: '{name}：端口 {wanted} 已被占用，改为监听端口 {port}。',
    },
  },
};

export default papercutsZh;
