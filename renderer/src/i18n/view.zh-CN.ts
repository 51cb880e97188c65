/** 简体中文：view 部分的界面文字（展开到 zh-CN.ts；结构与 view.en.ts 相同）。 */
import type viewEn from './view.en';

type Widen<T> = { [K in keyof T]: T[K] extends string ? string : Widen<T[K]> };

const viewZh: Widen<typeof viewEn> = {
  viewX: {},
};

export default viewZh;
