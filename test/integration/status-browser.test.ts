import { mkdirSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStatusPage, statusSummarySchema } from 'sre-kit';
import { sreMiddleware, statusPage } from 'sre-kit/express';
import { contrast, openChromium } from '../helpers/chromium.js';
import { startServer, type TestServer } from '../helpers/http-server.js';
import {
  INTERNAL_MARKERS,
  PAGE_OPTIONS,
  statusFixture,
  type StatusFixture,
} from '../helpers/status-monitor.js';

// The status page as people see it: a real Express server with a monitor in a known state (the
// database down with an open P1 incident, search degraded, payments under maintenance in progress and a
// release scheduled, 90 days of bars), loaded in Debian's
// headless Chromium. Screenshots go to test-artifacts/ (docs/status-page.png is rewritten from the same
// render when SRE_UPDATE_DOCS_SCREENSHOT=1).

// The browser's globals, for the functions that run in the page: the project compiles without the DOM
// lib, and these declarations stay local to this module.
declare const document: any;
declare function getComputedStyle(element: unknown): {
  color: string;
  stroke: string;
  backgroundColor: string;
};
declare const DOMParser: new () => { parseFromString(text: string, type: string): any };

const root = join(import.meta.dirname, '..', '..');
const artifacts = join(root, 'test-artifacts');

let dir: string;
let fixture: StatusFixture;
let server: TestServer;
let browser: Awaited<ReturnType<typeof openChromium>>;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sre-status-browser-'));
  fixture = await statusFixture(dir);
  const app = express();
  const sre = sreMiddleware({});
  app.use(sre);
  app.use(statusPage(fixture.monitor, PAGE_OPTIONS));
  server = await startServer(app);
  browser = await openChromium();
  mkdirSync(artifacts, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await fixture?.close();
  await rm(dir, { recursive: true, force: true });
});

// Every visible text's colour against the page background, with the elements it was read from.
async function contrasts(page: Page) {
  return page.evaluate(() => {
    const background = getComputedStyle(document.body).backgroundColor;
    const text = [...document.querySelectorAll('.st, .overall, .mu, .desc, .legend, h1, h3')].map((el) => ({
      what: `${el.className || el.tagName}: ${el.innerText.slice(0, 30)}`,
      colour: getComputedStyle(el).color,
    }));
    const bars = [...document.querySelectorAll('line')].map((el) => ({
      what: `bar ${el.getAttribute('class')}`,
      colour: getComputedStyle(el).stroke,
    }));
    return { background, text, bars };
  });
}

// Never skipped: a machine without Chromium fails here (`.ci/run` installs Debian's package).
describe('the status page in headless Chromium', () => {
  it('renders the known state: text, landmarks, headings, no script, and no internal text', async () => {
    const page = await browser.context.newPage();
    const response = await page.goto(`${server.url}/status`);
    expect(response?.status()).toBe(200);
    expect(await page.title()).toBe('Checkout status');
    const text = await page.locator('body').innerText();
    for (const words of [
      'Major System Outage',
      'Database unavailable',
      'Requests that depend on Database are failing.',
      'Identified',
      'Degraded performance',
      'Checkout API',
      'Payment provider upgrade',
      'In progress',
      'Under maintenance',
      'Checkout release',
      '90 days ago',
    ])
      expect(text).toContain(words);
    for (const marker of INTERNAL_MARKERS) expect(await page.content()).not.toContain(marker);
    expect(await page.locator('script').count()).toBe(0);

    const tree = await page.locator('body').ariaSnapshot();
    // Landmarks: banner (header), main, contentinfo (footer); the overall status is a live status region.
    expect(tree).toMatch(/^- banner:/m);
    expect(tree).toMatch(/^- main:/m);
    expect(tree).toMatch(/^- contentinfo:/m);
    expect(tree).toContain('- status: Major System Outage');
    expect(tree).toContain('heading "Checkout status" [level=1]');
    expect(tree).toContain('heading "Active incidents" [level=2]');
    expect(tree).toContain('heading "Scheduled maintenance" [level=2]');
    expect(tree).toContain('heading "Payment provider upgrade" [level=3]');
    expect(tree).toContain('heading "Components" [level=2]');
    expect(tree).toContain('heading "Database unavailable" [level=3]');
    expect(tree).toContain('heading "Database" [level=4]');
    // The bars are one image each, named by their text alternative.
    expect(tree).toMatch(/img "Uptime over the last 90 days: 99\.91 % uptime; 3 days with problems\."/);
    await page.close();
  });

  it('status colours have at least 4.5:1 contrast (bars 3:1) in light and dark schemes', async () => {
    const page = await browser.context.newPage();
    for (const colorScheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme });
      await page.goto(`${server.url}/status`);
      const { background, text, bars } = await contrasts(page);
      expect(background).toBe(colorScheme === 'light' ? 'rgb(255, 255, 255)' : 'rgb(13, 17, 23)');
      expect(text.length).toBeGreaterThan(10);
      for (const t of text)
        expect({ ...t, ratio: contrast(t.colour, background) >= 4.5 }).toMatchObject({ ratio: true });
      expect(bars.length).toBeGreaterThan(3);
      for (const b of bars)
        expect({ ...b, ratio: contrast(b.colour, background) >= 3 }).toMatchObject({ ratio: true });
      const shot = await page.screenshot({ fullPage: true });
      writeFileSync(join(artifacts, `status-page-${colorScheme}.png`), shot);
      if (colorScheme === 'light' && process.env['SRE_UPDATE_DOCS_SCREENSHOT'] === '1')
        writeFileSync(join(root, 'docs', 'status-page.png'), shot);
    }
    await page.close();
  });

  it('fits a 375 px wide phone without horizontal overflow', async () => {
    const phone = await openChromium({ width: 375, height: 812 });
    try {
      const page = await phone.context.newPage();
      await page.goto(`${server.url}/status`);
      const widths = await page.evaluate(() => ({
        scroll: document.documentElement.scrollWidth,
        client: document.documentElement.clientWidth,
        widest: Math.max(
          ...[...document.querySelectorAll('body *')].map((el) => el.getBoundingClientRect().right),
        ),
      }));
      expect(widths.client).toBe(375);
      expect(widths.scroll).toBeLessThanOrEqual(widths.client);
      expect(widths.widest).toBeLessThanOrEqual(widths.client);
      writeFileSync(join(artifacts, 'status-page-375px.png'), await page.screenshot({ fullPage: true }));
    } finally {
      await phone.close();
    }
  });

  it('badges are SVG documents the browser parses; summary.json validates', async () => {
    const page = await browser.context.newPage();
    for (const path of ['database.svg', 'checkout-api.svg?metric=uptime', '_overall.svg']) {
      const response = await page.goto(`${server.url}/status/badge/${path}`);
      expect(response?.headers()['content-type']).toBe('image/svg+xml; charset=utf-8');
      // Loaded as a document: a malformed one would be Chromium's XML error page instead.
      const loaded = await page.evaluate(() => ({
        error: document.querySelector('parsererror')?.textContent ?? null,
        root: document.documentElement.tagName,
        title: document.querySelector('title')?.textContent,
      }));
      expect(loaded).toMatchObject({ error: null, root: 'svg' });
      expect(loaded.title).toMatch(
        /^(Database: major outage|Checkout API: 100\.00 %|Checkout: major outage)$/,
      );
    }
    // And parsed as XML from its bytes, with hostile text in it.
    const hostile = createStatusPage(fixture.monitor, {
      title: '<x> & "y" \'z\'',
      components: { names: { db: 'a</text><script>' } },
    });
    await page.goto('about:blank');
    for (const path of ['/status/badge/a-text-script.svg', '/status/badge/_overall.svg']) {
      const svg = hostile.answer({ method: 'GET', path })!.body;
      const parsed = await page.evaluate((text) => {
        const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
        return {
          error: doc.querySelector('parsererror')?.textContent ?? null,
          scripts: doc.querySelectorAll('script').length,
          texts: [...doc.querySelectorAll('text')].map((t) => t.textContent),
        };
      }, svg);
      expect(parsed.error).toBeNull();
      expect(parsed.scripts).toBe(0);
      expect(parsed.texts[0]).toMatch(/^(a<\/text><script>|<x> & "y" 'z')$/);
    }
    const json = await (await fetch(`${server.url}/status/summary.json`)).json();
    expect(statusSummarySchema.safeParse(json).success).toBe(true);
    await page.close();
  });
});
