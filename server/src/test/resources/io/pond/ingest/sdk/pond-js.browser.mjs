// Drives Debian's chromium (playwright-core) through a page on one origin that loads pond.js from
// Pond on another. Run by WebSdkBrowserTest, which checks the event log afterwards. Prints one JSON
// line: {"anonymousId", "requestsBeforeUnload", "beacons", "corsStatus"}.
import { createRequire } from 'node:module';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const require = createRequire(process.env.PLAYWRIGHT_DIR + '/');
const { chromium } = require('playwright-core');
const PAGE = process.env.PAGE_URL;     // the test page, with utm_* and state in its query
const AFTER = process.env.AFTER_URL;   // a page of the same origin without pond.js
const POND = process.env.POND_URL;

const profile = mkdtempSync(join(tmpdir(), 'pond-sdk-chromium-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.POND_CHROMIUM ?? '/usr/bin/chromium',
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});
try {
  context.setDefaultTimeout(30_000);
  // count sendBeacon calls in localStorage, which survives the navigation to AFTER (same origin)
  await context.addInitScript(() => {
    const original = navigator.sendBeacon.bind(navigator);
    navigator.sendBeacon = (url, data) => {
      const sent = original(url, data);
      if (sent) localStorage.setItem('beacons', String(Number(localStorage.getItem('beacons') ?? 0) + 1));
      return sent;
    };
  });
  const page = context.pages()[0] ?? (await context.newPage());
  let requestsBeforeUnload = 0;
  let unloading = false;
  page.on('request', (r) => { if (!unloading && r.url().startsWith(POND + '/v1/batch')) requestsBeforeUnload++; });

  await page.goto(PAGE);
  await page.waitForFunction(() => window.pond && window.pond.version);
  await page.click('text=Buy now');
  await page.evaluate(() => {
    pond.identify('web-user-1', { tier: 'gold' });
    pond.track('Added To Cart', { sku: 'A-1', priceFen: 1990 });
  });
  // a cross-origin POST with a JSON content type needs a CORS preflight; Pond must allow it
  const corsStatus = await page.evaluate(async ([pondUrl, writeKey]) => {
    const r = await fetch(pondUrl + '/v1/track', {
      method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ writeKey, type: 'track', event: 'Cors Checked', anonymousId: window.pond.anonymousId() }),
    });
    return r.status;
  }, [POND, process.env.WRITE_KEY]);
  const anonymousId = await page.evaluate(() => window.pond.anonymousId());
  // submitting the form navigates to AFTER: pagehide must flush the queue with sendBeacon
  unloading = true;
  await Promise.all([page.waitForURL(AFTER + '**'), page.click('#signup button')]);
  const beacons = await page.evaluate(() => Number(localStorage.getItem('beacons') ?? 0));
  console.log(JSON.stringify({ anonymousId, requestsBeforeUnload, beacons, corsStatus }));
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}
