/** English strings of the send panel's newer parts (spread into en.ts; same message syntax as en.ts). */
const composeEn = {
  compose: {
    encodingFollows: 'Text is sent in the receive encoding ({rx}) unless you pick another here',
    encodingNote: 'Sending {tx}, receiving {rx}',
    encodingFollow: 'Send in {rx}',
    previewHead: 'Only the first {n} bytes are shown',
    pasteTooLarge:
      'The pasted text ({size}) is too large for the send box (at most {max}). Send it as a file instead: the text goes out as it is, in {encoding}, without escapes, line ending or checksum.',
    pasteTooLargeHex:
      'The pasted hex ({size}) is too large for the send box (at most {max}). Send it as a file instead: its hex digits go out as bytes, without a checksum.',
    pasteAsFile: 'Send the clipboard as a file',
    pasteDismiss: 'Dismiss',
    pasteNotice: 'Paste refused',
  },
};

export default composeEn;
