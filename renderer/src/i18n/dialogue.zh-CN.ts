/** 对话规则的界面文字：状态、变量、“收集直到”、规则抽屉里的断帧/分包、“试一试”、YAML。 */
import type dialogueEn from './dialogue.en';

type Widen<T> = { [K in keyof T]: T[K] extends string ? string : Widen<T[K]> };

const dialogueZh: Widen<typeof dialogueEn> = {
  dialogue: {
    peerState: '状态',
    lineEndingAuto: '跟随断帧方式',
    inState: '在 {state}',
    goesTo: '→ {state}',
    collects: "收集直到 '{until}'",
    field: { when: '仅在状态', then: '然后进入', set: '设置变量', collect: '收集直到' },
    editor: {
      legend: '对话',
      when: '仅在状态',
      then: '然后进入状态',
      anyState: '任意状态',
      stay: '不变',
      set: '设置变量',
      setPlaceholder: "每行一个：user = $1（之后用 {'{{'}var.user{'}}'} 引用）",
      collect: '收集行直到',
      collectHint: '回复之后，接下来的行都存入一个变量（不经过任何规则），直到结束行；然后回复一次。',
      into: '收集到变量',
      until: '结束行',
      collectReply: '收集完成后的回复',
    },
    framing: {
      label: '断帧/分包',
      needed: '这些规则按行应答，但断帧方式是“不断帧”：一条消息就是一次网络读取到的内容。',
      useLines: '按行断帧（CRLF）',
      offset: '位于字节',
      offsetHint: '长度字段前面的字节数（Modbus TCP：4，MBAP 长度在第 4–5 字节）',
    },
    text: {
      open: '规则文本',
      title: '规则文本',
      hint: '可以粘贴到聊天或作业里的 YAML。导入会替换草稿；其中的断帧方式会立即生效。',
      placeholder: "framing: crlf\ngreeting: 220 ready\nrules:\n  - regex: ^USER (\\S+)\n    reply: 331 Password please\n    then: auth",
      input: 'YAML 格式的规则',
      copy: '复制',
      import: '导入到草稿',
      close: '关闭',
    },
    try: {
      title: '试一试',
      hint: '输入客户端会发送的内容；不会真的发送。',
      input: '试发一条消息',
      placeholder: '例如 USER ann（可用 \\r\\n 等转义）',
      run: '试一下',
      reset: '重新开始',
      sofar: '已按顺序发送',
      matched: '匹配',
      collected: '被 {rule} 收集',
      state: '状态',
      reply: '{rule} 的回复',
      echo: '回显',
      noReply: '没有回复。',
      vars: '变量',
      invalid: '请先修正规则里的问题。',
    },
    close: {
      title: '规则未应用',
      body: '规则已修改但还没有应用。关闭前要应用吗？',
      apply: '应用并关闭',
      discard: '放弃修改',
      keep: '继续编辑',
    },
  },
};

export default dialogueZh;
