/** English strings of the desktop app's own parts: menu requests, native dialogs, quitting (spread into en.ts). */
const desktopEn = {
  desktop: {
    settings: {
      quitting: 'Quitting',
      confirmQuit: 'Ask before quitting while sessions are open',
      confirmQuitHint: 'Quitting closes every connection and stops the captures.',
    },
    export: {
      saveAs: 'Save as…',
      saveAsHint: 'Choose where the file goes; it is written there as the log is read.',
    },
    noSession: 'Open a session first: there is no log to export.',
  },
};

export default desktopEn;
