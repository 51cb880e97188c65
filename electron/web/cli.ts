/**
 * `wirebench-serve`: the serve-mode entry, built to out/main/serve.js. Plain
 * Node (never imports electron): the same engine and UI, in any browser.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { homedir, networkInterfaces } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Backend } from '../backend';
import { isLoopbackHost, startWebHost, type WebHost } from './server';
import { generateToken, tokenProblem } from './token';
import { keptToken } from './token-store';
import { runAsMain } from './run-main';

const USAGE = `Usage: wirebench-serve [options]

Serve the Wirebench UI to a browser, backed by this machine's network engine.

Options:
  --host <address>    address to bind (default 127.0.0.1; IPv6 as ::1 or [::1])
  --port <number>     port to bind, 0 = any free port (default 0)
  --token <token>     access token (default: the one kept in the data folder,
                      or a new random one, which is then kept);
                      at least 16 characters of A-Z a-z 0-9 _ -. Visible
                      to other local users in the process list: prefer
  --token-file <path> a file holding the token, or the environment
                      variable WIREBENCH_TOKEN
  --new-token         replace the kept token with a new random one
  --open              open the URL in the default browser
  --allow-remote      allow binding a non-loopback address (exposes control of
                      this machine's sockets to the network; use with care)
  --data-dir <path>   where Wirebench keeps profiles, captures and exports
                      (default: $XDG_DATA_HOME/wirebench or
                      ~/.local/share/wirebench on Linux, ~/Library/Application
                      Support/Wirebench on macOS, %APPDATA%\\Wirebench on Windows)
  --help              show this help
`;

export interface ServeFlags {
  host: string;
  port: number;
  token: string;
  tokenGiven: boolean;
  /** replace the token kept in the data folder */
  newToken: boolean;
  open: boolean;
  allowRemote: boolean;
  /** absolute; the platform default when --data-dir is not given */
  dataDir: string;
  dataDirGiven: boolean;
  help: boolean;
}

/** The platform's usual place for an application's data. */
export function defaultDataDir(
  platform: NodeJS.Platform = process.platform,
  env: NodeJS.ProcessEnv = process.env,
  home: string = homedir(),
): string {
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'Wirebench');
  if (platform === 'win32') return join(env.APPDATA || join(home, 'AppData', 'Roaming'), 'Wirebench');
  const xdg = env.XDG_DATA_HOME;
  // the XDG spec: a relative XDG_DATA_HOME is invalid and must be ignored
  return xdg && xdg.startsWith('/') ? join(xdg, 'wirebench') : join(home, '.local', 'share', 'wirebench');
}

export class UsageError extends Error {}

/**
 * The access token from --token, --token-file or WIREBENCH_TOKEN (in that
 * order; at most one of the first two). --token is visible to every local
 * user in `ps`; the file and the variable are not.
 */
function tokenFrom(flag: string | undefined, file: string | undefined, env: NodeJS.ProcessEnv): string | undefined {
  if (flag !== undefined && file !== undefined) throw new UsageError('--token and --token-file: give only one of them');
  let token: string | undefined;
  let from: string;
  if (flag !== undefined) {
    token = flag;
    from = '--token';
  } else if (file !== undefined) {
    from = `--token-file ${file}`;
    try {
      token = readFileSync(file, 'utf8').trim();
    } catch (e) {
      throw new UsageError(`${from}: cannot read the file (${e instanceof Error ? e.message : String(e)})`);
    }
  } else {
    token = env['WIREBENCH_TOKEN'];
    from = 'WIREBENCH_TOKEN';
    if (token === undefined || token === '') return undefined;
  }
  const problem = tokenProblem(token);
  if (problem) throw new UsageError(`${from}: ${problem}`);
  return token;
}

/** Parse and validate argv (without node and the script). Throws UsageError in the user's words. */
export function parseFlags(argv: string[], env: NodeJS.ProcessEnv = process.env): ServeFlags {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        host: { type: 'string' },
        port: { type: 'string' },
        token: { type: 'string' },
        'token-file': { type: 'string' },
        'new-token': { type: 'boolean' },
        open: { type: 'boolean' },
        'allow-remote': { type: 'boolean' },
        'data-dir': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (e) {
    throw new UsageError(e instanceof Error ? e.message : String(e));
  }
  const str = (k: string): string | undefined => (typeof values[k] === 'string' ? (values[k] as string) : undefined);

  let host = (str('host') ?? '127.0.0.1').trim();
  // an IPv6 address may come in URL brackets: [::1]
  if (/^\[[0-9a-fA-F:.%\w]+\]$/.test(host)) host = host.slice(1, -1);
  if (host === '' || /[\s/\\]/.test(host)) throw new UsageError(`--host ${JSON.stringify(host)}: not a valid address`);

  const portText = str('port') ?? '0';
  if (!/^\d{1,6}$/.test(portText.trim())) throw new UsageError(`--port ${portText}: port must be a whole number between 0 and 65535`);
  const port = Number(portText.trim());
  if (port > 65535) throw new UsageError(`--port ${portText}: port must be between 0 and 65535`);

  const givenToken = tokenFrom(str('token'), str('token-file'), env);

  const allowRemote = values['allow-remote'] === true;
  if (!allowRemote && !isLoopbackHost(host)) {
    throw new UsageError(
      `--host ${host}: this is not a loopback address, so anyone who can reach it and learns the token controls ` +
        `sockets on this machine. Add --allow-remote if you really mean to serve to the network.`,
    );
  }
  const dataDir = str('data-dir');
  if (dataDir !== undefined && dataDir.trim() === '') throw new UsageError('--data-dir: the path is empty');

  return {
    host,
    port,
    token: givenToken ?? generateToken(),
    tokenGiven: givenToken !== undefined,
    newToken: values['new-token'] === true,
    open: values.open === true,
    allowRemote,
    dataDir: dataDir !== undefined ? resolve(dataDir) : defaultDataDir(),
    dataDirGiven: dataDir !== undefined,
    help: values.help === true,
  };
}

/** Best effort: the default browser, or nothing. */
function openInBrowser(url: string): void {
  const [cmd, args] =
    process.platform === 'darwin'
      ? ['open', [url]]
      : process.platform === 'win32'
        ? ['cmd', ['/c', 'start', '""', url.replace(/&/g, '^&')]]
        : ['xdg-open', [url]];
  try {
    const child = spawn(cmd, args, { detached: true, stdio: 'ignore', windowsHide: true });
    child.on('error', () => console.error(`Could not open a browser; open the URL above yourself.`));
    child.unref();
  } catch {
    console.error(`Could not open a browser; open the URL above yourself.`);
  }
}

function describeListenError(e: unknown, host: string, port: number): string {
  const code = typeof e === 'object' && e !== null ? (e as { code?: unknown }).code : undefined;
  switch (code) {
    case 'EADDRINUSE':
      return `Port ${port} is already in use on ${host} (EADDRINUSE)`;
    case 'EADDRNOTAVAIL':
      return `Address ${host} is not on this machine (EADDRNOTAVAIL)`;
    case 'EACCES':
    case 'EPERM':
      return `Permission denied for port ${port} on ${host}: ports below 1024 need administrator rights (${String(code)})`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `Host name '${host}' could not be resolved (${String(code)})`;
    default:
      return `Could not serve on ${host}:${port}: ${e instanceof Error ? e.message : String(e)}`;
  }
}

function remoteAddresses(): string[] {
  const out: string[] = [];
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) if (!a.internal && a.family === 'IPv4') out.push(a.address);
  }
  return out;
}

export async function main(argv: string[]): Promise<number> {
  let flags: ServeFlags;
  try {
    flags = parseFlags(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    console.error(`wirebench-serve: ${e.message}`);
    console.error(`Run with --help to see the options.`);
    return 2;
  }
  if (flags.help) {
    process.stdout.write(USAGE);
    return 0;
  }

  const here = dirname(fileURLToPath(import.meta.url));
  const staticDir = resolve(here, '../renderer');
  if (!existsSync(resolve(staticDir, 'index.html'))) {
    console.error(`wirebench-serve: the UI is not built (${resolve(staticDir, 'index.html')} is missing). Run \`npx electron-vite build\` first.`);
    return 1;
  }

  if (flags.allowRemote && !isLoopbackHost(flags.host)) {
    console.warn(
      `WARNING: --allow-remote: serving on ${flags.host}. Anyone on the network who gets the token below can open, ` +
        `close and send on sockets of this machine as your user. Plain HTTP: the token is not encrypted in transit.`,
    );
  }

  if (!flags.tokenGiven) flags.token = keptToken(flags.dataDir, flags.token, flags.newToken);
  const hub = new Backend({ dataDir: flags.dataDir });
  let host: WebHost;
  try {
    host = await startWebHost({
      host: flags.host,
      port: flags.port,
      token: flags.token,
      staticDir,
      allowRemote: flags.allowRemote,
      hub,
    });
  } catch (e) {
    console.error(`wirebench-serve: ${describeListenError(e, flags.host, flags.port)}`);
    await hub.dispose().catch(() => undefined);
    return 1;
  }

  console.log(`Wirebench is serving on ${host.urlWithToken}`);
  console.log('Keep this address private: its token grants full control of network sockets on this machine.');
  if (flags.allowRemote && (flags.host === '0.0.0.0' || flags.host === '::')) {
    const others = remoteAddresses().map((a) => `http://${a}:${host.port}/`);
    if (others.length > 0) console.log(`Also reachable at: ${others.join(', ')} (same token)`);
  }
  console.log(`Data directory: ${flags.dataDir}`);
  console.log('Press Ctrl+C to stop.');
  if (flags.open) openInBrowser(host.urlWithToken);

  return await new Promise<number>((done) => {
    let stoppingSince = 0;
    const stop = (signal: NodeJS.Signals): void => {
      if (stoppingSince > 0) {
        // a launcher may forward the terminal's Ctrl+C a moment after the terminal itself:
        // only a later, deliberate second Ctrl+C stops without waiting
        if (Date.now() - stoppingSince > 1000) process.exit(1);
        return;
      }
      stoppingSince = Date.now();
      console.log(`\nStopping (${signal}): closing all sockets…`);
      const force = setTimeout(() => done(1), 5000);
      force.unref();
      host
        .close()
        .then(() => hub.dispose())
        .then(
          () => done(0),
          () => done(1),
        );
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

runAsMain(import.meta.url, 'wirebench-serve', main);
