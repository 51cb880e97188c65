import { test, expect } from '../fixtures';

test('a WebSocket without the token, or with a wrong one, is refused', async ({ page, serve }) => {
  await page.goto(`${serve.origin}/`);
  const outcome = (protocols?: string[]) =>
    page.evaluate(
      (p) =>
        new Promise<string>((resolve) => {
          const ws = new WebSocket(`ws://${location.host}/ws`, p);
          ws.onopen = () => resolve('open');
          ws.onerror = () => resolve('refused');
        }),
      protocols,
    );
  expect(await outcome()).toBe('refused');
  expect(await outcome(['wirebench.token.not-the-right-token-at-all'])).toBe('refused');
  expect(await outcome([`wirebench.token.${serve.token}`])).toBe('open');
});

test('the page opened without its token says so and opens no session', async ({ page, serve }) => {
  await page.goto(`${serve.origin}/`);
  await expect(page.getByText(/access token is missing or wrong/i)).toBeVisible();
});
