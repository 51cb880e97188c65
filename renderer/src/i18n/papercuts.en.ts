/** English strings of the issue #9 fixes (spread into en.ts; same message syntax as en.ts). */
const papercutsEn = {
  papercuts: {
    theme: {
      /** the theme button's name: what is shown now and what a click shows */
      button: 'Switch theme (now: {mode}; next: {next})',
      /** "follow system" with the look the system gives */
      following: '{system}, {look}',
    },
    framing: {
      /** under the editor */
      hint: 'A choice applies at once; a typed value applies with Enter or Apply.',
      pending: 'Typed, not applied yet: press Enter or Apply',
      invalid: 'Not applied: fix the value first',
    },
    udp: {
      broadcastNeeded: '{address} is a broadcast address: sending there needs the Broadcast option.',
      turnOn: 'Turn on broadcast',
    },
    profiles: {
      portMoved: '{name}: port {wanted} was in use, so it listens on port {port}.',
    },
  },
};

export default papercutsEn;
