/** 简体中文：发送面板较新部分的界面文字（展开到 zh-CN.ts；结构与 compose.en.ts 相同）。 */
import type composeEn from './compose.en';

type Widen<T> = { [K in keyof T]: T[K] extends string ? string : Widen<T[K]> };

const composeZh: Widen<typeof composeEn> = {
  compose: {
    encodingFollows: '文本默认按接收编码（{rx}）发送，也可在此另选',
    encodingNote: '发送用 {tx}，接收用 {rx}',
    encodingFollow: '改用 {rx} 发送',
    previewHead: '仅显示前 {n} 字节',
    pasteTooLarge: '粘贴的文本（{size}）超出发送框的上限（{max}）。可以改为以文件形式发送：文本按 {encoding} 原样发出，不解析转义符，也不加换行符和校验。',
    pasteTooLargeHex: '粘贴的十六进制文本（{size}）超出发送框的上限（{max}）。可以改为以文件形式发送：其中的十六进制数字按字节发出，不加校验。',
    pasteAsFile: '将剪贴板内容作为文件发送',
    pasteDismiss: '关闭',
    pasteNotice: '已拒绝粘贴',
  },
};

export default composeZh;
