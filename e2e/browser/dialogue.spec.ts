/**
 * Dialogue rules through the UI (issue 13): an FTP mock built from scratch
 * (typed as YAML, not loaded from the example) that Python's ftplib logs in
 * to; the one-click framing fix; "Try it"; the hit log; the peer's state in the peer list;
 * and closing the drawer with unapplied edits.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Locator } from '@playwright/test';
import { test, expect } from '../fixtures';
import { openNewSessionDialog } from './ui';

const run = promisify(execFile);

/** Counts what the user does (clicks, fills, choices), to keep authoring short. */
function actions() {
  let n = 0;
  return {
    get count() {
      return n;
    },
    /** one user action */
    do: async (what: () => Promise<unknown>): Promise<void> => {
      n++;
      await what();
    },
  };
}

const FTP_YAML = `greeting: 220 Wirebench FTP mock ready
rules:
  - name: USER
    regex: ^USER (\\S+)
    flags: i
    set: { user: $1 }
    reply: 331 Password required for {{var.user}}
    then: auth
  - name: PASS
    when: auth
    regex: ^PASS\\b
    flags: i
    reply: 230 User {{var.user}} logged in
    then: ready
  - name: SYST
    regex: ^SYST
    flags: i
    reply: "215 UNIX Type: L8"
  - name: PWD
    when: ready
    regex: ^PWD
    flags: i
    reply: 257 "/" is the current directory
  - name: QUIT
    regex: ^QUIT
    flags: i
    reply: 221 Goodbye
    close: true
  - name: not logged in
    when: start
    regex: \\S
    reply: 530 Please log in with USER and PASS
`;

test('an FTP mock built from scratch in the rules drawer lets ftplib log in', async ({ app: page }) => {
  const a = actions();
  // a TCP server on a free port
  let dialog!: Locator;
  await a.do(async () => {
    dialog = await openNewSessionDialog(page);
  });
  await a.do(() => dialog.getByRole('radio', { name: 'TCP server', exact: true }).check());
  await a.do(async () => {
    const bind = dialog.getByRole('textbox', { name: 'Bind address', exact: true }).or(dialog.getByRole('combobox', { name: 'Bind address', exact: true })).first();
    await bind.click();
    await bind.fill('127.0.0.1');
    await bind.press('Enter');
  });
  await a.do(() => dialog.getByRole('textbox', { name: 'Port', exact: true }).fill('0'));
  await a.do(() => dialog.getByRole('button', { name: 'Create session' }).click());
  await expect(page.getByTestId('session-state')).toHaveAttribute('data-state', 'listening');
  const port = Number(await page.getByTestId('local-port').innerText());

  // the rules, typed as text
  await a.do(() => page.getByRole('button', { name: 'Reply rules' }).click());
  const drawer = page.getByRole('dialog', { name: /^Reply rules/ });
  await expect(drawer).toBeVisible();
  await a.do(() => drawer.getByRole('button', { name: 'Rules as text' }).click());
  const text = page.getByRole('dialog', { name: 'Rules as text' });
  await a.do(() => text.getByRole('textbox', { name: 'Rules as YAML' }).fill(FTP_YAML));
  await a.do(() => text.getByRole('button', { name: 'Import into the draft' }).click());
  await expect(drawer.getByRole('table', { name: 'Rules' }).getByRole('row')).toHaveCount(7);
  // the framing is raw: the drawer says so and fixes it in one click
  const warn = drawer.getByTestId('rules-needs-framing');
  await expect(warn).toBeVisible();
  await a.do(() => warn.getByRole('button', { name: 'Use lines (CRLF)' }).click());
  await expect(warn).toBeHidden();
  await a.do(() => drawer.getByRole('button', { name: 'Apply rules' }).click());
  await expect(drawer.getByTestId('rules-dirty')).toBeHidden();
  const built = a.count;
  console.log(`UI actions to build the FTP mock from scratch: ${built} (session ${5}, rules ${built - 5})`);
  expect(built).toBeLessThan(15);

  // "Try it": the engine runs the rules without a client
  const tryBox = drawer.getByRole('textbox', { name: 'Try a message' });
  await tryBox.fill('USER ann');
  await tryBox.press('Enter');
  await expect(drawer.getByTestId('try-state')).toContainText('start → auth');
  await tryBox.fill('PASS x');
  await tryBox.press('Enter');
  await expect(drawer.getByTestId('try-state')).toContainText('auth → ready');
  // "230 User ann logged in\r\n": the CRLF comes from the framing
  await expect(drawer.getByTestId('try-reply-hex')).toHaveText('32 33 30 20 55 73 65 72 20 61 6E 6E 20 6C 6F 67 67 65 64 20 69 6E 0D 0A');

  // a real client
  const script = [
    'import ftplib',
    `f = ftplib.FTP(); f.connect('127.0.0.1', ${port}, timeout=5)`,
    "print(f.login('ann', 'secret'))",
    'print(f.pwd())',
    'print(f.quit())',
  ].join('\n');
  const { stdout, stderr } = await run('python3', ['-c', script], { timeout: 20_000 });
  expect(stderr).toBe('');
  expect(stdout).toBe('230 User ann logged in\n/\n221 Goodbye\n');

  // the hit log tells what the rules did with each of its commands, with the state transitions
  await drawer.getByRole('button', { name: 'Hit log' }).click();
  const log = page.getByRole('dialog', { name: /^Hit log/ });
  const hits = log.getByRole('table', { name: 'Hits' });
  await expect(hits.getByRole('row').filter({ hasText: 'USER ann' })).toContainText('start → auth');
  await expect(hits.getByRole('row').filter({ hasText: 'PASS secret' })).toContainText('auth → ready');
  await expect(hits.getByRole('row').filter({ hasText: 'USER ann' })).toContainText('user = ann');
  await expect(hits.getByRole('row').filter({ hasText: 'QUIT' })).toContainText('#5 QUIT');
  await expect(log.getByRole('combobox', { name: 'Peer' })).toContainText(/127\.0\.0\.1:\d+ · ready · left/);
});

test('the peer list shows where a client is in the dialogue; closing with unapplied edits asks first', async ({ app: page }) => {
  const dialog = await openNewSessionDialog(page);
  await dialog.getByRole('radio', { name: 'TCP server', exact: true }).check();
  await dialog.getByRole('textbox', { name: 'Port', exact: true }).fill('0');
  await dialog.getByRole('button', { name: 'Create session' }).click();
  await expect(page.getByTestId('session-state')).toHaveAttribute('data-state', 'listening');
  const port = Number(await page.getByTestId('local-port').innerText());
  await page.getByRole('button', { name: 'Reply rules' }).click();
  const drawer = page.getByRole('dialog', { name: /^Reply rules/ });
  await drawer.getByRole('button', { name: 'Rules as text' }).click();
  const text = page.getByRole('dialog', { name: 'Rules as text' });
  await text.getByRole('textbox', { name: 'Rules as YAML' }).fill(`framing: crlf\n${FTP_YAML}`);
  await text.getByRole('button', { name: 'Import into the draft' }).click();
  await drawer.getByRole('button', { name: 'Apply rules' }).click();
  await expect(drawer.getByTestId('rules-dirty')).toBeHidden();

  // a client that stops after USER stays in state auth
  const { spawn } = await import('node:child_process');
  const py = spawn('python3', ['-c', `import socket,sys\ns=socket.create_connection(('127.0.0.1', ${port}))\ns.recv(100)\ns.sendall(b'USER bob\\r\\n')\ns.recv(100)\nsys.stdin.read()`], { stdio: ['pipe', 'ignore', 'ignore'] });
  try {
    await expect(page.getByTestId('peer-state')).toContainText('auth');
  } finally {
    py.stdin.end();
  }

  // an unapplied edit: closing asks; "Keep editing" keeps the drawer, "Discard" closes it
  await drawer.getByRole('switch', { name: 'Enable rule 3' }).click();
  await expect(drawer.getByTestId('rules-dirty')).toBeVisible();
  await page.keyboard.press('Escape');
  const ask = page.getByRole('dialog', { name: 'Unapplied rules' });
  await expect(ask).toBeVisible();
  await ask.getByRole('button', { name: 'Keep editing' }).click();
  await expect(drawer).toBeVisible();
  await page.keyboard.press('Escape');
  await ask.getByRole('button', { name: 'Discard' }).click();
  await expect(drawer).toBeHidden();
});
