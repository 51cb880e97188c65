/** Helpers of the view e2e specs: settings before load, language and theme from the side panel, the log's share of the window. */
import { expect, type Page } from '@playwright/test';

/** Store UI settings the way the app does, then reload so they apply. */
export async function setViewSettings(page: Page, s: Record<string, unknown>): Promise<void> {
  await page.evaluate((v) => localStorage.setItem('wirebench.settings.v1', JSON.stringify(v)), s);
  await page.reload();
  if (typeof s['language'] === 'string') await expect(page.locator('html')).toHaveAttribute('lang', s['language']);
}

export async function switchTheme(page: Page, to: 'Light' | 'Dark'): Promise<void> {
  const toggle = page.getByRole('button', { name: /^Switch theme|^切换主题/ });
  for (let i = 0; i < 3 && !new RegExp(`now: ${to}`).test((await toggle.getAttribute('aria-label')) ?? ''); i++) await toggle.click();
  await expect(toggle).toHaveAttribute('aria-label', new RegExp(`now: ${to}`));
}

export async function switchLanguage(page: Page): Promise<void> {
  await page.getByRole('button', { name: /^Language: / }).click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
}

/** The log grid's area over the window's. */
export async function logShare(page: Page): Promise<number> {
  const box = await page.locator('[role="grid"].log-scroll').boundingBox();
  const vp = page.viewportSize();
  if (!box || !vp) throw new Error('no log grid or viewport');
  return (box.width * box.height) / (vp.width * vp.height);
}
