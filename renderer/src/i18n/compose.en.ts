/** English strings of the compose work (spread into en.ts; same message syntax as en.ts). */
const composeEn = {
  composeX: {},
};

export default composeEn;
