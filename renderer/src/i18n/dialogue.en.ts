/** UI text of dialogue rules: states, variables, "collect until", framing in the rules drawer, "Try it", YAML. */
const dialogueEn = {
  dialogue: {
    peerState: 'State',
  },
};

export default dialogueEn;
