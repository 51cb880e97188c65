/** 对话规则的界面文字：状态、变量、“收集直到”、规则抽屉里的分帧、“试一试”、YAML。 */
import type dialogueEn from './dialogue.en';

type Widen<T> = { [K in keyof T]: T[K] extends string ? string : Widen<T[K]> };

const dialogueZh: Widen<typeof dialogueEn> = {
  dialogue: {
    peerState: '状态',
  },
};

export default dialogueZh;
