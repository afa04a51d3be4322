// The sample site in a real browser: `bulletin serve` on loopback, Debian's Chromium driven by
// playwright-core. Run with `tests/browser/run` (or `node --test` in this folder).
//
// Environment:
//   BULLETIN_BIN    the bulletin binary (default ../../target/release/bulletin)
//   CHROMIUM        the browser (default /usr/bin/chromium)
//   SCREENSHOT_DIR  where screenshots go (default tests/browser/screenshots/)
//   BULLETIN_SITE   the site whose content/, themes/ and bulletin.yaml are copied (default: the repo)

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(process.env.BULLETIN_SITE || path.resolve(here, '../..'));
const require = createRequire(import.meta.url);
const AXE_PATH = require.resolve('axe-core/axe.min.js');
const BULLETIN = path.resolve(here, process.env.BULLETIN_BIN || '../../target/release/bulletin');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const SCREENSHOTS = path.resolve(process.env.SCREENSHOT_DIR || path.join(here, 'screenshots'));
const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

// One page of each type. The advisory is the one with conflicts, dates, impacts and alerts.
const PAGES = {
  home: '/',
  advisory: '/advisories/harden-update-ad-fs-pingfederate/',
  product: '/products/entra-connect-sync/',
  timeline: '/timeline/',
};
// The notice the live-reload tests edit, and the page it becomes.
const EDITED_NOTICE = 'content/connect/harden-update-ad-fs-pingfederate.md';
const EDITED_PAGE = PAGES.advisory;

let site;        // the temporary site root
let userData;    // the fresh Chromium profile
let server;      // the `bulletin serve` child process
let serverLog = '';
let origin;      // http://127.0.0.1:PORT
let browser;
let defaultContext; // the persistent context of the fresh profile

// ---------------------------------------------------------------------------------------------
// Harness

function copySite() {
  const root = mkdtempSync(path.join(tmpdir(), 'bulletin-browser-site-'));
  cpSync(path.join(repo, 'content'), path.join(root, 'content'), { recursive: true });
  cpSync(path.join(repo, 'themes'), path.join(root, 'themes'), { recursive: true });
  const config = path.join(repo, 'bulletin.yaml');
  if (existsSync(config)) cpSync(config, path.join(root, 'bulletin.yaml'));
  return root;
}

function startServer(root) {
  return new Promise((resolve, reject) => {
    const child = spawn(BULLETIN, ['serve', '--root', root, '--port', '0'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`bulletin serve printed no address within 30 s:\n${out}\n${serverLog}`));
    }, 30_000);
    child.on('error', (e) => { clearTimeout(timer); reject(new Error(`cannot start ${BULLETIN}: ${e.message}`)); });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`bulletin serve exited (${code ?? signal}) before serving:\n${out}\n${serverLog}`));
    });
    child.stderr.on('data', (d) => { serverLog += d; });
    child.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/serving .* at (http:\/\/127\.0\.0\.1:\d+)\//);
      if (m) {
        clearTimeout(timer);
        child.removeAllListeners('exit');
        resolve({ child, origin: m[1] });
      }
    });
  });
}

/** Stops `bulletin serve` with Ctrl-C, then SIGKILL after 5 s. Waits on the exit code rather
 *  than the 'exit' event: with Chromium launched by playwright the event was seen not to fire
 *  for this child, and a wait on it kept the suite from ever ending. */
async function stopServer(child) {
  const done = () => !child || child.exitCode !== null || child.signalCode !== null;
  if (done()) return;
  child.kill('SIGINT');
  for (let waited = 0; !done() && waited < 10_000; waited += 50) {
    if (waited === 5_000) child.kill('SIGKILL');
    await new Promise((r) => setTimeout(r, 50));
  }
}

before(async () => {
  assert.ok(existsSync(BULLETIN), `no bulletin binary at ${BULLETIN} (set BULLETIN_BIN)`);
  site = copySite();
  ({ child: server, origin } = await startServer(site));
  userData = mkdtempSync(path.join(tmpdir(), 'bulletin-browser-profile-'));
  defaultContext = await chromium.launchPersistentContext(userData, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1280, height: 900 },
  });
  browser = defaultContext.browser();
});

after(async () => {
  await defaultContext?.close().catch(() => {});
  await stopServer(server);
  for (const dir of [site, userData]) if (dir) rmSync(dir, { recursive: true, force: true });
});

/**
 * A page that records console errors, uncaught exceptions and CSP violations into `problems`.
 * The init script runs before any page script and is not subject to the page's CSP.
 */
async function watchedPage(context, problems) {
  const page = await context.newPage();
  await page.exposeBinding('__bulletinCspViolation', ({ frame }, v) => {
    problems.push(`CSP violation on ${frame.url()}: ${v.directive} blocked ${v.blocked} (${v.source}:${v.line})`);
  });
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__bulletinCspViolation({
        directive: e.effectiveDirective || e.violatedDirective,
        blocked: e.blockedURI,
        source: e.sourceFile,
        line: e.lineNumber,
      });
    });
  });
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    const where = m.location()?.url;
    problems.push(`console error on ${page.url()}: ${m.text()}${where && where !== page.url() ? ` [${where}]` : ''}`);
  });
  page.on('pageerror', (e) => problems.push(`uncaught exception on ${page.url()}: ${e.message}`));
  return page;
}

/** page.goto, but a navigation that fails or times out says what it waited on: the requests
 *  still in flight, whether `bulletin serve` still runs, and the end of its log (CI once saw
 *  "page.goto: Timeout 30000ms exceeded" with nothing more to go on). */
async function goto(page, href, options = {}) {
  const inFlight = new Set();
  const started = (r) => inFlight.add(r);
  const ended = (r) => inFlight.delete(r);
  page.on('request', started);
  page.on('requestfinished', ended);
  page.on('requestfailed', ended);
  const at = Date.now();
  try {
    return await page.goto(href, options);
  } catch (e) {
    const pending = [...inFlight].map((r) => `${r.method()} ${r.url()}`).join(', ') || 'none';
    const state = server ? server.exitCode ?? server.signalCode ?? 'running' : 'not started';
    const log = serverLog.trim().split('\n').slice(-5).join(' | ');
    throw new Error(`${e.message}\n  after ${Date.now() - at} ms; requests still in flight: ${pending}` +
      `\n  bulletin serve: ${state}; its last output: ${log}`);
  } finally {
    page.off('request', started);
    page.off('requestfinished', ended);
    page.off('requestfailed', ended);
  }
}

const url = (p) => new URL(p, origin).href;

// ---------------------------------------------------------------------------------------------
// The crawl: every page reachable from the home page (and every page in sitemap.xml), in a
// context with the page's CSP enforced. Shared by the link, anchor and console/CSP tests.

let crawlResult;
function crawl() {
  crawlResult ??= doCrawl();
  return crawlResult;
}

async function doCrawl() {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const problems = [];
  const status = new Map();   // url without fragment -> { status, type, from }
  const ids = new Map();      // html page url -> Set of ids and <a name>s
  const fragments = [];       // { from, to, id }
  const queue = [];
  const seen = new Set();
  const enqueue = (href, from) => {
    const u = new URL(href, from);
    if (u.origin !== origin || !/^https?:$/.test(u.protocol)) return;
    if (u.pathname.startsWith('/__bulletin/')) return;
    const fragment = u.hash ? decodeURIComponent(u.hash.slice(1)) : '';
    u.hash = '';
    if (fragment) fragments.push({ from, to: u.href, id: fragment });
    if (!seen.has(u.href)) { seen.add(u.href); queue.push({ href: u.href, from }); }
  };

  enqueue(url('/'), url('/'));
  const sitemap = await context.request.get(url('/sitemap.xml'));
  assert.equal(sitemap.status(), 200, 'sitemap.xml');
  for (const [, loc] of (await sitemap.text()).matchAll(/<loc>([^<]+)<\/loc>/g)) {
    const u = new URL(loc.replace(/&amp;/g, '&'), origin);
    enqueue(url(u.pathname + u.search), url('/sitemap.xml'));
  }

  const page = await watchedPage(context, problems);
  while (queue.length) {
    const { href, from } = queue.shift();
    const res = await context.request.get(href, { maxRedirects: 0 });
    const type = (res.headers()['content-type'] || '').split(';')[0];
    status.set(href, { status: res.status(), type, from });
    await res.dispose();
    if (res.status() !== 200 || type !== 'text/html') continue;
    const response = await goto(page, href, { waitUntil: 'load' });
    assert.equal(response.status(), 200, href);
    const found = await page.evaluate(() => ({
      ids: [...document.querySelectorAll('[id]')].map((e) => e.id)
        .concat([...document.querySelectorAll('a[name]')].map((e) => e.getAttribute('name'))),
      links: [...document.querySelectorAll('a[href], area[href], link[href]')].map((e) => e.href),
      resources: [...document.querySelectorAll('img[src], script[src], source[src]')].map((e) => e.src),
      dupes: (() => {
        const all = [...document.querySelectorAll('[id]')].map((e) => e.id);
        return all.filter((id, i) => all.indexOf(id) !== i);
      })(),
    }));
    ids.set(href, new Set(found.ids));
    if (found.dupes.length) problems.push(`duplicate ids on ${href}: ${[...new Set(found.dupes)].join(', ')}`);
    for (const link of [...found.links, ...found.resources]) enqueue(link, href);
  }
  await page.close();
  await context.close();
  return { status, ids, fragments, problems };
}

// ---------------------------------------------------------------------------------------------
// Links

test('every internal link returns 200', { timeout: 60_000 }, async (t) => {
  const { status, fragments } = await crawl();
  const pages = [...status].filter(([, s]) => s.type === 'text/html');
  t.diagnostic(`${pages.length} pages, ${status.size - pages.length} other files, ${fragments.length} links with a #fragment`);
  for (const p of Object.values(PAGES)) assert.ok(status.has(url(p)), `${p} is not reachable from the home page`);
  assert.ok(pages.length >= 10, `only ${pages.length} pages crawled`);
  const broken = [...status].filter(([, s]) => s.status !== 200)
    .map(([u, s]) => `${s.status} ${new URL(u).pathname} (linked from ${new URL(s.from).pathname})`);
  assert.deepEqual(broken, [], `broken internal links:\n${broken.join('\n')}`);
});

test('every internal link with a #fragment lands on an existing anchor', { timeout: 60_000 }, async () => {
  const { ids, fragments } = await crawl();
  const missing = [];
  for (const { from, to, id } of fragments) {
    const targets = ids.get(to);
    if (!targets) missing.push(`${new URL(to).pathname}#${id} (from ${new URL(from).pathname}): not an HTML page`);
    else if (!targets.has(id)) missing.push(`${new URL(to).pathname}#${id} (from ${new URL(from).pathname})`);
  }
  assert.deepEqual(missing, [], `links to anchors that do not exist:\n${missing.join('\n')}`);
});

test('no console errors, uncaught exceptions or CSP violations on any page', { timeout: 60_000 }, async () => {
  // The detector itself works: an inline script is refused by the page's CSP and reported.
  const context = await browser.newContext();
  const canary = [];
  const page = await watchedPage(context, canary);
  await goto(page, url(PAGES.home));
  await page.evaluate(() => {
    const script = document.createElement('script');
    script.textContent = 'window.inlineRan = true';
    document.head.append(script);
  });
  await page.waitForTimeout(200);
  assert.equal(await page.evaluate(() => window.inlineRan), undefined, 'an inline script ran: the CSP is not enforced');
  assert.ok(canary.some((p) => p.startsWith('CSP violation') && p.includes('script-src')),
    `a CSP violation went unnoticed: ${JSON.stringify(canary)}`);
  await context.close();

  const { problems } = await crawl();
  assert.deepEqual(problems, [], problems.join('\n'));
});

// ---------------------------------------------------------------------------------------------
// Accessibility

/** axe-core is served from the site's own origin (a routed URL), so the page's CSP
 *  (`script-src 'self'`) allows it and the CSP stays on for the run. */
async function runAxe(page, selector = 'html') {
  if (!(await page.evaluate(() => !!window.axe))) {
    await page.route(url('/__axe/axe.min.js'), (route) =>
      route.fulfill({ path: AXE_PATH, contentType: 'text/javascript; charset=utf-8' }));
    await page.addScriptTag({ url: url('/__axe/axe.min.js') });
  }
  return page.evaluate((sel) => window.axe.run(sel, { resultTypes: ['violations'] }), selector);
}

function describeViolations(violations) {
  return violations.map((v) => `${v.impact} ${v.id}: ${v.help}\n` +
    v.nodes.slice(0, 5).map((n) => `    ${n.target.join(' ')} — ${n.failureSummary.replace(/\s+/g, ' ')}`).join('\n'))
    .join('\n');
}

for (const [scheme, width] of [['light', 1280], ['dark', 1280], ['light', 390], ['dark', 390]]) {
  test(`axe-core: no serious or critical violations (${scheme} mode, ${width} px)`, { timeout: 60_000 }, async (t) => {
    const context = await browser.newContext({ colorScheme: scheme, viewport: { width, height: 900 } });
    const failures = [];
    for (const [name, p] of Object.entries(PAGES)) {
      const page = await context.newPage();
      await goto(page, url(p));
      const { violations } = await runAxe(page);
      const bad = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
      const minor = violations.filter((v) => !bad.includes(v));
      if (minor.length) t.diagnostic(`${name} (${scheme}), minor: ${minor.map((v) => `${v.impact} ${v.id}`).join(', ')}`);
      if (bad.length) failures.push(`${name} ${p} (${scheme}):\n${describeViolations(bad)}`);
      await page.close();
    }
    await context.close();
    assert.deepEqual(failures, [], failures.join('\n'));
  });
}

test('landmarks, headings, language and tables with headers', { timeout: 60_000 }, async () => {
  const context = await browser.newContext();
  const failures = [];
  for (const [name, p] of Object.entries(PAGES)) {
    const page = await context.newPage();
    await goto(page, url(p));
    const facts = await page.evaluate(() => ({
      lang: document.documentElement.lang,
      title: document.title,
      banner: document.querySelectorAll('body > header').length,
      main: document.querySelectorAll('main').length,
      mainId: document.querySelector('main')?.id,
      contentinfo: document.querySelectorAll('body > footer').length,
      navLabelled: [...document.querySelectorAll('nav')].every((n) => n.getAttribute('aria-label')),
      search: document.querySelectorAll('[role=search]').length,
      searchLabel: document.querySelector('label[for=search-input]')?.textContent.trim(),
      h1: document.querySelectorAll('h1').length,
      headingJumps: (() => {
        const levels = [...document.querySelectorAll('main h1, main h2, main h3, main h4, main h5, main h6')]
          .map((h) => Number(h.tagName[1]));
        return levels.filter((l, i) => i > 0 && l > levels[i - 1] + 1).length;
      })(),
      tables: [...document.querySelectorAll('main table')].map((table) => ({
        html: table.outerHTML.slice(0, 80),
        headers: table.querySelectorAll('th').length,
        scoped: [...table.querySelectorAll('th')].every((th) => th.closest('thead') || th.getAttribute('scope')),
        bodyRowsWithoutCells: [...table.querySelectorAll('tbody tr')].filter((tr) => !tr.querySelector('td, th')).length,
      })),
    }));
    const fail = (what) => failures.push(`${name} ${p}: ${what}`);
    if (facts.lang !== 'en') fail(`<html lang> is ${JSON.stringify(facts.lang)}`);
    if (!facts.title) fail('no <title>');
    if (facts.banner !== 1) fail(`${facts.banner} page headers (banner)`);
    if (facts.main !== 1 || facts.mainId !== 'main') fail('not exactly one <main id="main">');
    if (facts.contentinfo !== 1) fail(`${facts.contentinfo} page footers (contentinfo)`);
    if (!facts.navLabelled) fail('a <nav> without aria-label');
    if (facts.search !== 1 || !facts.searchLabel) fail('no labelled search landmark');
    if (facts.h1 !== 1) fail(`${facts.h1} <h1> elements`);
    if (facts.headingJumps) fail(`${facts.headingJumps} skipped heading levels`);
    for (const table of facts.tables) {
      if (!table.headers || !table.scoped) fail(`a table without proper header cells: ${table.html}`);
    }
    await page.close();
  }
  await context.close();
  assert.deepEqual(failures, [], failures.join('\n'));
});

test('the skip link is the first stop, is visible when focused, and moves to <main>', { timeout: 30_000 }, async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await goto(page, url(PAGES.advisory));
  await page.keyboard.press('Tab');
  const focused = await page.evaluate(() => {
    const a = document.activeElement;
    const r = a.getBoundingClientRect();
    return { cls: a.className, href: a.getAttribute('href'), text: a.textContent.trim(),
      visible: r.width > 0 && r.height > 0 && r.left >= 0 && r.top >= 0 && r.right <= innerWidth };
  });
  assert.equal(focused.cls, 'skip-link', 'the first Tab stop is not the skip link');
  assert.equal(focused.href, '#main');
  assert.ok(focused.visible, 'the focused skip link is off screen');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => location.hash === '#main');
  // The next Tab goes into the content, not back to the header.
  await page.keyboard.press('Tab');
  const inMain = await page.evaluate(() => !!document.activeElement.closest('main'));
  assert.ok(inMain, 'after the skip link, Tab does not continue inside <main>');
  await context.close();
});

for (const scheme of ['light', 'dark']) {
  test(`keyboard focus is visible on every stop in the header (${scheme} mode)`, { timeout: 30_000 }, async () => {
    const context = await browser.newContext({ colorScheme: scheme });
    const page = await context.newPage();
    await goto(page, url(PAGES.home));
    const failures = [];
    // The skip link, the brand, the four nav links and the search box.
    for (let i = 0; i < 7; i++) {
      await page.keyboard.press('Tab');
      const f = await page.evaluate(() => {
        const e = document.activeElement;
        const s = getComputedStyle(e);
        const rgb = (c) => (c.match(/[\d.]+/g) || []).map(Number);
        const lum = ([r, g, b]) => [r, g, b].map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; })
          .reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i], 0);
        // The background the outline is drawn on: the nearest ancestor with an opaque one.
        let bg = 'rgb(255, 255, 255)';
        for (let n = e.parentElement; n; n = n.parentElement) {
          const c = getComputedStyle(n).backgroundColor;
          if (rgb(c).length === 3 || (rgb(c).length === 4 && rgb(c)[3] === 1)) { bg = c; break; }
        }
        const [a, b] = [lum(rgb(s.outlineColor)), lum(rgb(bg))];
        return { what: e.outerHTML.slice(0, 60), style: s.outlineStyle, width: parseFloat(s.outlineWidth),
          shadow: s.boxShadow, focusVisible: e.matches(':focus-visible'),
          contrast: (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05), color: s.outlineColor, bg };
      });
      const outline = f.style !== 'none' && f.width >= 2;
      if (!f.focusVisible || !(outline || (f.shadow && f.shadow !== 'none'))) {
        failures.push(`no visible focus indicator on ${f.what} (outline ${f.style} ${f.width}px)`);
      } else if (outline && f.contrast < 3) {
        // WCAG 1.4.11: a focus indicator needs 3:1 against what it sits on.
        failures.push(`focus outline ${f.color} on ${f.bg} has contrast ${f.contrast.toFixed(2)} < 3 on ${f.what}`);
      }
    }
    await context.close();
    assert.deepEqual(failures, [], failures.join('\n'));
  });
}

test('no horizontal scrolling at 390 px and 1280 px on any page type (light and dark)', { timeout: 90_000 }, async () => {
  const failures = [];
  for (const [scheme, width] of [['light', 390], ['dark', 390], ['light', 1280], ['light', 360]]) {
    const context = await browser.newContext({ colorScheme: scheme, viewport: { width, height: 844 } });
    const page = await context.newPage();
    for (const [name, p] of Object.entries({
      ...PAGES, advisories: '/advisories/', products: '/products/', search: '/search/?q=connect',
      agents: '/advisories/connect-health-agents/', v2: '/advisories/whatis-azure-ad-connect-v2/',
      revision: '/advisories/security-updates-pks/',
    })) {
      await goto(page, url(p));
      const m = await page.evaluate(() => {
        const root = document.documentElement;
        const wide = [...document.querySelectorAll('body *')]
          .filter((e) => e.getBoundingClientRect().right > root.clientWidth + 1 &&
            !e.closest('.visually-hidden, [hidden]') && getComputedStyle(e).position !== 'absolute')
          .slice(0, 3).map((e) => e.outerHTML.slice(0, 80));
        return { scroll: root.scrollWidth, client: root.clientWidth, wide };
      });
      if (m.scroll > m.client) failures.push(`${name} ${p} (${scheme}, ${width} px): scrollWidth ${m.scroll} > clientWidth ${m.client}; too wide: ${m.wide.join(' | ')}`);
    }
    await context.close();
  }
  assert.deepEqual(failures, [], failures.join('\n'));
});

/** Whole days from the reader's today (local) to an ISO day, as static/days.js counts them. */
function daysUntil(iso) {
  const [y, m, d] = iso.split('-').map(Number);
  const now = new Date();
  return Math.round((Date.UTC(y, m - 1, d) - Date.UTC(now.getFullYear(), now.getMonth(), now.getDate())) / 86_400_000);
}

test('what to do is in the first screen, at 390 px and 1280 px', { timeout: 60_000 }, async () => {
  const failures = [];
  for (const width of [390, 1280]) {
    const context = await browser.newContext({ viewport: { width, height: width === 390 ? 844 : 900 } });
    const page = await context.newPage();
    for (const [p, selector] of [[PAGES.advisory, '.action-line'], [PAGES.product, '#minimum ~ .effective li']]) {
      await goto(page, url(p));
      const box = await page.locator(selector).first().boundingBox();
      if (!box || box.y + box.height > (width === 390 ? 844 : 900)) {
        failures.push(`${p} at ${width} px: ${selector} is not in the first screen (${JSON.stringify(box)})`);
      }
    }
    await context.close();
  }
  assert.deepEqual(failures, [], failures.join('\n'));
});

test('the action sentence says how many days ago the deadline passed, counted in the browser', { timeout: 30_000 }, async () => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  await goto(page, url(PAGES.advisory));
  const sentence = (await page.locator('.action-line').first().textContent()).replace(/\s+/g, ' ').trim();
  const days = daysUntil('2025-04-30');
  const when = days === 0 ? 'due today' : days > 0 ? `in ${days} day${days === 1 ? '' : 's'}`
    : `passed ${-days} day${days === -1 ? '' : 's'} ago`;
  assert.equal(sentence, `Upgrade Microsoft Entra Connect Sync to 2.4.18.0 or later (commercial) / 2.4.21.0 (noncommercial) by April 30, 2025: ${when}.`);
  // The date is never broken across lines.
  const lines = await page.locator('.action-line time.date').first().evaluate((e) => e.getClientRects().length);
  assert.equal(lines, 1, 'the date wraps');
  await context.close();
  // Without script, the date alone.
  const noScript = await browser.newContext({ javaScriptEnabled: false });
  const plain = await noScript.newPage();
  await goto(plain, url(PAGES.advisory));
  assert.equal((await plain.locator('.action-line').first().textContent()).replace(/\s+/g, ' ').trim(),
    'Upgrade Microsoft Entra Connect Sync to 2.4.18.0 or later (commercial) / 2.4.21.0 (noncommercial) by April 30, 2025.');
  await noScript.close();
});

// ---------------------------------------------------------------------------------------------
// Search

const QUERIES = {
  // Only the advisory's title says PingFederate; no product's name, alias or version does.
  'PingFederate': { advisory: '/advisories/harden-update-ad-fs-pingfederate/' },
  '2.4.18': { advisory: '/advisories/harden-update-ad-fs-pingfederate/', product: '/products/entra-connect-sync/' },
  'AD DS agent': {
    advisory: '/advisories/security-updates-pks/',
    agents: '/advisories/connect-health-agents/',
    product: '/products/entra-connect-health-adds-agent/',
  },
};

test('the search box finds PingFederate, 2.4.18 and AD DS agent', { timeout: 60_000 }, async () => {
  const context = await browser.newContext();
  const problems = [];
  const page = await watchedPage(context, problems);
  await goto(page, url(PAGES.home));
  const failures = [];
  for (const [query, expected] of Object.entries(QUERIES)) {
    await page.fill('#search-input', '');
    await page.locator('#search-input').pressSequentially(query);
    await page.waitForSelector('#search-results li a', { state: 'visible', timeout: 5_000 })
      .catch(() => failures.push(`"${query}": no results shown`));
    const hrefs = await page.$$eval('#search-results li a', (as) => as.map((a) => new URL(a.href).pathname));
    for (const want of Object.values(expected)) {
      if (!hrefs.includes(want)) failures.push(`"${query}": ${want} not among the results ${JSON.stringify(hrefs)}`);
    }
    const status = await page.textContent('#search-status');
    if (!/\d+ results? for /.test(status)) failures.push(`"${query}": status says ${JSON.stringify(status)}`);
  }
  // The open result list passes axe (contrast included) in light and dark mode.
  for (const scheme of ['light', 'dark']) {
    await page.emulateMedia({ colorScheme: scheme });
    const { violations } = await runAxe(page, '#search-results');
    const bad = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    if (bad.length) failures.push(`search results (${scheme}):\n${describeViolations(bad)}`);
  }
  await page.emulateMedia({ colorScheme: 'light' });
  // On a phone, each result's kind stays on one line and apart from its title.
  await page.setViewportSize({ width: 390, height: 844 });
  const results = await page.$$eval('#search-results li', (lis) => lis.map((li) => {
    const kind = li.querySelector('.kind');
    return { text: li.textContent, kindLines: kind.getClientRects().length,
      kindHeight: kind.getBoundingClientRect().height, lineHeight: parseFloat(getComputedStyle(kind).lineHeight) || 20 };
  }));
  for (const r of results) {
    if (!/^(advisory|product) \S/.test(r.text)) failures.push(`search result reads ${JSON.stringify(r.text)}`);
    if (r.kindHeight > r.lineHeight * 1.5) failures.push(`search result kind wraps: ${JSON.stringify(r)}`);
  }
  await page.setViewportSize({ width: 1280, height: 720 });
  // A result is a working link, reachable from the keyboard.
  await page.fill('#search-input', '');
  await page.locator('#search-input').pressSequentially('PingFederate');
  await page.waitForSelector('#search-results li a');
  await page.keyboard.press('ArrowDown');
  const first = await page.evaluate(() => document.activeElement.closest('#search-results') ? document.activeElement.href : null);
  assert.ok(first, 'ArrowDown does not move focus into the results');
  await Promise.all([page.waitForURL(first), page.keyboard.press('Enter')]);
  await context.close();
  assert.deepEqual([...failures, ...problems], [], [...failures, ...problems].join('\n'));
});

// ---------------------------------------------------------------------------------------------
// Screenshots (for people; nothing is asserted beyond them being written)

test('screenshots of each page type at 1280 px and 390 px', { timeout: 60_000 }, async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const written = [];
  for (const scheme of ['light', 'dark']) {
    for (const width of [1280, 390]) {
      const context = await browser.newContext({ colorScheme: scheme, viewport: { width, height: 900 } });
      const page = await context.newPage();
      for (const [name, p] of Object.entries(PAGES)) {
        await goto(page, url(p));
        const file = path.join(SCREENSHOTS, `${name}-${width}-${scheme}.png`);
        await page.screenshot({ path: file, fullPage: true });
        written.push(file);
      }
      await context.close();
    }
  }
  for (const file of written) assert.ok(readFileSync(file).length > 1000, file);
});

// ---------------------------------------------------------------------------------------------
// Live reload (last: it edits the temporary site)

/** Opens `p` and resolves once live.js's event stream has delivered its first event (`ready`).
 *  The page records every live-reload event it receives in `window.__liveEvents`. */
async function openLive(context, problems, p) {
  const page = await watchedPage(context, problems);
  await page.addInitScript(() => {
    const Native = window.EventSource;
    window.__liveEvents = [];
    window.EventSource = class extends Native {
      constructor(...args) {
        super(...args);
        for (const type of ['ready', 'reload', 'failed']) this.addEventListener(type, () => window.__liveEvents.push(type));
      }
    };
  });
  const connected = page.waitForResponse((r) => r.url().endsWith('/__bulletin/events'), { timeout: 10_000 });
  await goto(page, url(p));
  await connected;
  await page.waitForFunction(() => window.__liveEvents.length > 0, null, { timeout: 5_000 }).catch(() => {
    throw new Error('/__bulletin/events is connected but the page received no event from it (not even "ready"); ' +
      'an SSE event without a "data:" line is never dispatched by browsers');
  });
  return page;
}

/** Runs `change` and waits for the page to reload itself. */
async function expectReload(page, change) {
  const reloaded = page.waitForEvent('load', { timeout: 15_000 });
  const logAt = serverLog.length;
  change();
  try {
    await reloaded;
  } catch {
    const events = await page.evaluate(() => window.__liveEvents).catch(() => '?');
    const log = serverLog.slice(logAt).trim().split('\n').slice(-2).join(' | ');
    throw new Error(`the page did not reload within 15 s; events it received: ${JSON.stringify(events)}; the server printed: ${log}`);
  }
}

test('an edited notice reloads the open page with the new text', { timeout: 60_000 }, async () => {
  const context = await browser.newContext();
  const problems = [];
  const page = await openLive(context, problems, EDITED_PAGE);
  const file = path.join(site, EDITED_NOTICE);
  const before = readFileSync(file, 'utf8');
  const marker = `Edited in the browser test ${Date.now()}`;
  assert.ok(before.includes('The deadline has been extended'), 'the notice changed; update the test');
  await expectReload(page, () =>
    writeFileSync(file, before.replace('The deadline has been extended', `${marker}. The deadline has been extended`)));
  await page.getByText(marker).first().waitFor({ timeout: 5_000 });
  await context.close();
  assert.deepEqual(problems, [], problems.join('\n'));
});

test('a broken notice shows the build-error overlay, and fixing it reloads', { timeout: 60_000 }, async (t) => {
  const context = await browser.newContext();
  const problems = [];
  const page = await openLive(context, problems, EDITED_PAGE);
  const file = path.join(site, EDITED_NOTICE);
  const good = readFileSync(file, 'utf8');
  t.after(() => writeFileSync(file, good));
  // An unclosed frontmatter is an error (B0104): the build fails and the last good site stays.
  writeFileSync(file, good.replace(/\n---\n/, '\n\n'));
  const overlay = page.locator('#bulletin-build-error');
  await overlay.waitFor({ state: 'visible', timeout: 20_000 });
  const text = await overlay.textContent();
  assert.match(text, /B01\d\d/);
  assert.match(text, /harden-update-ad-fs-pingfederate\.md:\d+/, 'the overlay names the file and line');
  assert.equal(await overlay.getAttribute('role'), 'alert');
  // A reader sees it wherever the page is scrolled: fixed at the top, inside the viewport.
  for (const y of [0, 100_000]) {
    await page.evaluate((to) => window.scrollTo(0, to), y);
    const box = await page.evaluate(() => {
      const r = document.getElementById('bulletin-build-error').getBoundingClientRect();
      return { top: r.top, bottom: r.bottom, left: r.left, right: r.right, height: r.height,
        innerWidth, innerHeight, position: getComputedStyle(document.getElementById('bulletin-build-error')).position };
    });
    assert.equal(box.position, 'fixed', JSON.stringify(box));
    assert.ok(box.top === 0 && box.height > 20 && box.bottom <= box.innerHeight && box.left >= 0 && box.right <= box.innerWidth,
      `the overlay is not in the viewport at scroll ${y}: ${JSON.stringify(box)}`);
  }
  await expectReload(page, () => writeFileSync(file, good));
  await page.locator('h1').first().waitFor();
  assert.equal(await overlay.count(), 0, 'the overlay is still shown after a good build');
  await context.close();
  assert.deepEqual(problems, [], problems.join('\n'));
});

// ---------------------------------------------------------------------------------------------
// DocFX tabs and zone pivots, on tests/sites/docs-repo.

// The docs site is built with `bulletin build` and served as it would be deployed, by a
// static file server: these tests are about the pages, not about `bulletin serve`.
let docs; // { server, origin, root }
const TYPES = {
  '.html': 'text/html; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8', '.svg': 'image/svg+xml', '.json': 'application/json',
  '.xml': 'application/xml', '.yml': 'text/plain; charset=utf-8', '.sh': 'text/plain; charset=utf-8',
};
async function docsSite() {
  if (!docs) {
    const root = mkdtempSync(path.join(tmpdir(), 'bulletin-browser-docs-'));
    cpSync(path.resolve(here, '../sites/docs-repo'), root, { recursive: true });
    const build = spawnSync(BULLETIN, ['build', '--root', root], { encoding: 'utf8' });
    assert.equal(build.status, 0, `bulletin build failed:\n${build.stderr}`);
    const publicDir = path.join(root, 'public');
    const server = createServer((req, res) => {
      let file = path.join(publicDir, decodeURIComponent(new URL(req.url, 'http://x').pathname));
      if (!file.startsWith(publicDir)) { res.writeHead(403).end(); return; }
      if (existsSync(file) && statSync(file).isDirectory()) file = path.join(file, 'index.html');
      if (!existsSync(file)) { res.writeHead(404).end('not found'); return; }
      res.writeHead(200, { 'content-type': TYPES[path.extname(file)] || 'application/octet-stream' });
      res.end(readFileSync(file));
    });
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    docs = { server, root, origin: `http://127.0.0.1:${server.address().port}` };
  }
  return docs;
}

after(async () => {
  if (!docs) return;
  docs.server.closeAllConnections();
  // Bounded: a connection that outlives the browser must not keep the suite from ending.
  await Promise.race([
    new Promise((resolve) => docs.server.close(resolve)),
    new Promise((resolve) => setTimeout(resolve, 5_000).unref()),
  ]);
  rmSync(docs.root, { recursive: true, force: true });
});

/** What of the first two tab groups a reader sees: each group's tabs, the selected one, and
 *  the visible panels' tab ids and labels. */
function tabState(page) {
  return page.evaluate(() => [...document.querySelectorAll('.tabs')].map((group) => ({
    tabs: [...group.querySelectorAll('[role="tab"]')].map((t) => t.textContent),
    selected: [...group.querySelectorAll('[role="tab"][aria-selected="true"]')].map((t) => t.textContent),
    visible: [...group.querySelectorAll('.tab-panel')]
      .filter((p) => p.getClientRects().length > 0).map((p) => p.dataset.tab),
    labels: [...group.querySelectorAll('.tab-label')]
      .filter((l) => l.getClientRects().length > 0).map((l) => l.textContent),
  })));
}

test('tabs follow the ARIA tabs pattern, switch together by id, and show every tab in print and without script', { timeout: 60_000 }, async () => {
  const { origin: docsOrigin } = await docsSite();
  const tabsUrl = new URL('/advisories/tabs/', docsOrigin).href;
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const problems = [];
  const page = await watchedPage(context, problems);
  await goto(page, tabsUrl);

  assert.deepEqual(await tabState(page), [
    { tabs: ['Portal', 'Azure CLI'], selected: ['Portal'], visible: ['portal'], labels: [] },
    { tabs: ['Azure CLI', 'Portal'], selected: ['Azure CLI'], visible: ['azure-cli'], labels: [] },
  ]);
  // Roles and relations: each tab controls the panel it shows, which it labels.
  const wiring = await page.evaluate(() => [...document.querySelectorAll('[role="tab"][aria-selected="true"]')].map((tab) => {
    const panel = document.getElementById(tab.getAttribute('aria-controls'));
    return {
      list: tab.parentElement.getAttribute('role'),
      panel: panel?.getAttribute('role'),
      labelledBy: panel?.getAttribute('aria-labelledby') === tab.id,
      tabIndex: tab.tabIndex,
    };
  }));
  assert.deepEqual(wiring, [
    { list: 'tablist', panel: 'tabpanel', labelledBy: true, tabIndex: 0 },
    { list: 'tablist', panel: 'tabpanel', labelledBy: true, tabIndex: 0 },
  ]);
  // The tab labels are not headings: the page's headings do not include them.
  const headings = await page.evaluate(() => [...document.querySelectorAll('h1, h2, h3, h4')].map((h) => h.textContent));
  assert.ok(!headings.includes('Portal') && !headings.includes('Azure CLI'), headings.join(' | '));

  // Keyboard: Tab reaches the selected tab only (roving tabindex); arrows move and select,
  // wrapping; Home and End; the same tab id switches the other group too.
  const first = page.locator('.tabs').first().locator('[role="tab"]');
  await first.nth(0).focus();
  await page.keyboard.press('ArrowRight');
  assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Azure CLI');
  let state = await tabState(page);
  assert.deepEqual([state[0].visible, state[1].visible], [['azure-cli'], ['azure-cli']]);
  await page.keyboard.press('ArrowRight');
  assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Portal', 'wraps to the first');
  state = await tabState(page);
  assert.deepEqual([state[0].selected, state[1].selected], [['Portal'], ['Portal']], 'the second group follows');
  await page.keyboard.press('End');
  assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Azure CLI');
  await page.keyboard.press('Home');
  assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Portal');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.getAttribute('role')), 'tabpanel',
    'Tab leaves the tab list for the panel');
  // A click in the second group switches the first.
  await page.locator('.tabs').nth(1).locator('[role="tab"]', { hasText: 'Azure CLI' }).click();
  state = await tabState(page);
  assert.deepEqual([state[0].visible, state[1].visible], [['azure-cli'], ['azure-cli']]);

  const { violations } = await (async () => {
    await page.route(new URL('/__axe/axe.min.js', docsOrigin).href, (route) =>
      route.fulfill({ path: AXE_PATH, contentType: 'text/javascript; charset=utf-8' }));
    await page.addScriptTag({ url: new URL('/__axe/axe.min.js', docsOrigin).href });
    return page.evaluate(() => window.axe.run('.body', { resultTypes: ['violations'] }));
  })();
  const bad = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(bad, [], describeViolations(bad));

  // Print: every panel with its label, no tab list.
  await page.emulateMedia({ media: 'print' });
  state = await tabState(page);
  assert.deepEqual(state.map((g) => [g.visible, g.labels]), [
    [['portal', 'azure-cli'], ['Portal', 'Azure CLI']],
    [['azure-cli', 'portal'], ['Azure CLI', 'Portal']],
  ]);
  assert.equal(await page.locator('[role="tablist"]').first().isVisible(), false);
  assert.deepEqual(problems, [], problems.join('\n'));
  await context.close();

  // Without script: every panel under its label, no tab list at all.
  const noScript = await browser.newContext({ javaScriptEnabled: false });
  const plain = await noScript.newPage();
  await goto(plain, tabsUrl);
  state = await tabState(plain);
  assert.deepEqual(state.map((g) => [g.tabs, g.visible, g.labels]), [
    [[], ['portal', 'azure-cli'], ['Portal', 'Azure CLI']],
    [[], ['azure-cli', 'portal'], ['Azure CLI', 'Portal']],
  ]);
  await noScript.close();
});

/** The zones a reader sees (their pivots) and whether the selector shows. */
function zoneState(page) {
  return page.evaluate(() => ({
    selector: !!document.querySelector('.pivot-selector')?.getClientRects().length,
    visible: [...document.querySelectorAll('.zone')]
      .filter((z) => z.getClientRects().length > 0).map((z) => z.dataset.pivot),
    labels: [...document.querySelectorAll('.zone-label')]
      .filter((l) => l.getClientRects().length > 0).map((l) => l.textContent),
  }));
}

test('zone pivots show one zone per choice, follow ?pivots=, and show every zone in print and without script', { timeout: 60_000 }, async () => {
  const { origin: docsOrigin } = await docsSite();
  const pivotsUrl = new URL('/advisories/pivots/', docsOrigin).href;
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const problems = [];
  const page = await watchedPage(context, problems);
  await goto(page, pivotsUrl);
  // The defined group's first pivot, and the undefined `macos` (its own group, B0207).
  assert.deepEqual(await zoneState(page), { selector: true, visible: ['windows', 'macos'], labels: [] });
  const select = page.locator('#pivot-select-1');
  assert.equal(await page.locator('label[for="pivot-select-1"]').textContent(), 'Choose a platform');
  // Keyboard: the selector is reachable and changes with the arrow keys.
  await select.focus();
  await select.selectOption('linux');
  assert.deepEqual((await zoneState(page)).visible, ['linux', 'macos']);
  assert.equal(new URL(page.url()).searchParams.get('pivots'), 'linux,macos');
  // A link with ?pivots= opens on that zone.
  await goto(page, `${pivotsUrl}?pivots=linux`);
  assert.deepEqual((await zoneState(page)).visible, ['linux', 'macos']);
  await page.emulateMedia({ media: 'print' });
  assert.deepEqual(await zoneState(page), {
    selector: false,
    visible: ['windows', 'linux', 'macos'],
    labels: ['Windows Server', 'Linux', 'macos'],
  });
  assert.deepEqual(problems, [], problems.join('\n'));
  await context.close();

  const noScript = await browser.newContext({ javaScriptEnabled: false });
  const plain = await noScript.newPage();
  await goto(plain, pivotsUrl);
  assert.deepEqual(await zoneState(plain), {
    selector: false,
    visible: ['windows', 'linux', 'macos'],
    labels: ['Windows Server', 'Linux', 'macos'],
  });
  await noScript.close();
});
