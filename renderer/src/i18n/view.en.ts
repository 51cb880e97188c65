/** English strings of the view work (spread into en.ts; same message syntax as en.ts). */
const viewEn = {
  viewX: {},
};

export default viewEn;
