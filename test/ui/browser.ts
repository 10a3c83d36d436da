/** Debian's Chromium for the page tests (playwright-core), and where their screenshots go (UI_SCREENSHOT_DIR). */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

export const SCREENSHOTS = process.env.UI_SCREENSHOT_DIR ?? join(import.meta.dirname, '..', '..', 'artifacts', 'ui');

export async function openBrowser(width: number): Promise<{ browser: Browser; page: Page }> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
  // bypassCSP: the pages' CSP refuses inline scripts, and the axe scan is injected as one (the test's, not the page's).
  const page = await (await browser.newContext({ viewport: { width, height: 900 }, bypassCSP: true })).newPage();
  return { browser, page };
}

/** A full-page screenshot named `name`.png; the path is printed. */
export async function screenshot(page: Page, name: string): Promise<void> {
  const path = join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  console.log(`screenshot: ${path}`);
}
