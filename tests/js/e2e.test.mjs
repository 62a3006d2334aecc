// The demo page in real headless Chromium (Debian's, driven by playwright-core): the seed's
// cancel scenario by clicking, the URL that reproduces it, the presets, inline builder errors,
// the clock — with no console error. Screenshots go to test-output/ (ignored by git).
import test from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { GraphSimulator, buildPlayPrompt, buildRecordResponse, buildSubscribeToTone } from 'graph-ivr';
import { startEmulator } from 'graph-ivr/emulator';
import { root } from './helpers.mjs';
import { serve } from '../../scripts/serve.mjs';
import { buildSite } from '../../scripts/site.mjs';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const present = existsSync(CHROMIUM);
if (!present && process.env.CI === 'true') throw new Error(`${CHROMIUM} is missing; .ci/run installs Debian's chromium`);
const shots = join(root, 'test-output');
mkdirSync(shots, { recursive: true });

/** The scenario a demo link holds (`#z=` and deflated, base64url JSON). */
function scenarioOf(link) {
  const hash = new URL(link).hash.slice(1);
  assert.match(hash, /^z=[A-Za-z0-9_-]+$/, 'a compact link');
  return JSON.parse(inflateRawSync(Buffer.from(hash.slice(2), 'base64url')).toString('utf8'));
}

/** How the demo's call begins: it rings, the page answers, it is established. */
const BEGINS = ['call incoming', 'call establishing', 'call established'];

test('the demo page in headless Chromium', { skip: present ? false : `no browser at ${CHROMIUM}` }, async (t) => {
  const { chromium } = await import('playwright-core');
  const server = await serve(0, buildSite(join(mkdtempSync(join(tmpdir(), 'graph-ivr-site-')), 'site')));
  const url = `http://127.0.0.1:${server.address().port}/`;
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  const problems = [];
  /** The demo is ready when its body says so; the embed example when both its elements do. */
  const READY = { demo: 'body[data-ready="true"]', embed: 'graph-ivr-call[data-ready="true"] >> nth=1' };
  const open = async (address, viewport = { width: 1400, height: 1000 }, { ready = READY.demo, ...options } = {}) => {
    const page = await browser.newPage({ viewport, ...options });
    page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()}`));
    await page.goto(address);
    await page.waitForSelector(ready);
    return page;
  };
  const notes = (page) => page.locator('[data-testid="notification"] .what').allTextContents();
  t.after(async () => {
    await browser.close();
    server.close();
  });

  let link;
  await t.test('cancel during a record, by clicking: two 400/8508 failures, then a tone', async () => {
    const page = await open(url);
    await page.click('[data-testid="subscribe"]');
    await page.click('[data-testid="record-form"] button[type="submit"]');
    await page.fill('[data-testid="play-form"] input[name="uri"]', 'https://cdn.contoso.com/menu.wav');
    await page.fill('[data-testid="play-form"] input[name="clientContext"]', 'menu');
    await page.click('[data-testid="play-form"] button[type="submit"]');
    assert.match(await page.textContent('[data-testid="running"]'), /recordResponse "voicemail"/);
    assert.match(await page.textContent('[data-testid="queue"]'), /playPrompt "menu"/);
    for (let i = 0; i < 6; i++) await page.click('#step');
    assert.equal(await page.textContent('[data-testid="now"]'), '3.500 s');
    assert.match(await page.textContent('[data-testid="running"]'), /recording/);
    await page.click('[data-testid="cancel"]');
    await page.click('[data-testid="key-5"]');
    const seen = await notes(page);
    assert.deepEqual(seen, [
      ...BEGINS,
      'recordOperation "voicemail" failed 400/8508 operationCanceled',
      'playPromptOperation "menu" failed 400/8508',
      'tone tone5 (sequenceId 1)',
    ]);
    assert.equal(await page.locator('[data-testid="notification"] .badge.valid').count(), 6);
    assert.equal(await page.locator('text=classifyResult: canceled').count(), 2);
    assert.match(await page.textContent('[data-testid="last-request"]'), /^POST https:\/\/graph\.microsoft\.com\/v1\.0\/communications\/calls\/[0-9a-f-]+\/cancelMediaProcessing/);
    assert.match(await page.textContent('[data-testid="running"]'), /idle/);
    await page.screenshot({ path: join(shots, 'e2e-cancel-during-a-record.png'), fullPage: true });
    await page.waitForFunction(() => Number(document.body.dataset.link) > 0);
    link = page.url();
    await page.close();
  });

  await t.test('the link reproduces the scenario exactly', async () => {
    assert.match(link, /#/);
    const scenario = scenarioOf(link);
    assert.deepEqual(scenario.steps.at(-1), { at: 3500, call: 0, pressTone: '5' }, 'the package\'s scenario format');
    const page = await open(link);
    assert.deepEqual(await notes(page), [
      ...BEGINS,
      'recordOperation "voicemail" failed 400/8508 operationCanceled',
      'playPromptOperation "menu" failed 400/8508',
      'tone tone5 (sequenceId 1)',
    ]);
    assert.equal(await page.textContent('[data-testid="now"]'), '3.500 s');
    await page.close();
  });

  await t.test('a broken form shows the builder error inline', async () => {
    const page = await open(url);
    await page.fill('[data-testid="record-form"] input[name="maxRecordDurationInSeconds"]', '500');
    await page.click('[data-testid="record-form"] button[type="submit"]');
    const error = page.locator('[data-testid="form-error"]');
    assert.equal(await error.isVisible(), true);
    assert.match(await error.textContent(), /invalidArgument at \/maxRecordDurationInSeconds: .*1 to 120, got 500/);
    assert.equal(await page.locator('[data-testid="notification"]').count(), BEGINS.length, 'nothing was sent');
    assert.match(await page.textContent('[data-testid="last-request"]'), /none yet/);
    await page.close();
  });

  await t.test('every preset plays out with valid notifications', async () => {
    const page = await open(url);
    const expectations = {
      'preset-cancel-during-a-record': /failed 400\/8508/,
      'preset-barge-in': /playPromptOperation "welcome" failed 400\/8508/,
      'preset-stop-tone-ends-a-record': /recordOperation "voicemail" completed 200\/0/,
      'preset-hang-up-with-a-record-running': /call terminated/,
      'preset-throttled-cancel': /playPromptOperation "menu" failed 400\/8508/,
      'preset-the-call-that-ended-silently': /playPromptOperation "greeting" failed 410\/0/,
    };
    for (const [preset, expected] of Object.entries(expectations)) {
      await page.click(`[data-testid="${preset}"]`);
      const seen = (await notes(page)).join('\n');
      assert.match(seen, expected, preset);
      assert.equal(await page.locator('[data-testid="notification"] .badge.invalid').count(), 0, preset);
    }
    await page.screenshot({ path: join(shots, 'e2e-presets.png'), fullPage: true });
    await page.close();
  });

  await t.test('the clock plays, pauses and jumps to the next timer; the keyboard reaches the controls', async () => {
    const page = await open(url);
    await page.click('[data-testid="play-form"] button[type="submit"]');
    await page.click('[data-testid="next-event"]');
    assert.equal(await page.textContent('[data-testid="now"]'), '3.500 s');
    assert.match((await notes(page)).join('\n'), /playPromptOperation "welcome" completed 200\/0/);
    await page.click('#play10');
    await page.waitForFunction(() => document.querySelector('[data-testid="now"]').textContent !== '3.500 s');
    await page.click('#pause');
    const paused = await page.textContent('[data-testid="now"]');
    await page.waitForTimeout(300);
    assert.equal(await page.textContent('[data-testid="now"]'), paused);
    await page.focus('[data-testid="key-1"]');
    const written = await page.evaluate(() => Number(document.body.dataset.link ?? 0));
    await page.keyboard.press('Enter');
    await page.waitForFunction((before) => Number(document.body.dataset.link) > before, written);
    const steps = scenarioOf(page.url()).steps;
    assert.deepEqual(Object.keys(steps.at(-1)), ['at', 'call', 'pressTone']);
    assert.equal(steps.at(-1).pressTone, '1', 'Enter on a focused key presses it');
    await page.close();
  });

  await t.test('a preset drawn on the timeline: a lane per operation, a marker per notification, the cancel ending both', async () => {
    const page = await open(url);
    await page.click('[data-testid="preset-cancel-during-a-record"]');
    const lanes = page.locator('[data-testid="lane"]');
    assert.equal(await lanes.count(), 2, 'the record and the queued prompt');
    assert.deepEqual(await lanes.evaluateAll((ls) => ls.map((l) => [l.dataset.operation, l.dataset.outcome])), [['recordResponse', 'canceled'], ['playPrompt', 'canceled']]);
    const markers = (kind) => page.locator(`[data-testid="marker"][data-kind="${kind}"]`).count();
    assert.equal(await markers('notification'), await page.locator('[data-testid="notification"]').count());
    assert.equal(await markers('notification'), 6);
    assert.equal(await markers('cancel'), 1);
    assert.equal(await markers('tone'), 1);
    assert.equal(await markers('subscribe'), 1);
    // The record went through its phases before the cancel: prompt, beep, recording.
    const phases = await page.locator('[data-testid="lane"][data-operation="recordResponse"] rect.phase').evaluateAll((rs) => rs.map((r) => r.getAttribute('class').split(' ')[1]));
    assert.deepEqual(phases, ['phase-prompt', 'phase-beep', 'phase-recording']);
    // Choosing a notification marker shows its JSON and report (and it is reachable by keyboard).
    await page.focus('[data-testid="marker"][data-kind="notification"]');
    await page.keyboard.press('Enter');
    const selected = await page.textContent('[data-testid="selected-notification"]');
    assert.match(selected, /Notification 1 at 0\.000 s: valid/);
    assert.match(selected, /"state": "incoming"/);
    // Barge-in: the welcome prompt ends where the record barges in.
    await page.click('[data-testid="preset-barge-in"]');
    assert.deepEqual(await lanes.evaluateAll((ls) => ls.map((l) => [l.dataset.operation, l.dataset.outcome])), [['playPrompt', 'canceled'], ['playPrompt', 'open'], ['recordResponse', 'completed']]);
    await page.screenshot({ path: join(shots, 'e2e-timeline.png') });
    await page.close();
  });

  await t.test('time travel: scrubbing back shows the earlier state, replayed from the seed and the steps', async () => {
    const page = await open(url);
    await page.click('[data-testid="preset-cancel-during-a-record"]');
    assert.match(await page.textContent('[data-testid="running"]'), /idle/);
    const scrub = async (ms) => {
      await page.$eval('[data-testid="scrub"]', (input, value) => {
        input.value = String(value);
        input.dispatchEvent(new Event('input', { bubbles: true }));
      }, ms);
    };
    await scrub(1000);
    assert.equal(await page.textContent('[data-testid="scrub-at"]'), 'showing 1.000 s of 3.500 s');
    assert.match(await page.textContent('[data-testid="running"]'), /recordResponse "voicemail"/);
    assert.match(await page.textContent('[data-testid="running"]'), /prompt/);
    assert.match(await page.textContent('[data-testid="queue"]'), /playPrompt "menu"/);
    assert.equal(await page.textContent('[data-testid="now"]'), '1.000 s');
    assert.equal(await page.locator('[data-testid="cursor"]').count(), 1);
    await scrub(2700);
    assert.match(await page.textContent('[data-testid="running"]'), /beep/);
    await page.click('[data-testid="live"]');
    assert.equal(await page.textContent('[data-testid="scrub-at"]'), 'live');
    assert.match(await page.textContent('[data-testid="running"]'), /idle/);
    assert.equal(await page.locator('[data-testid="cursor"]').count(), 0);
    // An action in the past returns to the live call first; the scenario is unchanged before it.
    await scrub(500);
    const written = await page.evaluate(() => Number(document.body.dataset.link ?? 0));
    await page.click('[data-testid="key-7"]');
    assert.equal(await page.textContent('[data-testid="scrub-at"]'), 'live');
    await page.waitForFunction((before) => Number(document.body.dataset.link) > before, written);
    assert.deepEqual(scenarioOf(page.url()).steps.at(-1), { at: 3500, call: 0, pressTone: '7' });
    await page.close();
  });

  await t.test('bot recipes run a bot in the page against GraphSimulator to the end, its code shown', async () => {
    const page = await open(url);
    const expected = {
      voicemail: { lanes: [['recordResponse', 'completed'], ['playPrompt', 'completed']], requests: [/answer → 202/, /playPrompt → 200/, /recordResponse → 200/, /GET https:\/\/file\.location\/\S+ → 200/, /DELETE \S+ → 204/], code: 'function voicemail(fetch)' },
      'dtmf-menu': { lanes: [['playPrompt', 'canceled'], ['recordResponse', 'completed']], requests: [/subscribeToTone → 200/, /recordResponse → 200/, /DELETE \S+ → 204/], code: 'bargeInAllowed: true' },
      'cancel-and-transfer': { lanes: [['playPrompt', 'canceled'], ['playPrompt', 'canceled'], ['playPrompt', 'completed']], requests: [/cancelMediaProcessing → 200/, /transfer → 501/, /DELETE \S+ → 204/], code: 'transfer.ok' },
    };
    for (const [name, want] of Object.entries(expected)) {
      await page.click(`[data-testid="recipe-${name}"]`);
      await page.waitForSelector('body[data-recipe="done"]');
      assert.match(await page.textContent('[data-testid="recipe-status"]'), /the call is terminated/, name);
      assert.deepEqual(await page.locator('[data-testid="lane"]').evaluateAll((ls) => ls.map((l) => [l.dataset.operation, l.dataset.outcome])), want.lanes, name);
      const requests = await page.locator('[data-testid="bot-requests"] li').allTextContents();
      let from = 0;
      for (const pattern of want.requests) {
        const at = requests.findIndex((r, i) => i >= from && pattern.test(r));
        assert.ok(at >= 0, `${name}: ${pattern} in order, in ${requests.join(' | ')}`);
        from = at + 1;
      }
      assert.ok((await page.textContent('[data-testid="bot-code"]')).includes(want.code), name);
      assert.equal(await page.locator('[data-testid="marker"][data-kind="notification"]').count(), await page.locator('[data-testid="notification"]').count());
      assert.equal(await page.locator('[data-testid="notification"] .badge.invalid').count(), 0, name);
    }
    // The link holds the recipe; the hand-driven call comes back with the preset buttons.
    const link = page.url();
    const again = await open(link);
    await again.waitForSelector('body[data-recipe="done"]');
    assert.match(await again.textContent('[data-testid="recipe-status"]'), /terminated/);
    await again.click('[data-testid="preset-barge-in"]');
    assert.equal(await again.isVisible('[data-testid="recipe"]'), false);
    await page.screenshot({ path: join(shots, 'e2e-recipe.png') });
    await again.close();
    await page.close();
  });

  await t.test('the embed example: two <graph-ivr-call> elements, each its own call', async () => {
    const page = await open(`${url}embed-example.html`, { width: 1000, height: 1100 }, { ready: READY.embed });
    const first = page.locator('[data-testid="first"]');
    const second = page.locator('[data-testid="second"]');
    const outcomes = (el) => el.locator('[data-testid="lane"]').evaluateAll((ls) => ls.map((l) => l.dataset.outcome));
    assert.deepEqual(await outcomes(first), ['canceled', 'canceled']);
    assert.deepEqual(await outcomes(second), ['canceled', 'open', 'completed']);
    const tones = (el) => el.locator('[data-testid="marker"][data-kind="tone"]').count();
    assert.equal(await tones(first), 1);
    await first.locator('button[data-key="9"]').click();
    assert.equal(await tones(first), 2, 'the key reached the first call');
    assert.equal(await tones(second), 0, 'and not the second');
    assert.equal(await first.locator('[data-testid="marker"][data-kind="notification"]').count(), 7, 'the tone was notified: the subscription survives the cancel');
    // A scenario in the package's format, as an attribute: its call, played to its durationMs.
    await page.evaluate(() => {
      const call = document.createElement('graph-ivr-call');
      call.dataset.testid = 'third';
      call.setAttribute('scenario', JSON.stringify({ seed: 3, calls: [{ callbackUri: 'https://bot.example/cb', steps: [{ at: 1000, hangUp: true }] }], durationMs: 2000 }));
      document.body.append(call);
    });
    await page.waitForSelector('graph-ivr-call[data-testid="third"][data-ready="true"]');
    const third = page.locator('[data-testid="third"]');
    assert.equal(await third.locator('[data-testid="marker"][data-kind="notification"]').count(), 2, 'it rang, and ended unanswered when the caller hung up');
    assert.equal(await third.locator('[data-testid="marker"][data-kind="hangup"]').count(), 1);
    await page.screenshot({ path: join(shots, 'e2e-embed.png'), fullPage: true });
    await page.close();
  });

  await t.test('faults on the timeline: a throttled cancel, a dropped end of call, the keepAlive deadline', async () => {
    const page = await open(url);
    assert.match(await page.textContent('[data-testid="keepalive-deadline"]'), /keepAlive deadline at 45:00 →/);
    const faults = () => page.locator('[data-testid="marker"][data-kind="fault"]').evaluateAll((ms) => ms.map((m) => [m.dataset.fault, m.querySelector('text').textContent]));
    await page.click('[data-testid="preset-throttled-cancel"]');
    assert.deepEqual(await faults(), [['throttled', 'throttled: cancelMediaProcessing answered 429']]);
    assert.match(await page.textContent('[data-testid="faults"]'), /throttle/);
    await page.click('[data-testid="preset-the-call-that-ended-silently"]');
    assert.deepEqual(await faults(), [['dropped', 'dropped: call terminated']]);
    assert.doesNotMatch((await notes(page)).join('\n'), /call terminated/, 'the end never came');
    assert.match(await page.textContent('[data-testid="last-response"]'), /^HTTP 404/, 'keepAlive told');
    await page.screenshot({ path: join(shots, 'e2e-faults.png'), fullPage: true });
    await page.close();
  });

  await t.test('a scenario saved by graph.scenario() gives the same bytes in a fresh simulator, the emulator and the demo page', async () => {
    // The bot's callback: what the emulator POSTs, kept.
    const posted = [];
    const callback = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        posted.push(body);
        res.writeHead(202).end();
      });
    });
    await new Promise((resolve) => callback.listen(0, '127.0.0.1', resolve));
    try {
      // A call driven by hand.
      const graph = new GraphSimulator({ seed: 12, faults: { dropNotifications: 0.1 } });
      const call = graph.incomingCall({ callbackUri: `http://127.0.0.1:${callback.address().port}/calls` });
      const original = graph.takeDeliveries().map((d) => d.body);
      const send = (request) => graph.fetch(request.url, request);
      await graph.fetch(`https://graph.microsoft.com/v1.0/communications/calls/${call.callId}/answer`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ acceptedModalities: ['audio'], mediaConfig: { '@odata.type': '#microsoft.graph.serviceHostedMediaConfig' } }) });
      original.push(...graph.advance(600).map((d) => d.body));
      await send(buildSubscribeToTone({ callId: call.callId }));
      await send(buildPlayPrompt({ callId: call.callId, prompts: ['https://cdn.contoso.com/menu.wav'] }));
      await send(buildRecordResponse({ callId: call.callId, stopTones: ['#'] }));
      original.push(...graph.advance(4000).map((d) => d.body));
      call.pressTone('3');
      original.push(...graph.advance(3000).map((d) => d.body));
      call.pressTone('#');
      original.push(...graph.advance(1000).map((d) => d.body));
      const scenario = graph.scenario();
      graph.free();

      const fresh = GraphSimulator.fromScenario(scenario);
      const replayed = [...fresh.takeDeliveries(), ...fresh.advance(scenario.durationMs)].map((d) => d.body);
      fresh.free();
      assert.deepEqual(replayed, original, 'a fresh simulator');

      const emulator = await startEmulator({ scenario });
      try {
        await fetch(`${emulator.origin}/_graph-ivr/advance`, { method: 'POST', body: JSON.stringify({ ms: scenario.durationMs }) });
      } finally {
        await emulator.close();
      }
      assert.deepEqual(posted, original, 'the emulator, POSTed to the callback');

      for (const link of [`#z=${deflateRawSync(JSON.stringify(scenario)).toString('base64url')}`, `#${encodeURIComponent(JSON.stringify(scenario))}`]) {
        const page = await open(`${url}${link}`);
        const shown = await page.locator('[data-testid="notification"]').evaluateAll((items) => items.map((li) => li.dataset.body));
        assert.deepEqual(shown, original, `the demo page (${link.slice(0, 3)}…)`);
        assert.equal(await page.textContent('[data-testid="now"]'), `${(scenario.durationMs / 1000).toFixed(3)} s`);
        await page.close();
      }
    } finally {
      callback.close();
    }
  });

  await t.test("an explorer failure's link opens the demo page at the run", async () => {
    const { BotExplorer } = await import('graph-ivr');
    const answered = new Set();
    // A bot that answers and then does nothing: noLeakedCalls.
    const explorer = new BotExplorer({
      runs: 5,
      maxFailures: 1,
      deliver: async ({ callId, value: { value } }) => {
        if (value[0].resourceData.state !== 'incoming' || answered.has(callId)) return;
        answered.add(callId);
        await explorer.fetch(`https://graph.microsoft.com/v1.0/communications/calls/${callId}/answer`, { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: 'Bearer app-token' }, body: '{"mediaConfig":{"@odata.type":"#microsoft.graph.serviceHostedMediaConfig"}}' });
      },
    });
    const [failure] = (await explorer.run()).failures;
    assert.equal(failure.invariant, 'noLeakedCalls');
    const page = await open(`${url}${failure.link.replace(/^index\.html/, '')}`);
    assert.deepEqual(await notes(page), BEGINS, 'the run: rang, answered, established, then nothing');
    assert.equal(await page.textContent('[data-testid="call-state"]'), 'established');
    await page.close();
  });

  await t.test('an old link (a seed and steps) still plays', async () => {
    const old = { seed: 1, profile: 'docs', version: 'v1.0', durations: {}, steps: [{ t: 'subscribe' }, { t: 'tone', key: '4' }] };
    const page = await open(`${url}#${encodeURIComponent(JSON.stringify(old))}`);
    assert.deepEqual(await notes(page), [...BEGINS, 'tone tone4 (sequenceId 1)']);
    await page.waitForFunction(() => Number(document.body.dataset.link) > 0);
    assert.equal(scenarioOf(page.url()).steps.at(-1).pressTone, '4', 'and is rewritten in the scenario format');
    await page.close();
  });

  await t.test('accessible: axe-core finds no serious or critical violation on either page', async () => {
    const axe = readFileSync(join(root, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
    for (const [path, ready, setUp] of [['', READY.demo, (page) => page.click('[data-testid="preset-cancel-during-a-record"]')], ['embed-example.html', READY.embed, () => {}]]) {
      // axe is injected by the test, so only its page bypasses the CSP the site ships.
      const page = await open(`${url}${path}`, undefined, { ready, bypassCSP: true });
      await setUp(page);
      await page.addScriptTag({ content: axe });
      const results = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
      const serious = results.violations.filter((v) => ['serious', 'critical'].includes(v.impact));
      assert.deepEqual(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`), [], path || 'index.html');
      await page.close();
    }
  });

  await t.test('the web build in the browser: tokens through the browser\'s WebCrypto, the tracker, the guards', async () => {
    const page = await open(url);
    const result = await page.evaluate(async () => {
      const ivr = await import('./pkg/web/index.js');
      const signer = await ivr.createCallbackSigner({ audience: 'app' });
      const good = await ivr.verifyCallbackToken(`Bearer ${await signer.sign()}`, { jwks: signer.jwks, audience: 'app' });
      const late = await ivr.verifyCallbackToken(`Bearer ${await signer.sign({ exp: 1 })}`, { jwks: signer.jwks, audience: 'app' });
      const call = new ivr.CallSimulator({ seed: 4 });
      const tracker = new ivr.OperationTracker();
      const request = ivr.buildPlayPrompt({ callId: call.callId, prompts: ['https://a.example/x.wav'], clientContext: 'x' });
      tracker.sent(request, call.handle(request));
      const events = call.advance(5000).flatMap((d) => tracker.received(d.body));
      call.handle(ivr.buildSubscribeToTone({ callId: call.callId }));
      const tone = ivr.validateNotifications(call.pressTone('1')[0]?.body ?? '{}');
      return { good: good.valid, late: late.reason, events: events.map((e) => e.type), same: ivr.sameId('57DAB8B1894C409AB240BD8BEAE78896', '57dab8b1-894c-409a-b240-bd8beae78896'), guard: tone.valid ? tone.value.value.map((n) => [ivr.isCallNotification(n), ivr.isToneNotification(n), ivr.isOperationNotification(n)]) : null };
    });
    assert.deepEqual(result, { good: true, late: 'expired', events: ['completed'], same: true, guard: [[true, true, false]] });
    await page.close();
  });

  await t.test('readable on a narrow screen', async () => {
    const page = await open(url, { width: 390, height: 844 });
    await page.click('[data-testid="preset-cancel-during-a-record"]');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `no horizontal scrolling (${overflow}px)`);
    assert.equal(await page.locator('[data-testid="lane"]').count(), 2, 'the timeline is drawn at 390 px');
    const box = await page.locator('[data-testid="timeline"]').boundingBox();
    assert.ok(box.width <= 390 && box.width > 300, `the timeline fits (${box.width}px)`);
    await page.screenshot({ path: join(shots, 'e2e-narrow.png'), fullPage: true });
    const narrow = await open(`${url}embed-example.html`, { width: 390, height: 844 }, { ready: READY.embed });
    const embedOverflow = await narrow.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(embedOverflow <= 0, `the embed page does not scroll sideways (${embedOverflow}px)`);
    await narrow.close();
    await page.close();
  });

  assert.deepEqual(problems, [], 'no console errors, page errors or failed requests');
});
