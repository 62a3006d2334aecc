// The emulator's dashboard in real headless Chromium, with a bot in another language: a call a
// Python bot (standard library) places appears within a second, a key pressed on the keypad
// reaches the bot, the journal lists the bot's requests, "save as scenario" round-trips through
// POST /_graph-ivr/scenario, reset empties it; keyboard-operable, axe-clean, usable 390 px wide.
import test from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { startEmulator } from 'graph-ivr/emulator';
import { root } from './helpers.mjs';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const present = existsSync(CHROMIUM);
if (!present && process.env.CI === 'true') throw new Error(`${CHROMIUM} is missing; .ci/run installs Debian's chromium`);
const python = spawnSync('python3', ['--version']).status === 0 ? 'python3' : null;
const shots = join(root, 'test-output');
mkdirSync(shots, { recursive: true });

/** The lines a child prints, as they come: `next(pattern)` resolves with the first that matches. */
function linesOf(child) {
  const seen = [];
  const waiting = [];
  createInterface({ input: child.stdout }).on('line', (line) => {
    seen.push(line);
    for (const w of waiting.splice(0)) if (!w.settle(line)) waiting.push(w);
  });
  return {
    seen,
    next: (pattern, ms = 10_000) =>
      new Promise((resolve, reject) => {
        const already = seen.find((line) => pattern.test(line));
        if (already) return resolve(already);
        const timer = setTimeout(() => reject(new Error(`no line ${pattern} within ${ms} ms; saw ${JSON.stringify(seen)}`)), ms);
        waiting.push({ settle: (line) => pattern.test(line) && (clearTimeout(timer), resolve(line), true) });
      }),
  };
}

test('the dashboard, with a Python bot', { skip: (!present && `no browser at ${CHROMIUM}`) || (!python && process.env.CI !== 'true' && 'python3 is not installed') }, async (t) => {
  assert.ok(python, 'CI has Python');
  const { chromium } = await import('playwright-core');
  const emulator = await startEmulator({ seed: 7 });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'] });
  const problems = [];
  const open = async (viewport = { width: 1280, height: 900 }, options = {}) => {
    const page = await browser.newPage({ viewport, ...options });
    page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    await page.goto(emulator.url);
    await page.waitForSelector('[data-testid="no-calls"]', { state: 'attached' });
    return page;
  };
  let bot;
  t.after(async () => {
    bot?.kill();
    await browser.close();
    await emulator.close();
  });

  const page = await open();
  await t.test('a call the Python bot places appears within a second; the clock brings it to established', async () => {
    bot = spawn(python, [join(root, 'tests', 'python', 'caller_bot.py'), emulator.url], { stdio: ['ignore', 'pipe', 'inherit'] });
    const lines = linesOf(bot);
    const placed = await lines.next(/^placed /);
    assert.match(placed, /^placed 201 [0-9a-f-]{36}$/);
    const callId = placed.split(' ')[2];
    await page.waitForSelector(`[data-testid="call"][data-call-id="${callId}"]`, { timeout: 1000 });
    // Keyboard: the clock's "Next event" until the call is established.
    for (let i = 0; i < 5 && !lines.seen.includes('established'); i++) {
      await page.focus('[data-testid="next-event"]');
      await page.keyboard.press('Enter');
      await page.waitForFunction((text) => document.querySelector('[data-testid="now"]').textContent !== text, await page.textContent('[data-testid="now"]'), { timeout: 5000 }).catch(() => {});
    }
    await lines.next(/^established$/);
    await page.waitForFunction(() => document.querySelector('[data-testid="call-state"]').textContent === 'established');
    await page.waitForSelector('[data-testid="journal-request"]:has-text("subscribeToTone")');

    // A key pressed on the keypad (by keyboard) reaches the bot, which plays a prompt for it.
    await page.focus('[data-testid="key-5"]');
    await page.keyboard.press('Enter');
    assert.equal(await lines.next(/^tone /), 'tone tone5');
    await page.waitForSelector('[data-testid="journal-request"]:has-text("playPrompt")');
    await page.waitForSelector('[data-testid="journal-callback"]:has-text("tone tone5")');
    const requests = await page.locator('[data-testid="journal-request"]').allTextContents();
    assert.ok(requests.some((r) => /POST \/v1\.0\/communications\/calls → 201/.test(r)), requests.join('\n'));
    assert.ok(requests.some((r) => /subscribeToTone → 200/.test(r)));
    await page.waitForSelector('[data-testid="timeline"] [data-testid="lane"][data-operation="playPrompt"]');
    await page.screenshot({ path: join(shots, 'dashboard.png') });
  });

  await t.test('save as scenario round-trips through POST /_graph-ivr/scenario; failures show; reset empties it', async () => {
    await page.click('[data-testid="save-scenario"]');
    await page.waitForFunction(() => document.querySelector('[data-testid="scenario-text"]').value.length > 0);
    const saved = JSON.parse(await page.inputValue('[data-testid="scenario-text"]'));
    assert.deepEqual(saved, await (await fetch(`${emulator.origin}/_graph-ivr/scenario`)).json());
    assert.ok(saved.steps.some((s) => s.request?.path.endsWith('/playPrompt')), 'the bot requests are in it');
    assert.equal(await page.getAttribute('[data-testid="download-scenario"]', 'download'), 'scenario.json');
    // Without the bot: the scenario replays its requests itself; its callbacks find nobody.
    bot.kill();
    await new Promise((resolve) => bot.once('exit', resolve));
    await page.click('[data-testid="load-scenario"]');
    await page.waitForSelector('[data-testid="call"]');
    await fetch(`${emulator.origin}/_graph-ivr/advance`, { method: 'POST', body: JSON.stringify({ ms: saved.durationMs }) });
    const replayed = await (await fetch(`${emulator.origin}/_graph-ivr/scenario`)).json();
    assert.deepEqual(replayed.steps.map((s) => s.request?.path ?? s.pressTone ?? s.ring), saved.steps.map((s) => s.request?.path ?? s.pressTone ?? s.ring));
    await page.waitForSelector('[data-testid="failures"] li');

    await page.click('[data-testid="reset"]');
    await page.waitForSelector('[data-testid="no-calls"]:visible');
    assert.equal(await page.locator('[data-testid="call"]').count(), 0);
    assert.equal(await page.locator('[data-testid="journal"] li').count(), 0);
    assert.equal(await page.locator('[data-testid="failures"] li').count(), 0);
    assert.equal(await page.textContent('[data-testid="now"]'), '0.000 s');
  });

  await t.test('accessible (axe-core: no serious or critical violation) and usable 390 px wide', async () => {
    // A call to look at: rung from the dashboard's own form, by keyboard.
    await page.fill('input[name="callbackUri"]', 'http://127.0.0.1:9/api/calls');
    await page.focus('input[name="callbackUri"]');
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-testid="call"]');
    const axe = readFileSync(join(root, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
    const narrow = await open({ width: 390, height: 844 }, { bypassCSP: true });
    await narrow.waitForSelector('[data-testid="call"]');
    await narrow.addScriptTag({ content: axe });
    const results = await narrow.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
    const serious = results.violations.filter((v) => ['serious', 'critical'].includes(v.impact));
    assert.deepEqual(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`), []);
    const width = await narrow.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 390, `no sideways scrolling at 390 px (${width})`);
    await narrow.close();
    assert.deepEqual(problems.filter((p) => !/Failed to load resource/.test(p)), []);
  });
});
