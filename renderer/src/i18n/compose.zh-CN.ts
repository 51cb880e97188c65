/** 简体中文：compose 部分的界面文字（展开到 zh-CN.ts；结构与 compose.en.ts 相同）。 */
import type composeEn from './compose.en';

type Widen<T> = { [K in keyof T]: T[K] extends string ? string : Widen<T[K]> };

const composeZh: Widen<typeof composeEn> = {
  composeX: {},
};

export default composeZh;
