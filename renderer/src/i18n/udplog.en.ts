/** UI text of UDP logging: the sources table of the UDP panel. */
const udplogEn = {
  udplog: {
    title: 'Sources',
    scroll: 'Sources table (scrolls sideways)',
    kernelDrops: 'Dropped by the OS',
    notReported: 'not reported',
    recvBuffer: 'Receive buffer',
    asked: 'asked {size}',
    none: 'No datagrams yet',
    more: '{n} more sources (all of them are in the CSV)',
    firstSeen: 'First seen {time}',
    exportCsv: 'Export sources (CSV)',
    bufferKiB: 'Receive buffer (KiB)',
    bufferApply: 'Apply buffer size',
    col: {
      source: 'Source',
      datagrams: 'Datagrams',
      bytes: 'Bytes',
      rate: 'Rate',
      lastSeen: 'Last seen',
      gap: 'Largest gap',
      lost: 'Lost',
      duplicates: 'Duplicates',
      outOfOrder: 'Out of order',
    },
    seq: {
      enable: 'Sequence number',
      offset: 'Sequence offset (bytes)',
      width: 'Sequence width',
      endian: 'Sequence byte order',
      bytes: '{n} byte(s)',
      be: 'Big-endian',
      le: 'Little-endian',
      apply: 'Apply sequence number',
    },
  },
};

export default udplogEn;
