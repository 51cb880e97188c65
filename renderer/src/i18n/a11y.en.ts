/** English strings of the accessibility work and the keyboard shortcuts (spread into en.ts; same message syntax as en.ts). */
const a11yEn = {
  a11y: {
    /** the side panel's language button: its name holds the text it shows (WCAG 2.5.3) */
    languageSwitch: 'Language: switch to {lang}',
    /** the header of a table's column of buttons */
    actions: 'Actions',
    /** naive-ui's number inputs: the − and + buttons */
    decrease: 'Decrease',
    increase: 'Increase',
    shortcuts: {
      open: 'Keyboard shortcuts',
      title: 'Keyboard shortcuts',
      intro: 'Single keys work when the caret is not in a text field; keys with Ctrl (⌘ on a Mac) and F1 also work while typing. They do nothing while a dialog is open.',
      keys: 'Keys',
      action: 'Action',
      or: 'or',
      global: 'Anywhere',
      inSend: 'In the send box',
      inLog: 'In the log',
      newSession: 'New session',
      clearLog: 'Clear the log',
      pause: 'Pause or resume the log',
      viewText: 'Show the log as text',
      viewHex: 'Show the log as hex',
      viewBoth: 'Show the log as text and hex',
      focusSend: 'Put the caret in the send box',
      help: 'Show this list',
      send: 'Send the message',
      history: 'Recall an earlier message',
      selectAll: 'Select all rows',
      copyRows: 'Copy the selected rows',
      clearSelection: 'Clear the selection',
      details: 'Row details (double-click)',
    },
  },
};

export default a11yEn;
