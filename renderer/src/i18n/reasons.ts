/**
 * The engine states its reasons in English sentences ("Listening on
 * 127.0.0.1:8080", "Closed by peer"). The common, fixed-shape ones are shown
 * in the user's language; anything else (OS error details) stays as the
 * engine wrote it, which is still a clear sentence.
 */
type Params = Record<string, string>;

const PATTERNS: { re: RegExp; key: string; names: string[] }[] = [
  { re: /^Listening on (.+)$/, key: 'listeningOn', names: ['addr'] },
  { re: /^Connected to (.+)$/, key: 'connectedTo', names: ['addr'] },
  { re: /^Connecting to (.+)$/, key: 'connectingTo', names: ['addr'] },
  { re: /^Bound to (.+)$/, key: 'boundTo', names: ['addr'] },
  { re: /^Reconnecting in (.+) \(attempt (\d+)\)$/, key: 'reconnectingIn', names: ['delay', 'n'] },
  { re: /^Closed by peer$/, key: 'closedByPeer', names: [] },
  { re: /^Connection closed$/, key: 'connectionClosed', names: [] },
  { re: /^Stopped$/, key: 'stopped', names: [] },
  { re: /^Server stopped$/, key: 'serverStopped', names: [] },
  { re: /^Disconnected by you$/, key: 'disconnectedByYou', names: [] },
  // errors (electron/net/errors.ts)
  { re: /^Port (\S+) is already in use on (.+)$/, key: 'portInUse', names: ['port', 'addr'] },
  { re: /^Address (.+) is not on this machine$/, key: 'addressNotHere', names: ['addr'] },
  { re: /^Connection refused by (.+) — is anything listening there\?$/, key: 'refused', names: ['addr'] },
  { re: /^The peer (.+) reset the connection$/, key: 'peerReset', names: ['addr'] },
  { re: /^No answer from (.+) within (.+)$/, key: 'timeoutWithin', names: ['addr', 'time'] },
  { re: /^Host name '(.+)' could not be resolved$/, key: 'hostNotFound', names: ['host'] },
  { re: /^Sending to a broadcast address needs the Broadcast option$/, key: 'broadcastOff', names: [] },
  { re: /^Not connected to (.+)$/, key: 'notConnected', names: ['addr'] },
  { re: /^The network to (.+) is unreachable$/, key: 'unreachable', names: ['addr'] },
];

export const REASONS_EN = {
  listeningOn: 'Listening on {addr}',
  connectedTo: 'Connected to {addr}',
  connectingTo: 'Connecting to {addr}',
  boundTo: 'Bound to {addr}',
  reconnectingIn: 'Reconnecting in {delay} (attempt {n})',
  closedByPeer: 'Closed by peer',
  connectionClosed: 'Connection closed',
  stopped: 'Stopped',
  serverStopped: 'Server stopped',
  disconnectedByYou: 'Disconnected by you',
  portInUse: 'Port {port} is already in use on {addr}',
  addressNotHere: 'Address {addr} is not on this machine',
  refused: 'Connection refused by {addr} — is anything listening there?',
  peerReset: 'The peer {addr} reset the connection',
  timeoutWithin: 'No answer from {addr} within {time}',
  hostNotFound: "Host name '{host}' could not be resolved",
  broadcastOff: 'Sending to a broadcast address needs the Broadcast option',
  notConnected: 'Not connected to {addr}',
  unreachable: 'The network to {addr} is unreachable',
};

export const REASONS_ZH_CN: typeof REASONS_EN = {
  listeningOn: '正在监听 {addr}',
  connectedTo: '已连接到 {addr}',
  connectingTo: '正在连接 {addr}',
  boundTo: '已绑定 {addr}',
  reconnectingIn: '{delay} 后重连（第 {n} 次）',
  closedByPeer: '对方关闭了连接',
  connectionClosed: '连接已关闭',
  stopped: '已停止',
  serverStopped: '服务器已停止',
  disconnectedByYou: '已由你断开',
  portInUse: '端口 {port} 在 {addr} 上已被占用',
  addressNotHere: '地址 {addr} 不属于本机',
  refused: '{addr} 拒绝了连接——那里有程序在监听吗？',
  peerReset: '对方 {addr} 重置了连接',
  timeoutWithin: '{addr} 在 {time} 内没有应答',
  hostNotFound: '无法解析主机名“{host}”',
  broadcastOff: '发送到广播地址需要先打开“广播”选项',
  notConnected: '未连接到 {addr}',
  unreachable: '到 {addr} 的网络不可达',
};

/** `t` is vue-i18n's translate function; keys live under `reason.` in the message files. */
export function localizeReason(reason: string, t: (key: string, params: Params) => string): string {
  for (const p of PATTERNS) {
    const m = p.re.exec(reason);
    if (!m) continue;
    const params: Params = {};
    p.names.forEach((name, i) => (params[name] = m[i + 1] ?? ''));
    return t(`reason.${p.key}`, params);
  }
  return reason;
}
